/** Trip run times from the network BusFlow holds: a trip's own times when known, else its route direction's median. */
import type { Network } from '../../gtfs/model.js';
import type { TripDurations } from '../../domain/trip-orders/ports.js';

/** Used when the network does not know the route (or none is loaded): an hour, a typical HCMC trip. */
const FALLBACK_TRIP_DURATION_S = 3600;

export function tripDurationsOf(network: Network | undefined): TripDurations {
  const byTrip = new Map<string, number>();
  const byDirection = new Map<string, number[]>();
  for (const t of network?.trips.values() ?? []) {
    const first = t.stopTimes[0];
    const last = t.stopTimes[t.stopTimes.length - 1];
    if (!first || !last) continue;
    const d = last.arrivalS - first.departureS;
    byTrip.set(t.tripId, d);
    const key = `${t.routeId}|${t.directionId ?? ''}`;
    (byDirection.get(key) ?? byDirection.set(key, []).get(key)!).push(d);
  }
  const median = new Map([...byDirection].map(([k, v]) => [k, v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!]));
  return {
    tripDurationS: (routeId, directionId, tripId) =>
      (tripId ? byTrip.get(tripId) : undefined) ??
      median.get(`${routeId}|${directionId ?? ''}`) ??
      median.get(`${routeId}|0`) ??
      median.get(`${routeId}|`) ??
      FALLBACK_TRIP_DURATION_S,
  };
}
