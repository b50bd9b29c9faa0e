/**
 * The steps of ingesting one batch, in the order `ingestBatch` runs them. The pure steps turn data into data;
 * the port-calling steps report storage failures per bus into the batch's `BatchFailures`, so a failed bus's
 * records are retried and the other buses go on.
 */
import type { Logger } from '../ports/logger.js';
import { forEachLimit } from '../../kernel/util/concurrency.js';
import { type BusBatchPlan, planBusBatch, type TimedMessage, withoutStored } from './bus-batch-plan.js';
import { decodeTelemetryRecord } from './decode.js';
import { chunkGpsPoints } from './gps-chunks.js';
import type { PlausibilityConfig } from './plausibility.js';
import type { CardPseudonymiser } from '../privacy/card-key-ring.js';
import type { BusTelemetry, RejectStore, TelemetryStore, VehicleAdvance, VehicleStateStore } from './ports.js';
import type { Reject } from './reject.js';
import type { VehicleState } from '../vehicles/vehicle-state.js';

export interface StreamRecord {
  /** Sequence number: what a partial batch failure names. */
  id: string;
  /** The partition key: the bus. */
  partitionKey: string;
  data: Uint8Array;
  arrivalMs: number;
}

/** Told when a bus starts a trip of a trip order, so the order goes into service. */
export interface TripOrderEvents {
  tripStarted(tripOrderId: string, evidence: string): Promise<unknown>;
}

/**
 * Recomputes a bus's journeys of the service days these instants fall on (after a trip ended, or late data
 * reached a past trip). The adapter knows the network, and so its time zone and how it cuts service days.
 */
export interface JourneyUpdates {
  busDaysAt(busId: string, instantsMs: readonly number[]): Promise<unknown>;
}

/**
 * Recomputes the predicted arrivals at the stops ahead of these buses and caches them per stop. The adapter
 * knows the network, the stored positions and the stack's clock.
 */
export interface ArrivalUpdates {
  busesMoved(busIds: readonly string[]): Promise<unknown>;
}

/** The records of a batch that must be retried, and the buses they belong to. */
export class BatchFailures {
  /** Record id → why it must be retried. */
  readonly records = new Map<string, Error>();
  readonly buses = new Set<string>();

  constructor(private readonly recordIdsByBus: ReadonlyMap<string, readonly string[]>) {}

  /** Every record of the bus is retried: its steps are idempotent, so a retry repairs what this one left. */
  failBus(busId: string, error: Error): void {
    this.buses.add(busId);
    for (const id of this.recordIdsByBus.get(busId) ?? []) this.records.set(id, error);
  }

  failRecord(recordId: string, error: Error): void {
    this.records.set(recordId, error);
  }

  has(busId: string): boolean {
    return this.buses.has(busId);
  }
}

export interface DecodedBatch {
  /** Every record's id, per bus (partition key), in arrival order. */
  recordIdsByBus: Map<string, string[]>;
  /** The valid messages, per bus, in arrival order. */
  messagesByBus: Map<string, TimedMessage[]>;
  /** What could not be taken, with the record it came from. */
  rejects: { reject: Reject; recordId: string }[];
}

/** Decodes and validates each record: the valid messages grouped by bus in arrival order, and the rejects. */
export function decodeBatch(records: readonly StreamRecord[], plausibility: PlausibilityConfig): DecodedBatch {
  const batch: DecodedBatch = { recordIdsByBus: new Map(), messagesByBus: new Map(), rejects: [] };
  for (const record of records) {
    push(batch.recordIdsByBus, record.partitionKey, record.id);
    const decoded = decodeTelemetryRecord(record.data, record.arrivalMs, plausibility);
    for (const reject of decoded.rejects) batch.rejects.push({ reject, recordId: record.id });
    if (decoded.message) push(batch.messagesByBus, record.partitionKey, { message: decoded.message, receivedAt: decoded.receivedAt });
  }
  return batch;
}

/** Stores and logs the rejects; a reject that could not be stored has its record retried. */
export async function storeRejects(rejects: DecodedBatch['rejects'], store: RejectStore, failures: BatchFailures, logger: Logger): Promise<void> {
  const notStored = rejects.length ? await store.put(rejects.map((r) => r.reject)) : new Set<number>();
  for (const i of notStored) failures.failRecord(rejects[i]!.recordId, new Error('could not store reject'));
  for (const { reject: r } of rejects) {
    logger.warn('telemetry rejected', { code: r.code, reason: r.reason, busId: r.busId, topic: r.topic, field: r.field });
  }
}

/** Plans each bus's changes (new records, its clock estimate and corrected times, the vehicle's next state). */
export function planBuses(
  messagesByBus: ReadonlyMap<string, readonly TimedMessage[]>,
  states: ReadonlyMap<string, VehicleState>,
  pseudonymise: CardPseudonymiser,
): BusBatchPlan[] {
  return [...messagesByBus].map(([busId, messages]) => planBusBatch(busId, states.get(busId), messages, pseudonymise));
}

/** What one bus's plan stores, its late positions already stored left out; positions chunked in corrected time. */
export function busTelemetryOf(plan: BusBatchPlan, newLateGps: BusBatchPlan['lateGps']): BusTelemetry {
  return {
    busId: plan.busId,
    gpsChunks: [...chunkGpsPoints(newLateGps, plan.clockOffsetMs), ...chunkGpsPoints(plan.freshGps, plan.clockOffsetMs)],
    taps: plan.taps,
    wifi: plan.wifi,
    dutyEvents: plan.dutyEvents,
  };
}

export interface PersistedTelemetry {
  /** What was written, per bus (a bus whose write failed included: see `BatchFailures`). */
  telemetry: BusTelemetry[];
  /** Late positions found already stored (a replay, a redelivery). */
  gpsDuplicates: number;
}

/** Leaves out late positions already stored, then writes each bus's telemetry; a bus whose lookup or write fails fails. */
export async function persistTelemetry(
  plans: readonly BusBatchPlan[],
  store: TelemetryStore,
  failures: BatchFailures,
  concurrency: number,
): Promise<PersistedTelemetry> {
  let gpsDuplicates = 0;
  const telemetry: BusTelemetry[] = [];
  await forEachLimit(plans, concurrency, async (plan) => {
    let late = plan.lateGps;
    if (late.length) {
      try {
        const stored = await store.storedGpsTimestamps(plan.busId, late[0]!.ts, late[late.length - 1]!.ts, plan.clockOffsetMs);
        late = withoutStored(late, stored);
      } catch (err) {
        failures.failBus(plan.busId, asError(err));
        return;
      }
    }
    gpsDuplicates += plan.lateGps.length - late.length;
    telemetry.push(busTelemetryOf(plan, late));
  });
  const writeFailures = await store.write(telemetry);
  for (const [busId, error] of writeFailures) failures.failBus(busId, error);
  return { telemetry, gpsDuplicates };
}

/** The vehicle writes of the buses still standing, each under the version read before planning. */
export function vehicleAdvances(plans: readonly BusBatchPlan[], states: ReadonlyMap<string, VehicleState>, failures: BatchFailures): VehicleAdvance[] {
  const advances: VehicleAdvance[] = [];
  for (const plan of plans) {
    if (failures.has(plan.busId)) continue;
    // The clock estimator rides on the write the batch makes anyway: a batch that moves neither the position nor
    // the duty (only taps, wifi or buffered records) writes nothing for its clock samples alone.
    if (!plan.nextPosition && !plan.nextDuty) continue;
    advances.push({
      busId: plan.busId,
      expectedVersion: states.get(plan.busId)?.version ?? 0,
      ...(plan.nextPosition ? { position: plan.nextPosition } : {}),
      ...(plan.nextDuty ? { duty: plan.nextDuty } : {}),
      clock: plan.nextClock,
    });
  }
  return advances;
}

/** Advances the vehicles after their telemetry is stored; a bus whose state changed under it fails. */
export async function advanceVehicles(
  plans: readonly BusBatchPlan[],
  states: ReadonlyMap<string, VehicleState>,
  store: VehicleStateStore,
  failures: BatchFailures,
): Promise<void> {
  const advanceFailures = await store.advance(vehicleAdvances(plans, states, failures));
  for (const [busId, error] of advanceFailures) failures.failBus(busId, error);
}

export interface TripOrderStart {
  tripOrderId: string;
  /** The bus whose `trip_start` names the order: its records are retried when the order cannot be told. */
  busId: string;
  evidence: string;
}

/** The trip orders named by a `trip_start` of a bus still standing, each once (the first start names the evidence). */
export function tripOrderStarts(plans: readonly BusBatchPlan[], failures: BatchFailures): TripOrderStart[] {
  const started = new Map<string, TripOrderStart>();
  for (const plan of plans) {
    if (failures.has(plan.busId)) continue;
    for (const e of plan.dutyEvents) {
      if (e.event === 'trip_start' && e.tripOrderId && !started.has(e.tripOrderId)) {
        const evidence = `${plan.busId} started trip ${e.tripId ?? '?'} at ${new Date(e.ts).toISOString()}`;
        started.set(e.tripOrderId, { tripOrderId: e.tripOrderId, busId: plan.busId, evidence });
      }
    }
  }
  return [...started.values()];
}

/** Puts the trip orders started in this batch into service; when one cannot be, its bus's records are retried. */
export async function startTripOrders(
  plans: readonly BusBatchPlan[],
  tripOrders: TripOrderEvents,
  failures: BatchFailures,
  concurrency: number,
): Promise<void> {
  await forEachLimit(tripOrderStarts(plans, failures), concurrency, async ({ tripOrderId, busId, evidence }) => {
    try {
      await tripOrders.tripStarted(tripOrderId, evidence);
    } catch (err) {
      // Retried with the bus's records; the step itself is idempotent.
      failures.failBus(busId, asError(err));
    }
  });
}

/**
 * The instants that make each bus's journeys due, per bus still standing: a trip just ended (its `trip_end`), or
 * positions arrived for a past part of the day (the span of each chunk written). Which service day an instant
 * falls on is the network's to say.
 */
export function dueJourneyInstants(plans: readonly BusBatchPlan[], telemetry: readonly BusTelemetry[], failures: BatchFailures): Map<string, number[]> {
  const telemetryOf = new Map(telemetry.map((t) => [t.busId, t]));
  const due = new Map<string, number[]>();
  for (const plan of plans) {
    if (failures.has(plan.busId)) continue;
    const instants: number[] = [];
    for (const e of plan.dutyEvents) if (e.event === 'trip_end') instants.push(e.ts);
    // A chunk spans at most minutes: its ends name every service day it touches.
    if (plan.lateGps.length) for (const c of telemetryOf.get(plan.busId)?.gpsChunks ?? []) instants.push(c.firstTsMs, c.lastTsMs);
    if (instants.length) due.set(plan.busId, [...new Set(instants)]);
  }
  return due;
}

/** Recomputes the due journeys; a failure is logged, never failed: journeys are derived, the day-end job redoes them. */
/** Recomputes each due bus's journeys; answers how many buses had theirs recomputed (a failure is logged, not thrown). */
export async function recomputeDueJourneys(due: ReadonlyMap<string, readonly number[]>, journeys: JourneyUpdates, logger: Logger): Promise<number> {
  let recomputed = 0;
  await forEachLimit([...due], 4, async ([busId, instantsMs]) => {
    try {
      await journeys.busDaysAt(busId, instantsMs);
      recomputed++;
    } catch (err) {
      // Their failure must not send stored telemetry to the dead letters.
      logger.error('journeys not recomputed', { busId, error: asError(err).message });
    }
  });
  return recomputed;
}

/** The buses still standing whose position or duty this batch advanced: their predictions are due. */
export function movedBuses(plans: readonly BusBatchPlan[], failures: BatchFailures): string[] {
  return plans.filter((p) => !failures.has(p.busId) && (p.nextPosition || p.nextDuty)).map((p) => p.busId);
}

/** Recomputes the moved buses' arrivals; a failure is logged, never failed: predictions are derived and short-lived. */
export async function updateArrivals(busIds: readonly string[], arrivals: ArrivalUpdates, logger: Logger): Promise<void> {
  if (!busIds.length) return;
  try {
    await arrivals.busesMoved(busIds);
  } catch (err) {
    logger.error('arrivals not recomputed', { buses: busIds.length, error: asError(err).message });
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
