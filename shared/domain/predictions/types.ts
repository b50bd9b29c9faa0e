/**
 * Types of the predictions pipeline, stage by stage (TransitClock style): stop visits → travel-time history
 * (travel-time-history.ts) → the vehicle's state on its trip (vehicle-state.ts) → a predictor's arrival times
 * (predictors.ts), the next trip after layover (layover.ts) → a stop's next arrivals (stop-arrivals.ts).
 */

/** One stop of a trip with its scheduled times as instants. */
interface ScheduledStop {
  stopId: string;
  /** 1-based position in the pattern (GTFS stop_sequence as the journeys number it). */
  stopSequence: number;
  /** Distance along the pattern's shape. */
  distanceM: number;
  scheduledArrivalMs: number;
  scheduledDepartureMs: number;
}

/** A trip of the service day as predictions need it. */
export interface ScheduledTrip {
  tripId: string;
  routeId: string;
  patternId: string;
  headsign?: string;
  stops: readonly ScheduledStop[];
  /** A frequencies.txt run with exact_times 0: only the headway is promised, so no delay is stated. */
  frequencyBased?: boolean;
}

/** The last matched position of a bus on its trip (stage 2 of the journeys: progress along the pattern). */
export interface MatchedProgress {
  tsMs: number;
  distanceM: number;
}

/** What the stack knows of a bus: its current trip, the next one of its order, and its last matched position. */
export interface LiveVehicle {
  busId: string;
  /** Absent: signed on and waiting for its first trip. */
  tripId?: string;
  /** The current trip has ended (trip_end) at this instant, at its last terminal: the bus is on layover. */
  tripEndedMs?: number;
  /** The trip the bus runs after the current one (its trip order), for departures after layover. */
  nextTripId?: string;
  progress: MatchedProgress;
}

/** One predicted (or scheduled) arrival at a stop. */
export interface StopArrival {
  stopId: string;
  stopSequence: number;
  routeId: string;
  tripId: string;
  headsign?: string;
  busId?: string;
  scheduledMs: number;
  predictedMs: number;
  /** True when computed from live data; false for the schedule fallback. */
  predicted: boolean;
  source: 'realtime' | 'scheduled';
  /** Predicted minus scheduled, seconds; absent for a frequency-based trip (no minute is promised). */
  delayS?: number;
  /** Stops between the bus and this stop, this one included (1 = next stop). */
  stopsAway?: number;
  /** Along the pattern, from the bus to the stop. */
  distanceM?: number;
}
