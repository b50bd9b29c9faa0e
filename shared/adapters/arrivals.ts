/**
 * The predictions of the ingest path wired to DynamoDB: for each bus that moved, its current trip (its duty),
 * its latest fixes matched on the trip's pattern (journeys stage 2), the arrivals at the stops ahead predicted
 * with the served predictor, and each stop's entry cached in the `arrivals` table.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableName } from '../catalogue/index.js';
import type { Network } from '../gtfs/model.js';
import { serviceTimeToEpochMs } from '../gtfs/time.js';
import type { Logger } from '../domain/ports/logger.js';
import type { Clock } from '../domain/ports/clock.js';
import { matchTrack } from '../domain/journeys/match.js';
import { arrivalsFromCache, cachedArrivalsOfBus, scheduledTripOf, servedPredictor } from '../domain/predictions/serving.js';
import { BoardThrottle, stopBoardMessage, type StopBoardPublisher } from '../domain/predictions/stop-board.js';
import { scheduledTripsAtStop } from '../domain/predictions/stop-trips.js';
import { learnFromVisits } from '../domain/predictions/travel-time-history.js';
import { detectStopVisits } from '../domain/journeys/stop-visits.js';
import type { LiveVehicle } from '../domain/predictions/types.js';
import { vehicleState } from '../domain/predictions/vehicle-state.js';
import type { ArrivalUpdates } from '../domain/telemetry/ingest-steps.js';
import { measurePolyline, type MeasuredPolyline } from '../kernel/geo/polyline.js';
import { forEachLimit } from '../kernel/util/concurrency.js';
import { serviceDayOf } from '../kernel/time/service-day.js';
import { DynamoArrivalsRepository } from './dynamodb/arrivals-repository.js';
import { DynamoLiveVehicleRepository } from './dynamodb/live-vehicle-repository.js';
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
  /** The board of each stop ahead of a bus, told at most once per interval of the stack's clock. */
  const tellBoards = async (n: Network, stopIds: readonly string[]) => {
    if (!boards) return;
    const nowMs = clock.now();
    const due = stopIds.filter((stopId) => throttle.take(stopId, nowMs));
    const routeName = (routeId: string) => n.routes.get(routeId)?.shortName ?? routeId;
    await forEachLimit(due, 8, async (stopId) => {
      const trips = scheduledTripsAtStop(n, stopId, serviceDayOf(nowMs, n.timezone));
      const served = arrivalsFromCache(stopId, trips, await arrivals.ofStop(stopId), nowMs, { limit: 4 });
      await boards.publishStopBoard(stopBoardMessage(stopId, served, nowMs, routeName));
    });
  };
  const busMoved = async (n: Network, busId: string): Promise<string[]> => {
    const state = await vehicles.get(busId);
    const tripId = state?.duty?.tripId;
    const trip = tripId === undefined ? undefined : n.trips.get(tripId);
    const pattern = trip && n.patterns.get(trip.patternId);
    if (!state?.duty || !trip || !pattern) return [];
    const nowMs = clock.now();
    const offsetMs = state.clock?.offsetMs ?? 0;
    const startedMs = state.duty.tsMs - offsetMs;
    const fixes = await telemetry.readGps(busId, Math.max(startedMs, nowMs - TRACK_TAIL_MS), nowMs);
    const matched = matchTrack(pattern, lineOf(n, pattern.shapeId), fixes);
    const kept = matched.filter((m) => m.kept);
    const first = kept[0];
    const last = kept.at(-1);
    if (!first || !last) return [];
    const day = serviceDayOf(startedMs, n.timezone);
    const scheduled = scheduledTripOf(n, trip, serviceTimeToEpochMs(day, 0, n.timezone));
    // The history learns from the stop visits behind the bus (not those it may still be dwelling at), once each.
    const history = await travelTimes.load(pattern.patternId, day);
    const learnedBefore = history.learned.size;
    const visits = detectStopVisits(pattern, matched).filter((v) => {
      const atM = pattern.stops[v.stopSequence - 1]?.distanceM ?? 0;
      return atM > first.distanceM + 50 && atM < last.distanceM - 100;
    });
    learnFromVisits(history, {
      tripId: trip.tripId,
      patternId: pattern.patternId,
      visits,
      scheduledSegmentS: (seq) => {
        const a = scheduled.stops[seq - 1];
        const b = scheduled.stops[seq];
        return a && b ? (b.scheduledArrivalMs - a.scheduledDepartureMs) / 1000 : 60;
      },
    });
    if (history.learned.size > learnedBefore) await travelTimes.save(pattern.patternId, day, history);
    const predictor = servedPredictor(history);
    const vehicle: LiveVehicle = { busId, tripId: trip.tripId, progress: { tsMs: last.ts, distanceM: last.distanceM } };
    const [taps, wifi] = await Promise.all([telemetry.tapsBetween(busId, startedMs, nowMs), telemetry.wifiBetween(busId, nowMs - WIFI_RECENT_MS, nowMs)]);
    const lastWifi = wifi.filter((w) => w.up).at(-1);
    const occupancy = { tapsThisTrip: taps.length, ...(lastWifi ? { wifiClients: lastWifi.clients } : {}) };
    const entries = cachedArrivalsOfBus(scheduled, vehicle, nowMs, predictor, occupancy);
    await arrivals.putEntries(entries, nowMs);
    const at = vehicleState(scheduled, busId, vehicle.progress);
    const nextStopId = scheduled.stops[at.nextStopIndex]?.stopId;
    await live.setTrip(busId, {
      routeId: trip.routeId,
      tripId: trip.tripId,
      fixTsMs: last.ts,
      ...(nextStopId === undefined ? {} : { nextStopId }),
      ...(scheduled.frequencyBased ? {} : { delayS: Math.round(at.delayS) }),
    });
    return [...entries].filter(([, e]) => e.kind === 'predicted').map(([stopId]) => stopId);
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
