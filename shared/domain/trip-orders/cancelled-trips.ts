/**
 * What a service day's trip orders tell passengers: the trips called off (not announced), when each trip an
 * order runs is planned to leave (a trip not started by then plus the late limit is missed), and which trip a
 * bus runs next (predicted from the end of the one before).
 */
import type { TripOrder } from './schemas.js';

type OrderTrips = Pick<TripOrder, 'status' | 'trips'>;

/** Trips of cancelled orders that no other order of the day still runs. */
export function cancelledTripIds(orders: readonly OrderTrips[]): Set<string> {
  const cancelled = new Set<string>();
  const running = new Set<string>();
  for (const o of orders) {
    for (const t of o.trips) if (t.tripId !== undefined) (o.status === 'cancelled' ? cancelled : running).add(t.tripId);
  }
  for (const id of running) cancelled.delete(id);
  return cancelled;
}

/** The day's trips as its orders plan them. */
export interface OrderedTrips {
  /** Trips of cancelled orders that no other order runs. */
  cancelled: Set<string>;
  /** Planned departure (epoch ms) of each trip an order that is not cancelled runs (the earliest, if two). */
  plannedDepartureMs: Map<string, number>;
}

/** A draft is not yet an order a bus runs; a cancelled one is called off. */
const runs = (o: OrderTrips) => o.status !== 'cancelled' && o.status !== 'draft';

/** The cancelled trips and the planned departures of a service day's orders. */
export function orderedTripsOf(orders: readonly OrderTrips[]): OrderedTrips {
  const plannedDepartureMs = new Map<string, number>();
  for (const o of orders) {
    if (!runs(o)) continue;
    for (const t of o.trips) {
      if (t.tripId === undefined) continue;
      const ms = Date.parse(t.plannedDeparture);
      plannedDepartureMs.set(t.tripId, Math.min(ms, plannedDepartureMs.get(t.tripId) ?? ms));
    }
  }
  return { cancelled: cancelledTripIds(orders), plannedDepartureMs };
}

/** A trip a bus is ordered to run. */
export interface PlannedTrip {
  tripId: string;
  plannedDepartureMs: number;
}

/**
 * The trip a bus runs after `afterTripId` by its orders of the day (in planned departure order); with no trip
 * run yet, its first trip not yet missed at `nowMs` (planned departure + `lateAfterMs` still ahead).
 */
export function nextOrderedTrip(
  busOrders: readonly OrderTrips[],
  afterTripId: string | undefined,
  nowMs: number,
  lateAfterMs: number,
): PlannedTrip | undefined {
  const trips = busOrders
    .filter(runs)
    .flatMap((o) => o.trips.flatMap((t) => (t.tripId === undefined ? [] : [{ tripId: t.tripId, plannedDepartureMs: Date.parse(t.plannedDeparture) }])))
    .sort((a, b) => a.plannedDepartureMs - b.plannedDepartureMs);
  if (afterTripId === undefined) return trips.find((t) => t.plannedDepartureMs + lateAfterMs > nowMs);
  const at = trips.findIndex((t) => t.tripId === afterTripId);
  return at < 0 ? undefined : trips[at + 1];
}
