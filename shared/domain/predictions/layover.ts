/**
 * Stage (d), the next trip of a bus still on its previous one: it leaves the terminal after its minimum layover,
 * and never before the timetable's departure.
 */
import type { Predictor, TripPrediction } from './predictors.js';
import type { ScheduledTrip } from './types.js';

/** Departure of the next trip: max(arrival at the terminal + minimum layover, scheduled departure). */
export function nextTripDepartureMs(arrivalAtTerminalMs: number, minLayoverS: number, scheduledDepartureMs: number): number {
  return Math.max(arrivalAtTerminalMs + minLayoverS * 1000, scheduledDepartureMs);
}

/** Arrivals on `nextTrip` (from its second stop), and its departure, for a bus expected at its first stop at `arrivalAtTerminalMs`. */
export function predictNextTrip(
  predictor: Predictor,
  nextTrip: ScheduledTrip,
  busId: string,
  arrivalAtTerminalMs: number,
  minLayoverS: number,
  nowMs: number,
): TripPrediction {
  const first = nextTrip.stops[0];
  if (!first) return { fromIndex: 0, arrivalsMs: [] };
  // Still at the terminal: it leaves no earlier than now.
  const departureMs = Math.max(nowMs, nextTripDepartureMs(arrivalAtTerminalMs, minLayoverS, first.scheduledDepartureMs));
  const prediction = predictor(
    nextTrip,
    {
      busId,
      tripId: nextTrip.tripId,
      progress: { tsMs: departureMs, distanceM: first.distanceM },
      nextStopIndex: 1,
      segmentShare: 0,
      atStop: true,
      delayS: (departureMs - first.scheduledDepartureMs) / 1000,
    },
    nowMs,
  );
  return { ...prediction, departureMs };
}
