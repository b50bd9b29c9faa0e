/**
 * The realtime arrivals the trip updates carry: each fresh bus's trip predictions as the ingest path cached them
 * with the served predictor (the ones the arrivals API answers from), read and not recomputed. As the API, a
 * prediction already behind the clock, or from a fix gone stale, is not served.
 */
import type { Network } from '../../gtfs/model.js';
import { serviceTimeToEpochMs } from '../../gtfs/time.js';
import { SERVING_CONFIG } from '../predictions/serving.js';
import type { CachedTripPrediction } from '../predictions/cache-changes.js';
import type { StopArrival } from '../predictions/types.js';
import type { RealtimeVehicle } from './ports.js';

/** The cached realtime arrivals of every bus on a trip of the network, those still ahead at `nowMs`. */
export function servedTripArrivals(
  network: Network,
  vehicles: readonly RealtimeVehicle[],
  nowMs: number,
  serviceDate: string,
  staleAfterMs = SERVING_CONFIG.staleAfterMs,
): StopArrival[] {
  const out: StopArrival[] = [];
  for (const v of vehicles) {
    const p = v.prediction;
    if (p && p.tripId === v.tripId) out.push(...arrivalsOf(network, v, p, nowMs, v.serviceDate ?? serviceDate, staleAfterMs));
  }
  return out;
}

/** A bus's next trip, not started, as the trip updates publish it: its departure and its arrivals as served. */
export interface ServedNextTrip {
  busId: string;
  tripId: string;
  /** The predicted departure from the first stop, after layover. */
  departureMs: number;
  arrivals: StopArrival[];
}

/**
 * The cached next trip of every bus that has one, not the trip it runs: its arrivals still ahead at `nowMs` (as
 * the arrivals route serves them) and its departure; none from a fix gone stale or with no arrival ahead. The
 * next trip's service day is the current one (the bus's, when it says it).
 */
export function servedNextTrips(
  network: Network,
  vehicles: readonly RealtimeVehicle[],
  nowMs: number,
  serviceDate: string,
  staleAfterMs = SERVING_CONFIG.staleAfterMs,
): ServedNextTrip[] {
  const out: ServedNextTrip[] = [];
  for (const v of vehicles) {
    const p = v.nextPrediction;
    if (!p || p.departureMs === undefined || p.tripId === v.tripId) continue;
    const arrivals = arrivalsOf(network, v, p, nowMs, v.serviceDate ?? serviceDate, staleAfterMs);
    if (arrivals.length > 0) out.push({ busId: v.busId, tripId: p.tripId, departureMs: p.departureMs, arrivals });
  }
  return out;
}

function arrivalsOf(network: Network, v: RealtimeVehicle, p: CachedTripPrediction, nowMs: number, serviceDate: string, staleAfterMs: number): StopArrival[] {
  const out: StopArrival[] = [];
  const trip = network.trips.get(p.tripId);
  if (trip && nowMs - p.fixTsMs <= staleAfterMs) {
    const midnightMs = serviceTimeToEpochMs(serviceDate, 0, network.timezone);
    for (const s of p.stops) {
      const scheduled = trip.stopTimes[s.stopSequence - 1];
      if (s.predictedMs < nowMs || !scheduled) continue;
      out.push({
        stopId: s.stopId,
        stopSequence: s.stopSequence,
        routeId: trip.routeId,
        tripId: trip.tripId,
        busId: v.busId,
        scheduledMs: midnightMs + scheduled.arrivalS * 1000,
        predictedMs: s.predictedMs,
        predicted: true,
        source: 'realtime',
      });
    }
  }
  return out;
}
