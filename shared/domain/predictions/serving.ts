/**
 * Serving predictions: the ingest path predicts, for each bus that moved, the stops ahead of it on its trip and
 * caches one entry per trip on each stop (`CachedArrival`); a request merges a stop's cached entries with the
 * service day's schedule (`arrivalsFromCache`), so it reads and never predicts. The served predictor is P3
 * (docs/predictions.md).
 */
import type { Network, Trip } from '../../gtfs/model.js';
import type { Predictor } from './predictors.js';
import { learnedTravelTimePredictor } from './predictors.js';
import { predictStopArrivals, DEFAULT_ARRIVALS_CONFIG } from './stop-arrivals.js';
import type { TravelTimeHistory } from './travel-time-history.js';
import type { LiveVehicle, ScheduledTrip, StopArrival } from './types.js';

/** P3, the predictor the benchmark found best: learned travel times with the pattern-wide ratio. */
export function servedPredictor(history: TravelTimeHistory): Predictor {
  return learnedTravelTimePredictor(history, { patternRatioWeight: 1 });
}

/** A GTFS trip on the service day whose midnight (time zone of the network) is `midnightMs`. */
export function scheduledTripOf(network: Pick<Network, 'patterns'>, trip: Trip, midnightMs: number): ScheduledTrip {
  const headsign = trip.headsign ?? network.patterns.get(trip.patternId)?.headsign;
  return {
    tripId: trip.tripId,
    routeId: trip.routeId,
    patternId: trip.patternId,
    ...(headsign === undefined ? {} : { headsign }),
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

/** How full the bus is, as far as its devices tell: fare taps since its trip started, clients on its wifi. */
export interface Occupancy {
  tapsThisTrip: number;
  wifiClients?: number;
}

/** What the ingest path leaves on a stop for one trip: the bus's predicted arrival, or that it has passed. */
export type CachedArrival =
  | {
      kind: 'predicted';
      tripId: string;
      busId: string;
      predictedMs: number;
      delayS?: number;
      stopsAway: number;
      distanceM: number;
      fixTsMs: number;
      occupancy?: Occupancy;
    }
  | { kind: 'passed'; tripId: string; busId: string; fixTsMs: number };

/**
 * For one bus on `trip`, the entry of every stop of the trip: predicted ahead of the bus (`predictStopArrivals`
 * on the trip and its bus), passed behind it. Empty when the bus is stale: the stops keep their schedule.
 */
export function cachedArrivalsOfBus(
  trip: ScheduledTrip,
  vehicle: LiveVehicle,
  nowMs: number,
  predictor: Predictor,
  occupancy?: Occupancy,
): Map<string, CachedArrival> {
  const out = new Map<string, CachedArrival>();
  if (nowMs - vehicle.progress.tsMs > DEFAULT_ARRIVALS_CONFIG.staleAfterMs) return out;
  const tripOf = (id: string) => (id === trip.tripId ? trip : undefined);
  for (const stop of trip.stops) {
    if (out.has(stop.stopId)) continue;
    const [arrival] = predictStopArrivals(
      { stopId: stop.stopId, nowMs, trips: [trip], vehicles: [vehicle], tripOf, predictor },
      { windowMs: Number.POSITIVE_INFINITY, limit: 1 },
    );
    const base = { tripId: trip.tripId, busId: vehicle.busId, fixTsMs: vehicle.progress.tsMs };
    if (arrival?.source === 'realtime') {
      out.set(stop.stopId, {
        ...base,
        kind: 'predicted',
        predictedMs: arrival.predictedMs,
        ...(arrival.delayS === undefined ? {} : { delayS: arrival.delayS }),
        stopsAway: arrival.stopsAway ?? 0,
        distanceM: arrival.distanceM ?? 0,
        ...(occupancy ? { occupancy } : {}),
      });
    } else if (!arrival) {
      // Not announced by the bus's own trip: it has passed the stop.
      out.set(stop.stopId, { ...base, kind: 'passed' });
    }
  }
  return out;
}

/** A stop's arrival as served: a stale bus's trip falls back to its schedule and says so. */
export type ServedArrival = StopArrival & { stale?: boolean; occupancy?: Occupancy };

export interface ArrivalsQuery {
  limit: number;
  routeId?: string;
  /** Only arrivals at least this many minutes from now. */
  minutesAfter?: number;
}

/**
 * A stop's next arrivals from its cached entries and the day's trips serving it (cancelled and missed trips
 * already left out): a trip with a fresh predicted entry is realtime; a trip whose bus passed the stop is not
 * announced; any other trip, or one whose bus went stale, is its schedule.
 */
export function arrivalsFromCache(
  stopId: string,
  trips: readonly ScheduledTrip[],
  cached: ReadonlyMap<string, CachedArrival>,
  nowMs: number,
  query: ArrivalsQuery,
  staleAfterMs: number = DEFAULT_ARRIVALS_CONFIG.staleAfterMs,
  windowMs: number = DEFAULT_ARRIVALS_CONFIG.windowMs,
): ServedArrival[] {
  const fromMs = nowMs + (query.minutesAfter ?? 0) * 60_000;
  const out: ServedArrival[] = [];
  for (const trip of trips) {
    if (query.routeId !== undefined && trip.routeId !== query.routeId) continue;
    const stop = trip.stops.find((s) => s.stopId === stopId);
    if (!stop) continue;
    const entry = cached.get(trip.tripId);
    if (entry?.kind === 'passed') continue;
    const base = {
      stopId,
      stopSequence: stop.stopSequence,
      routeId: trip.routeId,
      tripId: trip.tripId,
      ...(trip.headsign === undefined ? {} : { headsign: trip.headsign }),
      scheduledMs: stop.scheduledArrivalMs,
    };
    const stale = entry !== undefined && nowMs - entry.fixTsMs > staleAfterMs;
    if (entry && !stale) {
      out.push({
        ...base,
        busId: entry.busId,
        predictedMs: entry.predictedMs,
        predicted: true,
        source: 'realtime',
        ...(entry.delayS === undefined ? {} : { delayS: entry.delayS }),
        stopsAway: entry.stopsAway,
        distanceM: entry.distanceM,
        ...(entry.occupancy ? { occupancy: entry.occupancy } : {}),
      });
    } else {
      out.push({
        ...base,
        predictedMs: stop.scheduledArrivalMs,
        predicted: false,
        source: 'scheduled',
        ...(trip.frequencyBased ? {} : { delayS: 0 }),
        ...(stale ? { busId: entry.busId, stale: true } : {}),
      });
    }
  }
  return out
    .filter((a) => a.predictedMs >= fromMs && a.predictedMs <= nowMs + windowMs)
    .sort((a, b) => a.predictedMs - b.predictedMs)
    .slice(0, query.limit);
}
