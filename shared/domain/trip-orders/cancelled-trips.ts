/** The trips a service day's trip orders call off: passengers are not told of them. */
import type { TripOrder } from './schemas.js';

/** Trips of cancelled orders that no other order of the day still runs. */
export function cancelledTripIds(orders: readonly Pick<TripOrder, 'status' | 'trips'>[]): Set<string> {
  const cancelled = new Set<string>();
  const running = new Set<string>();
  for (const o of orders) {
    for (const t of o.trips) if (t.tripId !== undefined) (o.status === 'cancelled' ? cancelled : running).add(t.tripId);
  }
  for (const id of running) cancelled.delete(id);
  return cancelled;
}
