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
  failedBuses: number;
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
  if (deps.journeys) await recomputeDueJourneys(dueJourneyInstants(plans, telemetry, failures), deps.journeys, deps.logger);
  if (deps.arrivals) await updateArrivals(movedBuses(plans, failures), deps.arrivals, deps.logger);
  return {
    failures: failures.records,
    stats: ingestStats(
      records.length,
      batch.rejects.length,
      gpsDuplicates,
      telemetry.filter((t) => !failures.has(t.busId)),
      failures.buses.size,
    ),
  };
}

/** The batch's figures: what was stored counts only for the buses that did not fail. */
export function ingestStats(records: number, rejects: number, gpsDuplicates: number, stored: readonly BusTelemetry[], failedBuses: number): IngestStats {
  return {
    records,
    gpsStored: sum(stored, (t) => t.gpsChunks.reduce((n, c) => n + c.points.length, 0)),
    gpsDuplicates,
    taps: sum(stored, (t) => t.taps.length),
    wifi: sum(stored, (t) => t.wifi.length),
    dutyEvents: sum(stored, (t) => t.dutyEvents.length),
    rejects,
    failedBuses,
  };
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  let n = 0;
  for (const t of items) n += f(t);
  return n;
}
