/**
 * What one bus's messages in one batch change: which records are new, which duplicate what is already kept,
 * how the bus's clock offset estimate moves, and how the vehicle's state moves. Pure: the caller reads the state
 * before and persists the plan after.
 *
 * Two clocks: duplicates, the watermark and the vehicle state go by the device's `ts` as received (the device's
 * own order, unaffected by a changing estimate); taps, wifi samples and duty events to be stored carry the
 * corrected `ts` and, when it differs, `deviceTs`; positions are corrected when chunked (`clockOffsetMs`).
 */
import type { DutyMessage, GpsRecord, WifiMessage } from '../../catalogue/index.js';
import { applyDutyEvent, latestPosition, type VehicleDuty, type VehiclePosition, type VehicleState } from '../vehicles/vehicle-state.js';
import { type ClockState, correctedTs, type MessageTiming, updateClock } from './clock-offset.js';
import type { ValidMessage } from './decode.js';
import { storedCardFields, type CardPseudonymiser } from '../privacy/card-key-ring.js';

interface PseudonymisedTap {
  tapId: string;
  ts: number;
  cardHash: string;
  /** The card key version of `cardHash` when not 1, and hashes under older versions still linking (docs/privacy.md). */
  cardKeyVersion?: number;
  cardLinkHashes?: Record<string, string>;
  product: string;
  amountVnd: number;
  medium: string;
  stopId?: string;
  msgId: string;
  receivedAt: number;
  /** The device's ts, when the clock correction changed it. */
  deviceTs?: number;
}

/** A stored record's time: `ts` corrected, `deviceTs` as the device sent it when the two differ. */
type Corrected<T> = T & { receivedAt: number; deviceTs?: number };

export interface BusBatchPlan {
  busId: string;
  /** The clock offset applied to this batch's timestamps (device − true, ms; 0: left as received). */
  clockOffsetMs: number;
  /** Positions (device ts) newer than any stored before: new by construction. */
  freshGps: GpsRecord[];
  /** Positions (device ts) at or before the stored watermark: may already be stored, to be checked against storage. */
  lateGps: GpsRecord[];
  taps: PseudonymisedTap[];
  wifi: Corrected<WifiMessage>[];
  dutyEvents: Corrected<DutyMessage>[];
  /** The vehicle's new position, when the batch moves it forward. */
  nextPosition?: VehiclePosition;
  /** The vehicle's new duty, when the batch changes it. */
  nextDuty?: VehicleDuty;
  /** The bus's clock estimator after this batch (persisted with the vehicle's state). */
  nextClock: ClockState;
}

export interface TimedMessage {
  message: ValidMessage;
  receivedAt: number;
}

/**
 * Plans one bus's batch from its messages in arrival order. `pseudonymise` turns a card number into its keyed
 * hash, or into the pseudonyms of a rotated key ring (hash, key version, link hashes: docs/privacy.md).
 */
export function planBusBatch(busId: string, state: VehicleState | undefined, messages: readonly TimedMessage[], pseudonymise: CardPseudonymiser): BusBatchPlan {
  const nextClock = updateClock(state?.clock, messages.map(timingOf));
  const offsetMs = nextClock.offsetMs;
  const corrected = <T extends { ts: number }>(record: T, receivedAt: number): Corrected<T> =>
    offsetMs === 0 ? { ...record, receivedAt } : { ...record, ts: correctedTs(record.ts, offsetMs), deviceTs: record.ts, receivedAt };
  const watermark = state?.position?.ts ?? Number.NEGATIVE_INFINITY;
  const gpsByTs = new Map<number, GpsRecord>();
  const taps = new Map<string, PseudonymisedTap>();
  const wifi = new Map<number, Corrected<WifiMessage>>();
  const duty = new Map<string, Corrected<DutyMessage>>();
  let position = state?.position;
  let currentDuty = state?.duty;

  for (const { message, receivedAt } of messages) {
    switch (message.kind) {
      case 'gps':
        for (const r of message.records) {
          // First copy wins: a duplicate of the same bus+ts is the same fix.
          if (!gpsByTs.has(r.ts)) gpsByTs.set(r.ts, r);
          position = latestPosition(position, { ...r, receivedAt });
        }
        break;
      case 'gate':
        for (const t of message.taps) {
          if (taps.has(t.tapId)) continue;
          taps.set(t.tapId, {
            tapId: t.tapId,
            ts: correctedTs(t.ts, offsetMs),
            ...storedCardFields(pseudonymise(t.cardId)),
            product: t.product,
            amountVnd: t.amountVnd,
            medium: t.medium,
            ...(t.stopId === undefined ? {} : { stopId: t.stopId }),
            msgId: message.msgId,
            receivedAt,
            ...(offsetMs === 0 ? {} : { deviceTs: t.ts }),
          });
        }
        break;
      case 'wifi':
        if (!wifi.has(message.sample.ts)) wifi.set(message.sample.ts, corrected(message.sample, receivedAt));
        break;
      case 'duty': {
        const key = `${message.event.ts}|${message.event.event}`;
        if (!duty.has(key)) duty.set(key, corrected(message.event, receivedAt));
        currentDuty = applyDutyEvent(currentDuty, message.event);
        break;
      }
    }
  }

  const sorted = [...gpsByTs.values()].sort((a, b) => a.ts - b.ts);
  const plan: BusBatchPlan = {
    busId,
    clockOffsetMs: offsetMs,
    freshGps: sorted.filter((p) => p.ts > watermark),
    lateGps: sorted.filter((p) => p.ts <= watermark),
    taps: [...taps.values()],
    wifi: [...wifi.values()],
    dutyEvents: [...duty.values()],
    nextClock,
  };
  if (position && position !== state?.position) plan.nextPosition = position;
  if (currentDuty && currentDuty !== state?.duty) plan.nextDuty = currentDuty;
  return plan;
}

/** What the clock estimator reads of a message: its receipt, its newest device ts and how many records it holds. */
function timingOf({ message, receivedAt }: TimedMessage): MessageTiming {
  switch (message.kind) {
    case 'gps':
      return { receivedAt, newestTs: Math.max(...message.records.map((r) => r.ts)), records: message.records.length };
    case 'gate':
      return { receivedAt, newestTs: Math.max(...message.taps.map((t) => t.ts)), records: message.taps.length };
    case 'wifi':
      return { receivedAt, newestTs: message.sample.ts, records: 1 };
    case 'duty':
      return { receivedAt, newestTs: message.event.ts, records: 1 };
  }
}

/** The late positions that storage does not hold yet. */
export function withoutStored(late: readonly GpsRecord[], storedTs: ReadonlySet<number>): GpsRecord[] {
  return late.filter((p) => !storedTs.has(p.ts));
}
