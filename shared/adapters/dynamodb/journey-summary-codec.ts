/**
 * The compact reconciliation summary of a bus's trips on a day for one operator: each trip as reconciliation reads
 * it (`ReconciliationJourney`), its stop visits as tuples, the whole gzip-compressed JSON in one binary attribute.
 * A few hundred bytes a trip instead of the full record's ~15 KB, so that a day's run reads little.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { reconciliationJourneyOf } from '../../domain/reconciliation/journey-view.js';
import type { ReconciliationJourney, ReconciliationVisit } from '../../domain/reconciliation/types.js';

/** stopId, stopSequence, status, arrivalMs, departureMs, scheduledArrivalMs, scheduledDepartureMs, revenueVnd (null: absent). */
type VisitTuple = [string, number, ReconciliationVisit['status'], number | null, number | null, number | null, number | null, number];
type StoredTrip = Omit<ReconciliationJourney, 'visits'> & { visits: VisitTuple[] };

/** The trips' summary as stored (gzip-compressed JSON). */
export function encodeSummary(trips: readonly ReconciliationJourney[]): Uint8Array {
  const stored: StoredTrip[] = trips.map((t) => {
    const { visits, ...rest } = reconciliationJourneyOf(t);
    return {
      ...rest,
      visits: visits.map((v) => [
        v.stopId,
        v.stopSequence,
        v.status,
        v.arrivalMs ?? null,
        v.departureMs ?? null,
        v.scheduledArrivalMs ?? null,
        v.scheduledDepartureMs ?? null,
        v.revenueVnd,
      ]),
    };
  });
  return gzipSync(JSON.stringify(stored));
}

/** The trips of a stored summary. */
export function decodeSummary(data: Uint8Array): ReconciliationJourney[] {
  const stored = JSON.parse(gunzipSync(data).toString('utf8')) as StoredTrip[];
  return stored.map(({ visits, ...rest }) => ({
    ...rest,
    visits: visits.map(([stopId, stopSequence, status, arrivalMs, departureMs, scheduledArrivalMs, scheduledDepartureMs, revenueVnd]) => ({
      stopId,
      stopSequence,
      status,
      ...(arrivalMs !== null ? { arrivalMs } : {}),
      ...(departureMs !== null ? { departureMs } : {}),
      ...(scheduledArrivalMs !== null ? { scheduledArrivalMs } : {}),
      ...(scheduledDepartureMs !== null ? { scheduledDepartureMs } : {}),
      revenueVnd,
    })),
  }));
}
