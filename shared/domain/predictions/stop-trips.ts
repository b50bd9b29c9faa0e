/** The trips serving each stop, indexed once per network, and those of one service day as predictions see them. */
import { serviceRunsOn } from '../../gtfs/calendar.js';
import type { Network, Trip } from '../../gtfs/model.js';
import { serviceTimeToEpochMs } from '../../gtfs/time.js';
import { scheduledTripOf } from './serving.js';
import type { ScheduledTrip } from './types.js';

const indexes = new WeakMap<Network, Map<string, Trip[]>>();

function tripsByStop(network: Network): Map<string, Trip[]> {
  let index = indexes.get(network);
  if (!index) {
    index = new Map();
    for (const trip of network.trips.values()) {
      for (const stopId of new Set(trip.stopTimes.map((st) => st.stopId))) {
        const list = index.get(stopId);
        if (list) list.push(trip);
        else index.set(stopId, [trip]);
      }
    }
    indexes.set(network, index);
  }
  return index;
}

/**
 * The trips of `serviceDay` (YYYY-MM-DD) that serve the stop, with their scheduled instants; `known` answers a trip
 * already built for the day (shared by the stops it serves), so each trip's instants are worked out once a day.
 */
export function scheduledTripsAtStop(
  network: Network,
  stopId: string,
  serviceDay: string,
  known?: (tripId: string) => ScheduledTrip | undefined,
): ScheduledTrip[] {
  const midnightMs = serviceTimeToEpochMs(serviceDay, 0, network.timezone);
  return (tripsByStop(network).get(stopId) ?? [])
    .filter((t) => {
      const service = network.services.get(t.serviceId);
      return service !== undefined && serviceRunsOn(service, serviceDay);
    })
    .map((t) => known?.(t.tripId) ?? scheduledTripOf(network, t, midnightMs));
}
