/**
 * A network trip as GTFS-Realtime names it. Trips expanded from frequencies.txt are published as their template
 * trip (the id the static feed has) with the run's start_time; exact_times 0 runs are UNSCHEDULED, as the
 * reference asks, every other trip SCHEDULED. start_time is the first stop time of the trip, so it matches the
 * static feed (and, for exact_times 1, falls on the frequency's headway grid).
 */
import type { Network, Trip } from '../../gtfs/model.js';
import { formatGtfsTime } from '../../gtfs/time.js';
import type { TripDescriptor } from './feed-message.js';

/** The descriptor of `tripId` on `serviceDate` (YYYY-MM-DD); undefined for a trip the network does not have. */
export function tripDescriptorOf(network: Network, tripId: string, serviceDate: string): { trip: Trip; descriptor: TripDescriptor } | undefined {
  const trip = network.trips.get(tripId);
  const first = trip?.stopTimes[0];
  if (!trip || !first || !network.routes.has(trip.routeId)) return undefined;
  const frequencyBased = trip.frequency !== undefined && !trip.frequency.exactTimes;
  return {
    trip,
    descriptor: {
      tripId: trip.frequency?.templateTripId ?? trip.tripId,
      routeId: trip.routeId,
      ...(trip.directionId === undefined ? {} : { directionId: trip.directionId }),
      startTime: formatGtfsTime(trip.frequency ? first.departureS : first.arrivalS),
      startDate: serviceDate.replace(/-/g, ''),
      scheduleRelationship: frequencyBased ? 'UNSCHEDULED' : 'SCHEDULED',
    },
  };
}
