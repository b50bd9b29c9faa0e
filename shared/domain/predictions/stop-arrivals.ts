/**
 * Stage (e), a stop's next arrivals: each trip serving the stop is predicted from its bus when the bus is live
 * (on the trip, or still on its previous trip: departure after layover), and falls back to the schedule
 * (`predicted: false`, source `scheduled`) when there is no live bus or its last fix is stale. A bus that has
 * passed the stop is not announced.
 */
import { predictNextTrip } from './layover.js';
import type { Predictor, TripPrediction } from './predictors.js';
import type { LiveVehicle, ScheduledTrip, StopArrival } from './types.js';
import { vehicleState } from './vehicle-state.js';

export interface ArrivalsConfig {
  /** A bus without a fix for this long is not live. Default 5 min. */
  staleAfterMs: number;
  /** Minimum layover at a terminal between two trips, seconds. Default 300. */
  minLayoverS: number;
  /** Arrivals further ahead than this are not listed. Default 90 min. */
  windowMs: number;
  /** At most this many arrivals. Default 10. */
  limit: number;
}

export const DEFAULT_ARRIVALS_CONFIG: ArrivalsConfig = { staleAfterMs: 5 * 60_000, minLayoverS: 300, windowMs: 90 * 60_000, limit: 10 };

export interface StopArrivalsInput {
  stopId: string;
  nowMs: number;
  /** The service day's trips serving the stop (cancelled and missed trips already left out). */
  trips: readonly ScheduledTrip[];
  vehicles: readonly LiveVehicle[];
  /** Any trip of the day by id (a bus's current trip need not serve the stop). */
  tripOf: (tripId: string) => ScheduledTrip | undefined;
  predictor: Predictor;
}

function isRunning(vehicle: LiveVehicle, tripId: string): boolean {
  return vehicle.tripId === tripId && vehicle.tripEndedMs === undefined;
}

/** Realtime arrivals of a live bus on `trip`: on it now, or on the trip before it. Undefined: not live. */
export function predictTripOfVehicle(
  trip: ScheduledTrip,
  vehicle: LiveVehicle,
  input: Pick<StopArrivalsInput, 'nowMs' | 'tripOf' | 'predictor'>,
  c: ArrivalsConfig,
): TripPrediction | undefined {
  if (input.nowMs - vehicle.progress.tsMs > c.staleAfterMs) return undefined;
  if (isRunning(vehicle, trip.tripId)) return input.predictor(trip, vehicleState(trip, vehicle.busId, vehicle.progress), input.nowMs);
  if (vehicle.nextTripId !== trip.tripId) return undefined;
  const current = vehicle.tripId === undefined || vehicle.tripEndedMs !== undefined ? undefined : input.tripOf(vehicle.tripId);
  // Waiting at the terminal (trip ended, or none yet): the layover runs from the trip's end, or from now.
  let endMs = vehicle.tripEndedMs ?? vehicle.progress.tsMs;
  if (current) {
    const ahead = input.predictor(current, vehicleState(current, vehicle.busId, vehicle.progress), input.nowMs);
    endMs = ahead.arrivalsMs[ahead.arrivalsMs.length - 1] ?? vehicle.progress.tsMs;
  }
  return predictNextTrip(input.predictor, trip, vehicle.busId, endMs, c.minLayoverS, input.nowMs);
}

/** The stop's next arrivals, soonest first. */
export function predictStopArrivals(input: StopArrivalsInput, cfg: Partial<ArrivalsConfig> = {}): StopArrival[] {
  const c: ArrivalsConfig = { ...DEFAULT_ARRIVALS_CONFIG, ...cfg };
  const out: StopArrival[] = [];
  for (const trip of input.trips) {
    const index = trip.stops.findIndex((s) => s.stopId === input.stopId);
    const stop = trip.stops[index];
    if (!stop) continue;
    const base = {
      stopId: stop.stopId,
      stopSequence: stop.stopSequence,
      routeId: trip.routeId,
      tripId: trip.tripId,
      ...(trip.headsign === undefined ? {} : { headsign: trip.headsign }),
      scheduledMs: stop.scheduledArrivalMs,
    };
    const onTrip = input.vehicles.find((v) => isRunning(v, trip.tripId));
    const vehicle = onTrip ?? input.vehicles.find((v) => v.nextTripId === trip.tripId);
    // Past the stop (by its last known position, live or stale): not announced.
    if (onTrip && vehicleState(trip, onTrip.busId, onTrip.progress).nextStopIndex > index) continue;
    const live = vehicle ? predictTripOfVehicle(trip, vehicle, input, c) : undefined;
    const predictedMs = live?.arrivalsMs[index - live.fromIndex];
    if (vehicle && live && predictedMs !== undefined) {
      const busAtM = onTrip ? onTrip.progress.distanceM : (trip.stops[0]?.distanceM ?? 0);
      out.push({
        ...base,
        busId: vehicle.busId,
        predictedMs,
        predicted: true,
        source: 'realtime',
        ...(trip.frequencyBased ? {} : { delayS: Math.round((predictedMs - stop.scheduledArrivalMs) / 1000) }),
        stopsAway: onTrip ? index - live.fromIndex + 1 : index + 1,
        distanceM: Math.max(0, Math.round(stop.distanceM - busAtM)),
      });
    } else {
      out.push({ ...base, predictedMs: stop.scheduledArrivalMs, predicted: false, source: 'scheduled', ...(trip.frequencyBased ? {} : { delayS: 0 }) });
    }
  }
  return out
    .filter((a) => a.predictedMs >= input.nowMs && a.predictedMs <= input.nowMs + c.windowMs)
    .sort((a, b) => a.predictedMs - b.predictedMs)
    .slice(0, c.limit);
}
