/**
 * Predicted arrivals of the buses running trips now, for the realtime feeds: each fresh bus's fix is matched
 * onto its trip's shape (its progress along the pattern) and the predictor gives the stops ahead. The same
 * stages as a stop's arrivals (shared/domain/predictions), taken trip by trip instead of stop by stop.
 */
import type { Network, Trip } from '../../gtfs/model.js';
import { serviceTimeToEpochMs } from '../../gtfs/time.js';
import { projectOntoPolyline } from '../../kernel/geo/polyline.js';
import type { Predictor } from '../predictions/predictors.js';
import { DEFAULT_ARRIVALS_CONFIG, predictTripOfVehicle } from '../predictions/stop-arrivals.js';
import type { ScheduledTrip, StopArrival } from '../predictions/types.js';
import type { RealtimeVehicle } from './ports.js';
import { shapeLineOf } from './shape-line.js';

export interface LiveArrivalsInput {
  network: Network;
  nowMs: number;
  serviceDate: string;
  vehicles: readonly RealtimeVehicle[];
  predictor: Predictor;
  staleAfterMs?: number;
}

/** A network trip on `serviceDate` as the predictors take it (stops numbered 1…n along the pattern). */
function scheduledTripOf(network: Network, trip: Trip, serviceDate: string): ScheduledTrip {
  const midnightMs = serviceTimeToEpochMs(serviceDate, 0, network.timezone);
  return {
    tripId: trip.tripId,
    routeId: trip.routeId,
    patternId: trip.patternId,
    ...(trip.headsign === undefined ? {} : { headsign: trip.headsign }),
    ...(trip.frequency && !trip.frequency.exactTimes ? { frequencyBased: true } : {}),
    stops: trip.stopTimes.map((st, i) => ({
      stopId: st.stopId,
      stopSequence: i + 1,
      distanceM: st.distanceM,
      scheduledArrivalMs: midnightMs + st.arrivalS * 1000,
      scheduledDepartureMs: midnightMs + st.departureS * 1000,
    })),
  };
}

/** The realtime arrivals at the stops ahead of every fresh bus on a trip of the network. */
export function predictLiveArrivals(input: LiveArrivalsInput): StopArrival[] {
  const staleAfterMs = input.staleAfterMs ?? DEFAULT_ARRIVALS_CONFIG.staleAfterMs;
  const out: StopArrival[] = [];
  for (const v of input.vehicles) {
    const trip = v.tripId === undefined ? undefined : input.network.trips.get(v.tripId);
    const line = trip && shapeLineOf(input.network, trip);
    if (!trip || !line || input.nowMs - v.fixMs > staleAfterMs) continue;
    const scheduled = scheduledTripOf(input.network, trip, v.serviceDate ?? input.serviceDate);
    const progress = { tsMs: v.fixMs, distanceM: projectOntoPolyline(line, v).distanceAlongM };
    const live = predictTripOfVehicle(
      scheduled,
      { busId: v.busId, tripId: trip.tripId, progress },
      { nowMs: input.nowMs, predictor: input.predictor, tripOf: () => undefined },
      { ...DEFAULT_ARRIVALS_CONFIG, staleAfterMs },
    );
    live?.arrivalsMs.forEach((predictedMs, k) => {
      const stop = scheduled.stops[live.fromIndex + k];
      if (!stop) return;
      out.push({
        stopId: stop.stopId,
        stopSequence: stop.stopSequence,
        routeId: trip.routeId,
        tripId: trip.tripId,
        busId: v.busId,
        scheduledMs: stop.scheduledArrivalMs,
        predictedMs,
        predicted: true,
        source: 'realtime',
        ...(scheduled.frequencyBased ? {} : { delayS: Math.round((predictedMs - stop.scheduledArrivalMs) / 1000) }),
      });
    });
  }
  return out;
}
