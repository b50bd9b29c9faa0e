/**
 * Ingests one batch of stream records: decode and validate each, group by bus in arrival order, plan each
 * bus's changes, then persist telemetry before the vehicle state so that a crash in between is repaired by a
 * retry (the state's watermark decides what is new; keys make rewrites idempotent).
 */
import type { Logger } from '../ports/logger.js';
import { forEachLimit } from '../../kernel/util/concurrency.js';
import { serviceDayOf } from '../../kernel/time/service-day.js';
import { type BusBatchPlan, planBusBatch, type TimedMessage, withoutStored } from './bus-batch-plan.js';
import { decodeTelemetryRecord } from './decode.js';
import { chunkGpsPoints } from './gps-chunks.js';
import type { PlausibilityConfig } from './plausibility.js';
import type { BusTelemetry, RejectStore, TelemetryStore, VehicleAdvance, VehicleStateStore } from './ports.js';
import type { Reject } from './reject.js';

export interface StreamRecord {
  /** Sequence number: what a partial batch failure names. */
  id: string;
  /** The partition key: the bus. */
  partitionKey: string;
  data: Uint8Array;
  arrivalMs: number;
}

export interface IngestDeps {
  vehicles: VehicleStateStore;
  telemetry: TelemetryStore;
  rejects: RejectStore;
  pseudonymise: (cardId: string) => string;
  plausibility: PlausibilityConfig;
  logger: Logger;
  /** How many storage lookups run at once. */
  concurrency?: number;
  /** Told when a bus starts a trip of a trip order, so the order goes into service. */
  tripOrders?: TripOrderEvents;
  journeys?: JourneyUpdates;
}

/** Recomputes a bus's journeys of a service day (after a trip ended, or late data reached a past trip). */
export interface JourneyUpdates {
  busDay(busId: string, serviceDay: string): Promise<unknown>;
}

export interface TripOrderEvents {
  tripStarted(tripOrderId: string, evidence: string): Promise<unknown>;
}

export interface IngestStats {
  records: number;
  gpsStored: number;
  gpsDuplicates: number;
  taps: number;
  wifi: number;
  dutyEvents: number;
  rejects: number;
  failedBuses: number;
}

export interface IngestResult {
  /** Records that must be retried, with the reason. */
  failures: Map<string, Error>;
  stats: IngestStats;
}

/** Ingests a batch; never throws for bad input, reports storage failures per record. */
export async function ingestBatch(records: readonly StreamRecord[], deps: IngestDeps): Promise<IngestResult> {
  const failures = new Map<string, Error>();
  const recordIdsByBus = new Map<string, string[]>();
  const messagesByBus = new Map<string, TimedMessage[]>();
  const rejects: Reject[] = [];
  const rejectOwners: string[] = [];

  for (const record of records) {
    push(recordIdsByBus, record.partitionKey, record.id);
    const decoded = decodeTelemetryRecord(record.data, record.arrivalMs, deps.plausibility);
    for (const r of decoded.rejects) {
      rejects.push(r);
      rejectOwners.push(record.id);
    }
    if (decoded.message) push(messagesByBus, record.partitionKey, { message: decoded.message, receivedAt: decoded.receivedAt });
  }

  const failedBuses = new Set<string>();
  const failBus = (busId: string, error: Error) => {
    failedBuses.add(busId);
    for (const id of recordIdsByBus.get(busId) ?? []) failures.set(id, error);
  };

  const [rejectFailures, states] = await Promise.all([
    rejects.length ? deps.rejects.put(rejects) : Promise.resolve(new Set<number>()),
    deps.vehicles.getMany([...messagesByBus.keys()]),
  ]);
  for (const i of rejectFailures) failures.set(rejectOwners[i]!, new Error('could not store reject'));
  for (const r of rejects) {
    deps.logger.warn('telemetry rejected', { code: r.code, reason: r.reason, busId: r.busId, topic: r.topic, field: r.field });
  }

  const plans: BusBatchPlan[] = [];
  for (const [busId, messages] of messagesByBus) {
    plans.push(planBusBatch(busId, states.get(busId), messages, deps.pseudonymise));
  }

  let gpsDuplicates = 0;
  const telemetry: BusTelemetry[] = [];
  await forEachLimit(plans, deps.concurrency ?? 16, async (plan) => {
    let late = plan.lateGps;
    if (late.length) {
      try {
        const stored = await deps.telemetry.storedGpsTimestamps(plan.busId, late[0]!.ts, late[late.length - 1]!.ts, plan.clockOffsetMs);
        late = withoutStored(late, stored);
      } catch (err) {
        failBus(plan.busId, err as Error);
        return;
      }
    }
    gpsDuplicates += plan.lateGps.length - late.length;
    telemetry.push({
      busId: plan.busId,
      gpsChunks: [...chunkGpsPoints(late, plan.clockOffsetMs), ...chunkGpsPoints(plan.freshGps, plan.clockOffsetMs)],
      taps: plan.taps,
      wifi: plan.wifi,
      dutyEvents: plan.dutyEvents,
    });
  });

  const writeFailures = await deps.telemetry.write(telemetry);
  for (const [busId, error] of writeFailures) failBus(busId, error);

  const advances: VehicleAdvance[] = [];
  for (const plan of plans) {
    if (failedBuses.has(plan.busId)) continue;
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
  const advanceFailures = await deps.vehicles.advance(advances);
  for (const [busId, error] of advanceFailures) failBus(busId, error);

  if (deps.tripOrders) {
    const started = new Map<string, string>();
    for (const plan of plans) {
      if (failedBuses.has(plan.busId)) continue;
      for (const e of plan.dutyEvents) {
        if (e.event === 'trip_start' && e.tripOrderId && !started.has(e.tripOrderId)) {
          started.set(e.tripOrderId, `${plan.busId} started trip ${e.tripId ?? '?'} at ${new Date(e.ts).toISOString()}`);
        }
      }
    }
    const owner = new Map(plans.flatMap((p) => p.dutyEvents.filter((e) => e.tripOrderId).map((e) => [e.tripOrderId!, p.busId] as const)));
    await forEachLimit([...started], deps.concurrency ?? 16, async ([id, evidence]) => {
      try {
        await deps.tripOrders!.tripStarted(id, evidence);
      } catch (err) {
        // Retried with the bus's records; the step itself is idempotent.
        failBus(owner.get(id)!, err as Error);
      }
    });
  }

  if (deps.journeys) {
    // A trip just ended, or positions arrived for a past part of the day: that bus-day's journeys are due.
    const due = new Set<string>();
    const telemetryOf = new Map(telemetry.map((t) => [t.busId, t]));
    for (const plan of plans) {
      if (failedBuses.has(plan.busId)) continue;
      for (const e of plan.dutyEvents) if (e.event === 'trip_end') due.add(`${plan.busId}|${serviceDayOf(e.ts)}`);
      if (plan.lateGps.length) for (const c of telemetryOf.get(plan.busId)?.gpsChunks ?? []) due.add(`${plan.busId}|${c.serviceDay}`);
    }
    await forEachLimit([...due], 4, async (key) => {
      const [busId, day] = key.split('|') as [string, string];
      try {
        await deps.journeys!.busDay(busId, day);
      } catch (err) {
        // Journeys are derived: their failure must not send stored telemetry to the dead letters. The day-end
        // job recomputes every bus-day anyway.
        deps.logger.error('journeys not recomputed', { busId, serviceDay: day, error: (err as Error).message });
      }
    });
  }

  const stored = telemetry.filter((t) => !failedBuses.has(t.busId));
  return {
    failures,
    stats: {
      records: records.length,
      gpsStored: sum(stored, (t) => t.gpsChunks.reduce((n, c) => n + c.points.length, 0)),
      gpsDuplicates,
      taps: sum(stored, (t) => t.taps.length),
      wifi: sum(stored, (t) => t.wifi.length),
      dutyEvents: sum(stored, (t) => t.dutyEvents.length),
      rejects: rejects.length,
      failedBuses: failedBuses.size,
    },
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  let n = 0;
  for (const t of items) n += f(t);
  return n;
}
