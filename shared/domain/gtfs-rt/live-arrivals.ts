/**
 * The realtime arrivals the trip updates carry: each fresh bus's trip predictions as the ingest path cached them
 * with the served predictor (the ones the arrivals API answers from), read and not recomputed. As the API, a
 * prediction already behind the clock, or from a fix gone stale, is not served.
 */
import type { Network } from '../../gtfs/model.js';
import { serviceTimeToEpochMs } from '../../gtfs/time.js';
import { SERVING_CONFIG } from '../predictions/serving.js';
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
    const trip = p && p.tripId === v.tripId ? network.trips.get(p.tripId) : undefined;
    if (!p || !trip || nowMs - p.fixTsMs > staleAfterMs) continue;
    const midnightMs = serviceTimeToEpochMs(v.serviceDate ?? serviceDate, 0, network.timezone);
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
