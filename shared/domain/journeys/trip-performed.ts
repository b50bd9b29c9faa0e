/**
 * Stage 4, trip performed: a trip's stop visits summed up into what TIDES calls a trip performed. Skipped stops
 * count against completion; unobserved ones (data gaps) count against it too, since nothing shows they were
 * served, but they are reported apart so that reconciliation can tell missing data from a missed stop.
 */
import type { JourneyPattern, StopVisit, TripPerformed, TripPerformedConfig } from './types.js';

const DEFAULT_TRIP_PERFORMED_CONFIG: TripPerformedConfig = { completeShare: 0.9, partialShare: 0.5, ended: false };

/** Status, counts, times and distance of a trip from its stop visits (one per pattern stop, in order). */
export function summariseTripPerformed(pattern: JourneyPattern, visits: readonly StopVisit[], cfg: Partial<TripPerformedConfig> = {}): TripPerformed {
  const c: TripPerformedConfig = { ...DEFAULT_TRIP_PERFORMED_CONFIG, ...cfg };
  const count = (status: StopVisit['status']) => visits.filter((v) => v.status === status).length;
  const stopsVisited = count('visited');
  const stopsSkipped = count('skipped');
  const stopsUnobserved = visits.length - stopsVisited - stopsSkipped;
  const share = visits.length > 0 ? stopsVisited / visits.length : 0;
  const lastVisit = visits[visits.length - 1];
  const reachedEnd = lastVisit !== undefined && lastVisit.status !== 'unobserved';

  const visited = visits.filter((v) => v.status === 'visited');
  const first = visited[0];
  const last = visited[visited.length - 1];
  const startMs = first?.departureMs ?? first?.arrivalMs;
  const endMs = last?.arrivalMs;

  const observedIdx = visits.flatMap((v, i) => (v.status === 'unobserved' ? [] : [i]));
  const distanceAt = (i: number | undefined) => (i === undefined ? undefined : pattern.stops[i]?.distanceM);
  const fromM = distanceAt(observedIdx[0]);
  const toM = distanceAt(observedIdx[observedIdx.length - 1]);
  const distanceM = fromM === undefined || toM === undefined ? 0 : Math.max(0, toM - fromM);

  const status: TripPerformed['status'] = !c.ended && !reachedEnd ? 'in_progress' : share >= c.completeShare ? 'completed' : 'partial';
  return {
    status,
    performed: share >= c.partialShare,
    stopsVisited,
    stopsSkipped,
    stopsUnobserved,
    ...(startMs === undefined ? {} : { startMs }),
    ...(endMs === undefined ? {} : { endMs }),
    distanceM,
  };
}
