/**
 * Patterns: the distinct ordered stop sequences (with their shape) that a route's trips follow in each
 * direction. Each pattern stop gets its distance along the shape by ordered projection, so loops and roads
 * driven twice keep distances increasing along the stop sequence. Without a shape in the feed we draw
 * straight lines through the stops. Trips then carry those distances, and blank intermediate times are
 * interpolated by distance.
 */
import { haversineM, measurePolyline, type LatLon, type MeasuredPolyline } from '../kernel/geo/polyline.js';
import { projectInOrder } from '../kernel/geo/ordered-projection.js';
import type { IssueLog } from './issues.js';
import type { Pattern, PatternStop, Shape, StopTime, Trip } from './model.js';
import type { RawStopTime, RawTrip } from './parse-trips.js';
import type { ValidatedFeed } from './validate.js';

/** A stop farther than this from its pattern's shape is reported: the shape or the stop is probably wrong. */
const STOP_FAR_FROM_SHAPE_M = 150;
/** First and last stops closer than this make a loop pattern. */
const LOOP_CLOSURE_M = 50;

export interface PatternBuild {
  patterns: Map<string, Pattern>;
  shapes: Map<string, Shape>;
  trips: Map<string, Trip>;
}

interface Group {
  routeId: string;
  directionId?: 0 | 1;
  shapeId?: string;
  stopIds: string[];
  trips: RawTrip[];
}

/** Groups trips into patterns, places pattern stops along shapes, and assembles trips with distances and times. */
export function buildPatterns(feed: ValidatedFeed, log: IssueLog): PatternBuild {
  const groups = new Map<string, Group>();
  const tripsInOrder = [...feed.trips.values()].sort((a, b) => (a.tripId < b.tripId ? -1 : a.tripId > b.tripId ? 1 : 0));
  for (const trip of tripsInOrder) {
    const stopIds = feed.stopTimesByTrip.get(trip.tripId)!.map((st) => st.stopId);
    const key = JSON.stringify([trip.routeId, trip.directionId ?? null, trip.shapeId ?? null, stopIds]);
    const group = groups.get(key) ?? {
      routeId: trip.routeId,
      directionId: trip.directionId,
      shapeId: trip.shapeId,
      stopIds,
      trips: [],
    };
    group.trips.push(trip);
    groups.set(key, group);
  }

  const shapes = new Map<string, Shape>();
  const measured = new Map<string, MeasuredPolyline>();
  for (const [shapeId, points] of feed.shapePoints) {
    const line = measurePolyline(points);
    measured.set(shapeId, line);
    shapes.set(shapeId, toShape(shapeId, line, false));
  }

  const patterns = new Map<string, Pattern>();
  const trips = new Map<string, Trip>();
  const countPerRouteDirection = new Map<string, number>();
  for (const group of groups.values()) {
    const rd = `${group.routeId}:${group.directionId ?? 'x'}`;
    const n = (countPerRouteDirection.get(rd) ?? 0) + 1;
    countPerRouteDirection.set(rd, n);
    const patternId = `${rd}:${n}`;
    const positions = group.stopIds.map((id) => feed.stops.get(id)!);

    let shapeId = group.shapeId;
    let stops: PatternStop[];
    if (shapeId === undefined) {
      shapeId = `${patternId}:straight`;
      const line = measurePolyline(positions.map((p) => ({ lat: p.lat, lon: p.lon })));
      shapes.set(shapeId, toShape(shapeId, line, true));
      stops = group.stopIds.map((stopId, i) => ({ stopId, distanceM: line.cumulativeM[i]!, offsetM: 0 }));
    } else {
      const line = measured.get(shapeId)!;
      stops = projectInOrder(line, positions).map((proj, i) => ({
        stopId: group.stopIds[i]!,
        distanceM: proj.distanceAlongM,
        offsetM: proj.offsetM,
      }));
      warnFarStops(stops, feed.stopTimesByTrip.get(group.trips[0]!.tripId)!, shapeId, log);
    }

    const first = positions[0]!;
    const last = positions[positions.length - 1]!;
    const pattern: Pattern = {
      patternId,
      routeId: group.routeId,
      directionId: group.directionId,
      headsign: mostCommon(group.trips.map((t) => t.headsign)),
      shapeId,
      stops,
      lengthM: shapes.get(shapeId)!.lengthM,
      isLoop: group.stopIds[0] === group.stopIds[group.stopIds.length - 1] || haversineM(first, last) < LOOP_CLOSURE_M,
      tripIds: group.trips.map((t) => t.tripId),
    };
    patterns.set(patternId, pattern);
    for (const raw of group.trips) {
      trips.set(raw.tripId, assembleTrip(raw, pattern, feed.stopTimesByTrip.get(raw.tripId)!));
    }
  }
  return { patterns, shapes, trips };
}

function toShape(shapeId: string, line: MeasuredPolyline, synthetic: boolean): Shape {
  const points = line.points.map((p: LatLon, i) => ({ lat: p.lat, lon: p.lon, distanceM: line.cumulativeM[i]! }));
  return { shapeId, points, lengthM: line.lengthM, synthetic };
}

function warnFarStops(stops: PatternStop[], stopTimes: RawStopTime[], shapeId: string, log: IssueLog): void {
  stops.forEach((s, i) => {
    if (s.offsetM > STOP_FAR_FROM_SHAPE_M) {
      log.warning('stop_times.txt', stopTimes[i]!.line, 'stop_id', `stop "${s.stopId}" is ${Math.round(s.offsetM)} m from shape "${shapeId}"`);
    }
  });
}

function mostCommon(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, c] of counts) if (best === undefined || c > counts.get(best)!) best = v;
  return best;
}

/** A trip with its pattern's distances and every time set (blank ones interpolated by distance). */
function assembleTrip(raw: RawTrip, pattern: Pattern, rawStopTimes: RawStopTime[]): Trip {
  const stopTimes: StopTime[] = rawStopTimes.map((st, i) => ({
    stopId: st.stopId,
    stopSequence: st.stopSequence,
    arrivalS: st.arrivalS ?? Number.NaN,
    departureS: st.departureS ?? Number.NaN,
    distanceM: pattern.stops[i]!.distanceM,
    pickupType: st.pickupType,
    dropOffType: st.dropOffType,
    timepoint: st.arrivalS !== undefined && st.timepoint !== false,
  }));
  interpolateTimes(stopTimes);
  return {
    tripId: raw.tripId,
    routeId: raw.routeId,
    serviceId: raw.serviceId,
    directionId: raw.directionId,
    headsign: raw.headsign,
    blockId: raw.blockId,
    shapeId: pattern.shapeId,
    patternId: pattern.patternId,
    stopTimes,
  };
}

/** Fills blank times between two timed stops in proportion to distance (or to stop count if distance is 0). */
function interpolateTimes(stopTimes: StopTime[]): void {
  let prev = 0;
  for (let i = 1; i < stopTimes.length; i++) {
    if (Number.isNaN(stopTimes[i]!.arrivalS)) continue;
    const a = stopTimes[prev]!;
    const b = stopTimes[i]!;
    const span = b.distanceM - a.distanceM;
    for (let k = prev + 1; k < i; k++) {
      const share = span > 0 ? (stopTimes[k]!.distanceM - a.distanceM) / span : (k - prev) / (i - prev);
      const t = Math.round(a.departureS + (b.arrivalS - a.departureS) * share);
      stopTimes[k]!.arrivalS = t;
      stopTimes[k]!.departureS = t;
    }
    prev = i;
  }
}
