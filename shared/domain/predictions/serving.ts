/**
 * Serving predictions: the ingest path predicts, for each bus that moved, the stops ahead of it on its trip and
 * on its next one, and caches one entry per trip on each stop (`cacheWritesOfBus`); a request merges a stop's
 * cached entries with the service day's schedule and trip orders (`arrivalsFromCache`), so it reads and never
 * predicts. The served predictor is P3 (docs/predictions.md).
 */
import type { Network, Trip } from '../../gtfs/model.js';
import { DEFAULT_LATE_AFTER_MS } from '../journeys/recompute.js';
import type { OrderedTrips } from '../trip-orders/cancelled-trips.js';
import type { Predictor } from './predictors.js';
import { learnedTravelTimePredictor } from './predictors.js';
import { DEFAULT_ARRIVALS_CONFIG, predictTripOfVehicle, type ArrivalsConfig } from './stop-arrivals.js';
import type { TravelTimeHistory } from './travel-time-history.js';
import type { LiveVehicle, ScheduledTrip, StopArrival } from './types.js';

export interface ServingConfig extends ArrivalsConfig {
  /** A planned trip not started this long after its planned departure is missed (the journeys' rule). */
  lateAfterMs: number;
  /**
   * A live bus standing at its terminal after it could have left is taken to leave late, not to have missed its
   * next trip, for this long; then the trip is missed too.
   */
  standingGraceMs: number;
}

/**
 * What is served: a minimum layover of one minute (a bus turns round at its terminal, then waits for its
 * planned departure; longer layovers are slack in the timetable, not a rule), the journeys' late limit, and
 * 15 min for a live bus standing at its terminal (late departures of a quarter of an hour happen; the simulated
 * fleet's default faults go up to 12 min).
 */
export const SERVING_CONFIG: ServingConfig = { ...DEFAULT_ARRIVALS_CONFIG, minLayoverS: 60, lateAfterMs: DEFAULT_LATE_AFTER_MS, standingGraceMs: 15 * 60_000 };

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
interface Occupancy {
  tapsThisTrip: number;
  wifiClients?: number;
}

/** What the ingest path leaves on a stop for one trip: the bus's predicted arrival, or that it has passed. */
export type CachedArrival =
  | {
      kind: 'predicted';
      tripId: string;
      busId: string;
      /** The occurrence of the stop on the trip predicted (a loop passes a stop twice). */
      stopSequence?: number;
      predictedMs: number;
      delayS?: number;
      stopsAway: number;
      distanceM: number;
      fixTsMs: number;
      occupancy?: Occupancy;
      /** The bus has not started this trip: predicted from the end of its trip before, after layover. */
      nextTrip?: true;
    }
  | { kind: 'passed'; tripId: string; busId: string; fixTsMs: number };

/** One write to the cache: a trip's entry on a stop, or, without `entry`, its removal. */
export interface CacheWrite {
  stopId: string;
  tripId: string;
  entry?: CachedArrival;
}

/** A bus as the ingest path knows it, with the trips it runs (the next one from its trip orders). */
export interface BusOnTrips {
  /** `tripId`: the trip it runs or has just ended (`tripEndedMs`); `nextTripId`: `next`'s id. */
  vehicle: LiveVehicle;
  current?: ScheduledTrip;
  next?: { trip: ScheduledTrip; plannedDepartureMs?: number };
  occupancy?: Occupancy;
  /** The trips the bus has entries for in the cache (`WrittenEntries`): those it no longer runs are cleared. */
  cachedBefore?: readonly ScheduledTrip[];
}

/**
 * A stop behind the bus, or of a trip it has ended: marked passed while its scheduled time is still ahead (the
 * schedule would announce it again), removed once that time is past (nothing would announce it).
 */
function behind(trip: ScheduledTrip, stopIndex: number, busId: string, fixTsMs: number, nowMs: number): CacheWrite {
  const stop = trip.stops[stopIndex]!;
  const passed = trip.stops.slice(stopIndex).some((s) => s.stopId === stop.stopId && s.scheduledArrivalMs >= nowMs);
  return { stopId: stop.stopId, tripId: trip.tripId, ...(passed ? { entry: { kind: 'passed', tripId: trip.tripId, busId, fixTsMs } } : {}) };
}

/** The writes that clear a trip the bus no longer runs (ended, or no longer its next): every stop behind it. */
function clearTrip(trip: ScheduledTrip, busId: string, fixTsMs: number, nowMs: number): CacheWrite[] {
  return onePerStop(trip.stops.map((_, i) => behind(trip, i, busId, fixTsMs, nowMs)));
}

/** One write per stop of a trip (a loop's stop twice): a prediction wins over a mark, a mark over a removal. */
function onePerStop(writes: readonly CacheWrite[]): CacheWrite[] {
  const rank = (w: CacheWrite) => (w.entry?.kind === 'predicted' ? 2 : w.entry ? 1 : 0);
  const byStop = new Map<string, CacheWrite>();
  for (const w of writes) {
    const seen = byStop.get(w.stopId);
    if (!seen || rank(w) > rank(seen)) byStop.set(w.stopId, w);
  }
  return [...byStop.values()];
}

/** The realtime entries of `trip` ahead of the bus, from one prediction of the trip (with its departure, not started). */
function predictedWrites(
  trip: ScheduledTrip,
  bus: BusOnTrips,
  nowMs: number,
  predictor: Predictor,
  c: ServingConfig,
): { writes: CacheWrite[]; departureMs?: number } | undefined {
  const { vehicle } = bus;
  const live = predictTripOfVehicle(trip, vehicle, { nowMs, predictor, tripOf: (id) => (id === bus.current?.tripId ? bus.current : undefined) }, c);
  if (!live) return undefined;
  const onTrip = vehicle.tripId === trip.tripId && vehicle.tripEndedMs === undefined;
  const busAtM = onTrip ? vehicle.progress.distanceM : (trip.stops[0]?.distanceM ?? 0);
  const out: CacheWrite[] = [];
  for (let i = 0; i < trip.stops.length; i++) {
    const stop = trip.stops[i]!;
    const predictedMs = live.arrivalsMs[i - live.fromIndex];
    if (i < live.fromIndex || predictedMs === undefined) {
      if (onTrip) out.push(behind(trip, i, vehicle.busId, vehicle.progress.tsMs, nowMs));
      continue;
    }
    out.push({
      stopId: stop.stopId,
      tripId: trip.tripId,
      entry: {
        kind: 'predicted',
        tripId: trip.tripId,
        busId: vehicle.busId,
        stopSequence: stop.stopSequence,
        predictedMs,
        ...(trip.frequencyBased ? {} : { delayS: Math.round((predictedMs - stop.scheduledArrivalMs) / 1000) }),
        stopsAway: onTrip ? i - live.fromIndex + 1 : i + 1,
        distanceM: Math.max(0, Math.round(stop.distanceM - busAtM)),
        fixTsMs: vehicle.progress.tsMs,
        ...(bus.occupancy && onTrip ? { occupancy: bus.occupancy } : {}),
        ...(onTrip ? {} : { nextTrip: true as const }),
      },
    });
  }
  return { writes: onePerStop(out), ...(onTrip || live.departureMs === undefined ? {} : { departureMs: live.departureMs }) };
}

/**
 * What the cache of a bus's trips becomes at `nowMs`: the stops ahead of it on the trip it runs predicted, those
 * behind it passed (or removed); its next trip predicted from the end of this one after layover — unless the bus
 * stands at the terminal `standingGraceMs` past when it could have left (the trip's planned departure, or a
 * minimum layover after it came in late): the trip is missed, its entries removed; a trip it has ended
 * cleared, and so is any trip it left entries for and no longer runs (signed off, another trip started). A stale
 * bus writes nothing: its stops keep their entries, which the read turns into the schedule.
 */
export function cacheWritesOfBus(bus: BusOnTrips, nowMs: number, predictor: Predictor, c: ServingConfig = SERVING_CONFIG): CacheWrite[] {
  return predictionsOfBus(bus, nowMs, predictor, c).writes;
}

/**
 * `cacheWritesOfBus`'s writes, and the predicted departure of the bus's next trip from its first stop (after
 * layover) when that trip is predicted: the trip updates publish it, the stops' entries have no place for it.
 */
export function predictionsOfBus(
  bus: BusOnTrips,
  nowMs: number,
  predictor: Predictor,
  c: ServingConfig = SERVING_CONFIG,
): { writes: CacheWrite[]; nextDepartureMs?: number } {
  const { vehicle, current, next } = bus;
  if (nowMs - vehicle.progress.tsMs > c.staleAfterMs) return { writes: [] };
  const writes: CacheWrite[] = [];
  for (const trip of bus.cachedBefore ?? []) {
    if (trip.tripId !== current?.tripId && trip.tripId !== next?.trip.tripId) writes.push(...clearTrip(trip, vehicle.busId, vehicle.progress.tsMs, nowMs));
  }
  const running = current !== undefined && vehicle.tripId === current.tripId && vehicle.tripEndedMs === undefined;
  if (current && vehicle.tripId === current.tripId) {
    writes.push(
      ...(running ? (predictedWrites(current, bus, nowMs, predictor, c)?.writes ?? []) : clearTrip(current, vehicle.busId, vehicle.progress.tsMs, nowMs)),
    );
  }
  if (next && vehicle.nextTripId === next.trip.tripId && next.trip.tripId !== current?.tripId) {
    // Waiting at the terminal, it could leave at its planned departure, or a minimum layover after it came in late.
    const couldLeaveMs = Math.max(
      next.plannedDepartureMs ?? Number.POSITIVE_INFINITY,
      (vehicle.tripEndedMs ?? Number.NEGATIVE_INFINITY) + c.minLayoverS * 1000,
    );
    const missed = !running && nowMs >= couldLeaveMs + Math.max(c.lateAfterMs, c.standingGraceMs);
    const ahead = missed ? undefined : predictedWrites(next.trip, bus, nowMs, predictor, c);
    writes.push(...(ahead?.writes ?? next.trip.stops.map((s) => ({ stopId: s.stopId, tripId: next.trip.tripId }))));
    if (ahead?.departureMs !== undefined) return { writes, nextDepartureMs: ahead.departureMs };
  }
  return { writes };
}

/** A stop's arrival as served: a stale bus's trip falls back to its schedule and says so. */
export type ServedArrival = StopArrival & { stale?: boolean; occupancy?: Occupancy };

export interface ArrivalsQuery {
  limit: number;
  routeId?: string;
  /** Only arrivals at least this many minutes from now. */
  minutesAfter?: number;
}

/** What the day's trip orders say of one trip: called off, or planned to leave at (absent: no order runs it). */
export interface TripOfOrders {
  cancelled?: boolean;
  plannedDepartureMs?: number;
}

/**
 * One trip at one stop as served at `nowMs` from the stop's cached entry of the trip: realtime from a fresh
 * predicted entry; nothing after a `passed` mark; nothing when its order was cancelled (unless a live bus runs it
 * anyway); nothing when the trip is missed — its order's planned departure plus the late limit passed, no bus
 * started it, and no live bus is on its way to it from the trip before; else the schedule, saying `stale` when
 * its bus has gone silent.
 */
export function servedArrivalAt(
  trip: ScheduledTrip,
  stopIndex: number,
  entry: CachedArrival | undefined,
  nowMs: number,
  order: TripOfOrders,
  c: Pick<ServingConfig, 'staleAfterMs' | 'lateAfterMs'> = SERVING_CONFIG,
): ServedArrival | undefined {
  const stop = trip.stops[stopIndex];
  if (!stop || entry?.kind === 'passed') return undefined;
  const fresh = entry !== undefined && nowMs - entry.fixTsMs <= c.staleAfterMs;
  const started = entry !== undefined && !entry.nextTrip;
  const onItsWay = fresh && entry.nextTrip === true;
  // Called off, unless a bus runs it all the same (passengers see that bus).
  if (order.cancelled && !(started && fresh)) return undefined;
  const { plannedDepartureMs } = order;
  if (plannedDepartureMs !== undefined && !started && !onItsWay && nowMs >= plannedDepartureMs + c.lateAfterMs) return undefined;
  const base = {
    stopId: stop.stopId,
    stopSequence: stop.stopSequence,
    routeId: trip.routeId,
    tripId: trip.tripId,
    ...(trip.headsign === undefined ? {} : { headsign: trip.headsign }),
    scheduledMs: stop.scheduledArrivalMs,
  };
  if (entry && fresh) {
    return {
      ...base,
      busId: entry.busId,
      predictedMs: entry.predictedMs,
      predicted: true,
      source: 'realtime',
      ...(entry.delayS === undefined ? {} : { delayS: entry.delayS }),
      stopsAway: entry.stopsAway,
      distanceM: entry.distanceM,
      ...(entry.occupancy ? { occupancy: entry.occupancy } : {}),
    };
  }
  return {
    ...base,
    predictedMs: stop.scheduledArrivalMs,
    predicted: false,
    source: 'scheduled',
    ...(trip.frequencyBased ? {} : { delayS: 0 }),
    ...(entry ? { busId: entry.busId, stale: true } : {}),
  };
}

/**
 * A stop's next arrivals from its cached entries (by trip), the day's trips serving it and the day's trip orders:
 * the trips they cancelled and the planned departures by trip (a trip no order runs is never judged missed: it
 * keeps its schedule until its time passes).
 */
export function arrivalsFromCache(
  stopId: string,
  trips: readonly ScheduledTrip[],
  cached: ReadonlyMap<string, CachedArrival>,
  nowMs: number,
  query: ArrivalsQuery,
  orders: OrderedTrips = { cancelled: new Set(), plannedDepartureMs: new Map() },
  c: Pick<ServingConfig, 'staleAfterMs' | 'lateAfterMs' | 'windowMs'> = SERVING_CONFIG,
): ServedArrival[] {
  const fromMs = nowMs + (query.minutesAfter ?? 0) * 60_000;
  const out: ServedArrival[] = [];
  for (const trip of trips) {
    if (query.routeId !== undefined && trip.routeId !== query.routeId) continue;
    const index = trip.stops.findIndex((s) => s.stopId === stopId);
    const order = { cancelled: orders.cancelled.has(trip.tripId), plannedDepartureMs: orders.plannedDepartureMs.get(trip.tripId) };
    const served = index < 0 ? undefined : servedArrivalAt(trip, index, cached.get(trip.tripId), nowMs, order, c);
    if (served) out.push(served);
  }
  return out
    .filter((a) => a.predictedMs >= fromMs && a.predictedMs <= nowMs + c.windowMs)
    .sort((a, b) => a.predictedMs - b.predictedMs)
    .slice(0, query.limit);
}
