/**
 * What one bus's messages in one batch change: which records are new, which duplicate what is already kept,
 * and how the vehicle's state moves. Pure: the caller reads the state before and persists the plan after.
 */
import type { DutyMessage, GpsRecord, WifiMessage } from '../../catalogue/index.js';
import { applyDutyEvent, latestPosition, type VehicleDuty, type VehiclePosition, type VehicleState } from '../vehicles/vehicle-state.js';
import type { ValidMessage } from './decode.js';

export interface PseudonymisedTap {
  tapId: string;
  ts: number;
  cardHash: string;
  product: string;
  amountVnd: number;
  medium: string;
  stopId?: string;
  msgId: string;
  receivedAt: number;
}

export interface BusBatchPlan {
  busId: string;
  /** Positions newer than any stored before: new by construction. */
  freshGps: GpsRecord[];
  /** Positions at or before the stored watermark: may already be stored, to be checked against storage. */
  lateGps: GpsRecord[];
  taps: PseudonymisedTap[];
  wifi: (WifiMessage & { receivedAt: number })[];
  dutyEvents: (DutyMessage & { receivedAt: number })[];
  /** The vehicle's new position, when the batch moves it forward. */
  nextPosition?: VehiclePosition;
  /** The vehicle's new duty, when the batch changes it. */
  nextDuty?: VehicleDuty;
}

export interface TimedMessage {
  message: ValidMessage;
  receivedAt: number;
}

/** Plans one bus's batch from its messages in arrival order. `pseudonymise` turns a card number into its keyed hash. */
export function planBusBatch(
  busId: string,
  state: VehicleState | undefined,
  messages: readonly TimedMessage[],
  pseudonymise: (cardId: string) => string,
): BusBatchPlan {
  const watermark = state?.position?.ts ?? Number.NEGATIVE_INFINITY;
  const gpsByTs = new Map<number, GpsRecord>();
  const taps = new Map<string, PseudonymisedTap>();
  const wifi = new Map<number, WifiMessage & { receivedAt: number }>();
  const duty = new Map<string, DutyMessage & { receivedAt: number }>();
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
            ts: t.ts,
            cardHash: pseudonymise(t.cardId),
            product: t.product,
            amountVnd: t.amountVnd,
            medium: t.medium,
            ...(t.stopId === undefined ? {} : { stopId: t.stopId }),
            msgId: message.msgId,
            receivedAt,
          });
        }
        break;
      case 'wifi':
        if (!wifi.has(message.sample.ts)) wifi.set(message.sample.ts, { ...message.sample, receivedAt });
        break;
      case 'duty': {
        const key = `${message.event.ts}|${message.event.event}`;
        if (!duty.has(key)) duty.set(key, { ...message.event, receivedAt });
        currentDuty = applyDutyEvent(currentDuty, message.event);
        break;
      }
    }
  }

  const sorted = [...gpsByTs.values()].sort((a, b) => a.ts - b.ts);
  const plan: BusBatchPlan = {
    busId,
    freshGps: sorted.filter((p) => p.ts > watermark),
    lateGps: sorted.filter((p) => p.ts <= watermark),
    taps: [...taps.values()],
    wifi: [...wifi.values()],
    dutyEvents: [...duty.values()],
  };
  if (position && position !== state?.position) plan.nextPosition = position;
  if (currentDuty && currentDuty !== state?.duty) plan.nextDuty = currentDuty;
  return plan;
}

/** The late positions that storage does not hold yet. */
export function withoutStored(late: readonly GpsRecord[], storedTs: ReadonlySet<number>): GpsRecord[] {
  return late.filter((p) => !storedTs.has(p.ts));
}
