/**
 * Ingests one batch of stream records: decode and validate each, group by bus in arrival order, plan each
 * bus's changes, then persist telemetry before the vehicle state so that a crash in between is repaired by a
 * retry (the state's watermark decides what is new; keys make rewrites idempotent). The steps are in
 * `ingest-steps.ts`.
 */
import type { Logger } from '../ports/logger.js';
import {
  advanceVehicles,
  type ArrivalUpdates,
  BatchFailures,
  decodeBatch,
  dueJourneyInstants,
  movedBuses,
  type JourneyUpdates,
  persistTelemetry,
  planBuses,
  recomputeDueJourneys,
  startTripOrders,
  storeRejects,
  type StreamRecord,
  type TripOrderEvents,
  updateArrivals,
} from './ingest-steps.js';
import type { PlausibilityConfig } from './plausibility.js';
import type { CardPseudonymiser } from '../privacy/card-key-ring.js';
import type { BusTelemetry, RejectStore, TelemetryStore, VehicleStateStore } from './ports.js';

export type { StreamRecord, TripOrderEvents } from './ingest-steps.js';

export interface IngestDeps {
  vehicles: VehicleStateStore;
  telemetry: TelemetryStore;
  rejects: RejectStore;
  pseudonymise: CardPseudonymiser;
  plausibility: PlausibilityConfig;
  logger: Logger;
  /** How many storage lookups run at once. */
  concurrency?: number;
  /** Told when a bus starts a trip of a trip order, so the order goes into service. */
  tripOrders?: TripOrderEvents;
  journeys?: JourneyUpdates;
  /** Predicted arrivals at the stops ahead of the buses that moved, after the journeys. */
  arrivals?: ArrivalUpdates;
}

export interface IngestStats {
  records: number;
  gpsStored: number;
  gpsDuplicates: number;
  taps: number;
  wifi: number;
  dutyEvents: number;
  rejects: number;
  /** The rejects by their code (`schema`, `implausible`, …): one count per code that occurred. */
  rejectsByCode: Record<string, number>;
  failedBuses: number;
  /** Buses whose journeys this batch recomputed (late or out-of-order data). */
  journeysRecomputed: number;
}

export interface IngestResult {
  /** Records that must be retried, with the reason. */
  failures: Map<string, Error>;
  stats: IngestStats;
}

/** Ingests a batch; never throws for bad input, reports storage failures per record. */
export async function ingestBatch(records: readonly StreamRecord[], deps: IngestDeps): Promise<IngestResult> {
  const concurrency = deps.concurrency ?? 16;
  const batch = decodeBatch(records, deps.plausibility);
  const failures = new BatchFailures(batch.recordIdsByBus);
  const [, states] = await Promise.all([
    storeRejects(batch.rejects, deps.rejects, failures, deps.logger),
    deps.vehicles.getMany([...batch.messagesByBus.keys()]),
  ]);
  const plans = planBuses(batch.messagesByBus, states, deps.pseudonymise);
  const { telemetry, gpsDuplicates } = await persistTelemetry(plans, deps.telemetry, failures, concurrency);
  await advanceVehicles(plans, states, deps.vehicles, failures);
  if (deps.tripOrders) await startTripOrders(plans, deps.tripOrders, failures, concurrency);
  const journeysRecomputed = deps.journeys ? await recomputeDueJourneys(dueJourneyInstants(plans, telemetry, failures), deps.journeys, deps.logger) : 0;
  if (deps.arrivals) await updateArrivals(movedBuses(plans, failures), deps.arrivals, deps.logger);
  return {
    failures: failures.records,
    stats: ingestStats(
      records.length,
      batch.rejects.map((r) => r.reject.code),
      gpsDuplicates,
      telemetry.filter((t) => !failures.has(t.busId)),
      failures.buses.size,
      journeysRecomputed,
    ),
  };
}

/** The batch's figures: what was stored counts only for the buses that did not fail. */
export function ingestStats(
  records: number,
  rejectCodes: readonly string[],
  gpsDuplicates: number,
  stored: readonly BusTelemetry[],
  failedBuses: number,
  journeysRecomputed: number,
): IngestStats {
  const rejectsByCode: Record<string, number> = {};
  for (const code of rejectCodes) rejectsByCode[code] = (rejectsByCode[code] ?? 0) + 1;
  return {
    records,
    gpsStored: sum(stored, (t) => t.gpsChunks.reduce((n, c) => n + c.points.length, 0)),
    gpsDuplicates,
    taps: sum(stored, (t) => t.taps.length),
    wifi: sum(stored, (t) => t.wifi.length),
    dutyEvents: sum(stored, (t) => t.dutyEvents.length),
    rejects: rejectCodes.length,
    rejectsByCode,
    failedBuses,
    journeysRecomputed,
  };
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  let n = 0;
  for (const t of items) n += f(t);
  return n;
}
