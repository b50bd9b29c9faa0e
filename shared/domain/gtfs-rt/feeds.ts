/**
 * The two GTFS-Realtime feeds, built together from one snapshot so that they agree: every vehicle published
 * on a trip has that trip's update naming the same vehicle, and every trip update's vehicle is in the vehicle
 * positions (the validator's pairing rules). What a consumer would warn about is left out rather than
 * published: stale fixes, trips the static feed lacks, a route claim that contradicts the trip, positions far
 * from the trip's shape, trips with no predicted stop ahead. The trips the day's orders called off are
 * published CANCELED.
 *
 * A bus's next trip (not started) is published as its own trip update before it starts, as the reference
 * encourages for the trips after the current one: its departure from the first stop after layover, then the
 * arrivals the arrivals route serves. Its `vehicle` is the bus only where the validator pairs them (E047: a
 * vehicle's position on one trip and a trip update of another trip naming it are a mismatch unless both trips
 * share a trips.txt block_id): a bus between trips, whose position is then published with no trip, or a bus
 * running a trip of the same block. Otherwise the next trip goes out without a vehicle (W002, a warning). A bus
 * between trips is where it stands (no trip shape to snap onto).
 */
import type { Network, Trip } from '../../gtfs/model.js';
import { serviceTimeToEpochMs } from '../../gtfs/time.js';
import { projectOntoPolyline } from '../../kernel/geo/polyline.js';
import type { StopArrival } from '../predictions/types.js';
import type { FeedEntity, FeedMessage, StopTimeUpdate, TripDescriptor } from './feed-message.js';
import type { ServedNextTrip } from './live-arrivals.js';
import type { RealtimeVehicle } from './ports.js';
import { shapeLineOf } from './shape-line.js';
import { tripDescriptorOf } from './trip-descriptor.js';

export interface RealtimeFeedConfig {
  /** A bus without a fix for this long is not published. Default 5 min. */
  staleAfterMs: number;
  /** A fix farther than this from its trip's shape is not published; a nearer one is snapped onto it. Metres. */
  maxOffShapeM: number;
}

const DEFAULT_REALTIME_FEED_CONFIG: RealtimeFeedConfig = { staleAfterMs: 5 * 60_000, maxOffShapeM: 150 };

export interface RealtimeFeedInput {
  network: Network;
  nowMs: number;
  /** The current service day, YYYY-MM-DD: the start_date of trips whose vehicle does not say. */
  serviceDate: string;
  vehicles: readonly RealtimeVehicle[];
  /** Predicted arrivals (any order); only realtime ones of a published vehicle on its own trip are used. */
  arrivals: readonly StopArrival[];
  /** Trips of the day called off by their trip orders: published CANCELED until their scheduled end. */
  cancelledTripIds?: ReadonlySet<string>;
  /** The buses' next trips, not started (`servedNextTrips`). */
  nextTrips?: readonly ServedNextTrip[];
}

export interface RealtimeFeeds {
  vehiclePositions: FeedMessage;
  tripUpdates: FeedMessage;
}

const toS = (ms: number) => Math.floor(ms / 1000);

/** The latest fix of each bus that is fresh, on a known trip, and claims at most that trip. One bus per trip. */
function liveOnTrips(input: RealtimeFeedInput, c: RealtimeFeedConfig) {
  const latest = new Map<string, RealtimeVehicle>();
  for (const v of input.vehicles) {
    if (!v.tripId || input.nowMs - v.fixMs > c.staleAfterMs) continue;
    const seen = latest.get(v.busId);
    if (!seen || v.fixMs > seen.fixMs) latest.set(v.busId, v);
  }
  const byTrip = new Map<string, { vehicle: RealtimeVehicle; trip: Trip; descriptor: TripDescriptor }>();
  for (const vehicle of latest.values()) {
    const found = tripDescriptorOf(input.network, vehicle.tripId!, vehicle.serviceDate ?? input.serviceDate);
    if (!found || (vehicle.routeId !== undefined && vehicle.routeId !== found.trip.routeId)) continue;
    const other = byTrip.get(found.trip.tripId);
    if (!other || vehicle.fixMs > other.vehicle.fixMs) byTrip.set(found.trip.tripId, { vehicle, ...found });
  }
  return byTrip;
}

/**
 * Stop time updates of `trip` from its arrivals: the static feed's stop_sequence, in order along the trip, one
 * per stop, times in whole seconds strictly increasing (a predictor's tie or regression is moved to a second
 * after the stop before).
 */
function stopTimeUpdatesOf(trip: Trip, arrivals: readonly StopArrival[], relationship: StopTimeUpdate['scheduleRelationship']): StopTimeUpdate[] {
  const byIndex = new Map<number, number>();
  for (const a of arrivals) {
    // Predictions number stops 1…n along the pattern; the static feed keeps its own stop_sequence.
    let index = a.stopSequence - 1;
    if (trip.stopTimes[index]?.stopId !== a.stopId) index = trip.stopTimes.findIndex((st) => st.stopId === a.stopId);
    if (index < 0 || !Number.isFinite(a.predictedMs)) continue;
    if (!byIndex.has(index)) byIndex.set(index, a.predictedMs);
  }
  const out: StopTimeUpdate[] = [];
  let previousS = Number.NEGATIVE_INFINITY;
  for (const index of [...byIndex.keys()].sort((x, y) => x - y)) {
    const st = trip.stopTimes[index]!;
    const timeS = Math.max(toS(byIndex.get(index)!), previousS + 1);
    previousS = timeS;
    out.push({ stopSequence: st.stopSequence, stopId: st.stopId, arrival: { time: timeS }, scheduleRelationship: relationship });
  }
  return out;
}

/** Both feeds at `nowMs`, FULL_DATASET, entity ids unique, header timestamp never before any other. */
export function buildRealtimeFeeds(input: RealtimeFeedInput, cfg: Partial<RealtimeFeedConfig> = {}): RealtimeFeeds {
  const c: RealtimeFeedConfig = { ...DEFAULT_REALTIME_FEED_CONFIG, ...cfg };
  const nowS = toS(input.nowMs);
  const arrivalsByTrip = new Map<string, StopArrival[]>();
  for (const a of input.arrivals) {
    if (!a.predicted || a.source !== 'realtime' || a.busId === undefined) continue;
    const list = arrivalsByTrip.get(a.tripId);
    if (list) list.push(a);
    else arrivalsByTrip.set(a.tripId, [a]);
  }
  const positions: FeedEntity[] = [];
  const updates: FeedEntity[] = [];
  const ordered = [...liveOnTrips(input, c).values()].sort((a, b) => a.vehicle.busId.localeCompare(b.vehicle.busId));
  for (const { vehicle, trip, descriptor } of ordered) {
    const line = shapeLineOf(input.network, trip);
    if (!line) continue;
    const onShape = projectOntoPolyline(line, vehicle);
    if (onShape.offsetM > c.maxOffShapeM) continue;
    const own = (arrivalsByTrip.get(trip.tripId) ?? []).filter((a) => a.busId === vehicle.busId);
    const stopTimeUpdate = stopTimeUpdatesOf(trip, own, descriptor.scheduleRelationship === 'UNSCHEDULED' ? 'UNSCHEDULED' : 'SCHEDULED');
    if (stopTimeUpdate.length === 0) continue;
    const timestamp = Math.min(nowS, toS(vehicle.fixMs));
    const vehicleDescriptor = { id: vehicle.busId, ...(vehicle.label ? { label: vehicle.label } : {}) };
    positions.push({
      id: `vehicle-${vehicle.busId}`,
      vehicle: {
        trip: descriptor,
        vehicle: vehicleDescriptor,
        position: {
          latitude: onShape.point.lat,
          longitude: onShape.point.lon,
          ...(vehicle.bearingDeg === undefined || !(vehicle.bearingDeg >= 0 && vehicle.bearingDeg <= 360) ? {} : { bearing: vehicle.bearingDeg }),
          ...(vehicle.speedKmh === undefined || !(vehicle.speedKmh >= 0) ? {} : { speed: vehicle.speedKmh / 3.6 }),
        },
        timestamp,
      },
    });
    updates.push({ id: `trip-${trip.tripId}`, tripUpdate: { trip: descriptor, vehicle: vehicleDescriptor, stopTimeUpdate, timestamp } });
  }
  const published = new Map(ordered.map((o) => [o.vehicle.busId, o.trip] as const));
  const running = new Set(updates.map((u) => u.id));
  for (const next of nextTripUpdates(input, c, published, running, positions)) updates.push(next);
  for (const entity of cancellations(input)) if (!running.has(entity.id)) updates.push(entity);
  const header = { gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: nowS } as const;
  return { vehiclePositions: { header, entity: positions }, tripUpdates: { header, entity: updates } };
}

/**
 * A trip update for each bus's next trip not started: not one a bus runs or another bus's next, nor called off
 * (the arrivals route does not announce it), of a fresh bus. Adds the ids it uses to `taken`, and the position
 * (no trip) of a bus between trips it names to `positions`.
 */
function nextTripUpdates(
  input: RealtimeFeedInput,
  c: RealtimeFeedConfig,
  published: ReadonlyMap<string, Trip>,
  taken: Set<string>,
  positions: FeedEntity[],
): FeedEntity[] {
  const out: FeedEntity[] = [];
  const latest = new Map<string, RealtimeVehicle>();
  for (const v of input.vehicles) if (!latest.has(v.busId) || v.fixMs > latest.get(v.busId)!.fixMs) latest.set(v.busId, v);
  for (const next of [...(input.nextTrips ?? [])].sort((a, b) => a.busId.localeCompare(b.busId))) {
    const vehicle = latest.get(next.busId);
    const id = `trip-${next.tripId}`;
    if (!vehicle || input.nowMs - vehicle.fixMs > c.staleAfterMs || taken.has(id) || input.cancelledTripIds?.has(next.tripId)) continue;
    const found = tripDescriptorOf(input.network, next.tripId, vehicle.serviceDate ?? input.serviceDate);
    if (!found || vehicle.tripId === next.tripId) continue;
    const relationship = found.descriptor.scheduleRelationship === 'UNSCHEDULED' ? 'UNSCHEDULED' : 'SCHEDULED';
    const stopTimeUpdate = stopTimeUpdatesOf(found.trip, next.arrivals, relationship);
    const first = found.trip.stopTimes[0]!;
    const departureS = toS(next.departureMs);
    // The departure first, when still ahead and before the first arrival given (the same prediction).
    if (next.departureMs >= input.nowMs && stopTimeUpdate[0]?.stopSequence !== first.stopSequence && departureS < stopTimeUpdate[0]!.arrival!.time) {
      stopTimeUpdate.unshift({ stopSequence: first.stopSequence, stopId: first.stopId, departure: { time: departureS }, scheduleRelationship: relationship });
    }
    if (stopTimeUpdate.length === 0) continue;
    const timestamp = Math.min(toS(input.nowMs), toS(vehicle.fixMs));
    const vehicleDescriptor = { id: vehicle.busId, ...(vehicle.label ? { label: vehicle.label } : {}) };
    const running = published.get(vehicle.busId);
    const betweenTrips = vehicle.tripId === undefined;
    const sameBlock = running !== undefined && running.blockId !== undefined && running.blockId === found.trip.blockId;
    if (betweenTrips) {
      positions.push({
        id: `vehicle-${vehicle.busId}`,
        vehicle: { vehicle: vehicleDescriptor, position: { latitude: vehicle.lat, longitude: vehicle.lon }, timestamp },
      });
    }
    taken.add(id);
    out.push({
      id,
      tripUpdate: { trip: found.descriptor, ...(betweenTrips || sameBlock ? { vehicle: vehicleDescriptor } : {}), stopTimeUpdate, timestamp },
    });
  }
  return out;
}

/**
 * A trip update for each cancelled trip not yet over by its schedule: the trip as the static feed knows it
 * (start_date, start_time), CANCELED, with no stop time update and no vehicle (the reference's cancellation).
 */
function cancellations(input: RealtimeFeedInput): FeedEntity[] {
  const out: FeedEntity[] = [];
  const midnightMs = serviceTimeToEpochMs(input.serviceDate, 0, input.network.timezone);
  for (const tripId of [...(input.cancelledTripIds ?? [])].sort()) {
    const found = tripDescriptorOf(input.network, tripId, input.serviceDate);
    const lastArrivalS = found?.trip.stopTimes.at(-1)?.arrivalS;
    if (!found || lastArrivalS === undefined || midnightMs + lastArrivalS * 1000 < input.nowMs) continue;
    const trip: TripDescriptor = { ...found.descriptor, scheduleRelationship: 'CANCELED' };
    out.push({ id: `trip-${found.trip.tripId}`, tripUpdate: { trip, stopTimeUpdate: [], timestamp: toS(input.nowMs) } });
  }
  return out;
}
