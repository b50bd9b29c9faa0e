/**
 * The predictions of the ingest path wired to DynamoDB: for each bus that moved, its current trip (its duty) and
 * its next one (its trip orders), its latest fixes matched on the trip's pattern (journeys stage 2), the
 * arrivals at the stops ahead predicted with the served predictor, each stop's entry cached in the `arrivals`
 * table (the trips it no longer runs cleared), and its trip's predictions on its vehicle item.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableName } from '../catalogue/index.js';
import type { Network } from '../gtfs/model.js';
import { serviceTimeToEpochMs } from '../gtfs/time.js';
import type { Logger } from '../domain/ports/logger.js';
import type { Clock } from '../domain/ports/clock.js';
import { matchTrack } from '../domain/journeys/match.js';
import { cacheChanges, cachedTripPrediction } from '../domain/predictions/cache-changes.js';
import { arrivalsFromCache, predictionsOfBus, scheduledTripOf, servedPredictor, SERVING_CONFIG, type BusOnTrips } from '../domain/predictions/serving.js';
import { BoardThrottle, stopBoardMessage, type StopBoardPublisher } from '../domain/predictions/stop-board.js';
import { scheduledTripsAtStop } from '../domain/predictions/stop-trips.js';
import { emptyHistory, learnFromVisits, type TravelTimeHistory } from '../domain/predictions/travel-time-history.js';
import { nextOrderedTrip } from '../domain/trip-orders/cancelled-trips.js';
import { detectStopVisits } from '../domain/journeys/stop-visits.js';
import { vehicleState } from '../domain/predictions/vehicle-state.js';
import { layoverOf } from '../domain/vehicles/live-view.js';
import type { ArrivalUpdates } from '../domain/telemetry/ingest-steps.js';
import { measurePolyline, type MeasuredPolyline } from '../kernel/geo/polyline.js';
import { forEachLimit } from '../kernel/util/concurrency.js';
import { serviceDayOf } from '../kernel/time/service-day.js';
import { DynamoArrivalsRepository } from './dynamodb/arrivals-repository.js';
import { DynamoBoardRegistry } from './dynamodb/board-registry.js';
import { DayTripOrders } from './day-trip-orders.js';
import { DynamoLiveVehicleRepository, type BusPredictionState } from './dynamodb/live-vehicle-repository.js';
import { DynamoTripOrderRepository } from './dynamodb/trip-order-repository.js';
import { DynamoNetworkRepository } from './dynamodb/network-repository.js';
import { DynamoTravelTimeRepository } from './dynamodb/travel-time-repository.js';
import { DynamoTelemetryRepository } from './dynamodb/telemetry-repository.js';
import { DynamoVehicleRepository } from './dynamodb/vehicle-repository.js';

/** How far back a bus's fixes are matched to find where it is now. */
const TRACK_TAIL_MS = 10 * 60_000;
/** A wifi sample older than this says nothing of who is on board now. */
const WIFI_RECENT_MS = 5 * 60_000;

/**
 * `boards`: where the stops' boards are told their next arrivals after each batch (the IoT data plane on AWS,
 * the local broker locally); absent, no board is told.
 */
export function arrivalsUpdater(
  doc: DynamoDBDocumentClient,
  tableNames: Record<TableName, string>,
  logger: Logger,
  clock: Clock,
  boards?: StopBoardPublisher,
): ArrivalUpdates {
  const throttle = new BoardThrottle();
  const telemetry = new DynamoTelemetryRepository(doc, tableNames.telemetry);
  const vehicles = new DynamoVehicleRepository(doc, tableNames.vehicles);
  const arrivals = new DynamoArrivalsRepository(doc, tableNames.arrivals);
  const live = new DynamoLiveVehicleRepository(doc, tableNames.vehicles);
  const networks = new DynamoNetworkRepository(doc, tableNames.network);
  const travelTimes = new DynamoTravelTimeRepository(doc, tableNames.travelTimes);
  const dayOrders = new DayTripOrders(new DynamoTripOrderRepository(doc, tableNames.tripOrders));
  const boardRegistry = new DynamoBoardRegistry(doc, tableNames.vehicles);
  let network: Promise<Network | undefined> | undefined;
  const lines = new Map<string, MeasuredPolyline>();
  const currentNetwork = async () => {
    network ??= networks.loadNetwork();
    const n = await network;
    if (!n) network = undefined;
    return n;
  };
  const lineOf = (n: Network, shapeId: string) => {
    let line = lines.get(shapeId);
    if (!line) {
      line = measurePolyline(n.shapes.get(shapeId)?.points ?? []);
      lines.set(shapeId, line);
    }
    return line;
  };
  /** The board of each stop ahead of a bus (stops that have one), told at most once per interval of the stack's clock. */
  const tellBoards = async (n: Network, stopIds: readonly string[]) => {
    if (!boards || stopIds.length === 0) return;
    const nowMs = clock.now();
    const withBoards = await boardRegistry.stopsWithBoards(nowMs);
    const due = stopIds.filter((stopId) => withBoards.has(stopId) && throttle.take(stopId, nowMs));
    const routeName = (routeId: string) => n.routes.get(routeId)?.shortName ?? routeId;
    await forEachLimit(due, 8, async (stopId) => {
      const day = serviceDayOf(nowMs, n.timezone);
      const [orders, cached] = await Promise.all([dayOrders.of(day), arrivals.ofStop(stopId, nowMs)]);
      const served = arrivalsFromCache(stopId, scheduledTripsAtStop(n, stopId, day), cached, nowMs, { limit: 4 }, orders);
      await boards.publishStopBoard(stopBoardMessage(stopId, served, nowMs, routeName));
    });
  };
  /**
   * The bus's trips as the ingest path sees them: running one (matched, its pattern's history learned from, and
   * returned), or between trips.
   */
  const busOnTrips = async (
    n: Network,
    busId: string,
    nowMs: number,
    prev: BusPredictionState,
  ): Promise<{ bus: BusOnTrips; day: string; history?: TravelTimeHistory } | undefined> => {
    const state = await vehicles.get(busId);
    const duty = state?.duty;
    if (!state || !duty) return undefined;
    const offsetMs = state.clock?.offsetMs ?? 0;
    const dutyMs = duty.tsMs - offsetMs;
    const day = serviceDayOf(dutyMs, n.timezone);
    const midnightMs = serviceTimeToEpochMs(day, 0, n.timezone);
    const scheduledOf = (tripId: string | undefined) => {
      const trip = tripId === undefined ? undefined : n.trips.get(tripId);
      return trip && scheduledTripOf(n, trip, midnightMs);
    };
    if (!duty.onDuty) {
      // Signed off: nothing of this bus is coming any more.
      const fixMs = (state.position?.ts ?? dutyMs + offsetMs) - offsetMs;
      return { bus: { vehicle: { busId, progress: { tsMs: Math.max(fixMs, dutyMs), distanceM: 0 }, tripEndedMs: dutyMs } }, day };
    }
    const tripId = duty.tripId ?? prev.lastTripId;
    const nextPlanned = nextOrderedTrip(await dayOrders.ofBus(busId, day), tripId, nowMs, SERVING_CONFIG.lateAfterMs);
    const next = nextPlanned && scheduledOf(nextPlanned.tripId);
    const nextOf = next ? { next: { trip: next, plannedDepartureMs: nextPlanned.plannedDepartureMs } } : {};
    const nextId = next ? { nextTripId: next.tripId } : {};
    const current = scheduledOf(tripId);
    if (duty.tripId === undefined || !current) {
      // Between trips (or signed on before the first): where it stands now, its layover from the trip's end.
      if (!state.position) return undefined;
      const progress = { tsMs: state.position.ts - offsetMs, distanceM: 0 };
      const vehicle = { busId, progress, tripEndedMs: dutyMs, ...(current ? { tripId: current.tripId } : {}), ...nextId };
      return { bus: { vehicle, ...(current ? { current } : {}), ...nextOf }, day };
    }
    const pattern = n.patterns.get(current.patternId);
    if (!pattern) return undefined;
    const fixes = await telemetry.readGps(busId, Math.max(dutyMs, nowMs - TRACK_TAIL_MS), nowMs);
    const matched = matchTrack(pattern, lineOf(n, pattern.shapeId), fixes);
    const kept = matched.filter((m) => m.kept);
    const first = kept[0];
    const last = kept.at(-1);
    if (!first || !last) return undefined;
    // The history learns from the stop visits behind the bus (not those it may still be dwelling at), once each.
    const history = await travelTimes.load(pattern.patternId, day);
    const learnedBefore = history.learned.size;
    const visits = detectStopVisits(pattern, matched).filter((v) => {
      const atM = pattern.stops[v.stopSequence - 1]?.distanceM ?? 0;
      return atM > first.distanceM + 50 && atM < last.distanceM - 100;
    });
    learnFromVisits(history, {
      tripId: current.tripId,
      patternId: pattern.patternId,
      visits,
      scheduledSegmentS: (seq) => {
        const a = current.stops[seq - 1];
        const b = current.stops[seq];
        return a && b ? (b.scheduledArrivalMs - a.scheduledDepartureMs) / 1000 : 60;
      },
    });
    if (history.learned.size > learnedBefore) await travelTimes.save(pattern.patternId, day, history);
    const [taps, wifi] = await Promise.all([telemetry.tapsBetween(busId, dutyMs, nowMs), telemetry.wifiBetween(busId, nowMs - WIFI_RECENT_MS, nowMs)]);
    const lastWifi = wifi.filter((w) => w.up).at(-1);
    const bus: BusOnTrips = {
      vehicle: { busId, tripId: current.tripId, progress: { tsMs: last.ts, distanceM: last.distanceM }, ...nextId },
      current,
      ...nextOf,
      occupancy: { tapsThisTrip: taps.length, ...(lastWifi ? { wifiClients: lastWifi.clients } : {}) },
    };
    return { bus, day, history };
  };
  const busMoved = async (n: Network, busId: string): Promise<string[]> => {
    const nowMs = clock.now();
    const prev = await live.predictionState(busId);
    const found = await busOnTrips(n, busId, nowMs, prev);
    if (!found) return [];
    // The service day of the bus's duty: its trips' times, past midnight too.
    const { bus, day } = found;
    // Between trips, the next trip is predicted with its own pattern's history.
    const nextPatternId = bus.next?.trip.patternId;
    const history = found.history ?? (nextPatternId === undefined ? emptyHistory() : await travelTimes.load(nextPatternId, day));
    const midnightMs = serviceTimeToEpochMs(day, 0, n.timezone);
    const cachedBefore = Object.keys(prev.written).flatMap((id) => {
      const trip = n.trips.get(id);
      return trip ? [scheduledTripOf(n, trip, midnightMs)] : [];
    });
    const { writes: desired, nextDepartureMs } = predictionsOfBus({ ...bus, cachedBefore }, nowMs, servedPredictor(history));
    // A stale bus (late data of a silent one) changes nothing: its entries and state stay as they were.
    if (desired.length === 0) return [];
    const { vehicle, current } = bus;
    const { writes, written } = cacheChanges(desired, prev.written, vehicle.progress.tsMs, nowMs);
    await arrivals.putEntries(writes, nowMs);
    const running = current !== undefined && vehicle.tripEndedMs === undefined;
    const at = running ? vehicleState(current, busId, vehicle.progress) : undefined;
    const nextStopId = at && current?.stops[at.nextStopIndex]?.stopId;
    const tripPrediction = running ? cachedTripPrediction(current.tripId, busId, vehicle.progress.tsMs, written) : undefined;
    const nextTrip = bus.next?.trip;
    const nextPrediction =
      nextTrip && nextDepartureMs !== undefined ? cachedTripPrediction(nextTrip.tripId, busId, vehicle.progress.tsMs, written, nextDepartureMs) : undefined;
    // On its trip, or between trips waiting at its terminal (a signed-off bus has neither trip: on no layover).
    const onRoute = running
      ? at && {
          routeId: current.routeId,
          tripId: current.tripId,
          fixTsMs: vehicle.progress.tsMs,
          ...(nextStopId === undefined ? {} : { nextStopId }),
          ...(current.frequencyBased ? {} : { delayS: Math.round(at.delayS) }),
        }
      : layoverOf(nextTrip, current, vehicle.progress.tsMs);
    await live.setPredictions(busId, onRoute, {
      ...(vehicle.tripId === undefined ? {} : { lastTripId: vehicle.tripId }),
      written,
      ...(tripPrediction ? { trip: tripPrediction } : {}),
      ...(nextPrediction ? { next: nextPrediction } : {}),
    });
    // The boards of every stop ahead, written or not: their minutes count down.
    return [...new Set(desired.flatMap((w) => (w.entry?.kind === 'predicted' ? [w.stopId] : [])))];
  };
  return {
    async busesMoved(busIds) {
      const n = await currentNetwork();
      if (!n) return;
      let failure: Error | undefined;
      const affected = new Set<string>();
      await forEachLimit(busIds, 4, async (busId) => {
        try {
          for (const stopId of await busMoved(n, busId)) affected.add(stopId);
        } catch (err) {
          failure ??= err instanceof Error ? err : new Error(String(err));
          logger.warn('arrivals of a bus not recomputed', { busId, error: failure.message });
        }
      });
      await tellBoards(n, [...affected]);
      if (failure) throw failure;
    },
  };
}
