/**
 * How a network is laid out in the `network` table: one item per agency, route, stop, service, pattern, shape
 * and trip, under a version; stop times and shape points in compact text so that a trip or a shape is one
 * small item. Pure: encode and decode are exact inverses (numbers are written in full, JavaScript's shortest
 * round-tripping form), so a network read back equals the network imported.
 */
import { createHash } from 'node:crypto';
import { keys } from '../../catalogue/index.js';
import type { Agency, Network, Pattern, Route, Service, Shape, Stop, StopTime, Trip } from '../../gtfs/model.js';
import { haversineM } from '../../kernel/geo/polyline.js';

const N = keys.network;
export type NetworkItem = Record<string, unknown> & { pk: string; sk: string };

/** A content hash of the network: the same feed gives the same version, so an import is idempotent. */
export function networkVersion(network: Network): string {
  const hash = createHash('sha256');
  const sorted = <T>(m: ReadonlyMap<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  hash.update(network.timezone);
  for (const part of [network.agencies, network.routes, network.stops, network.services, network.patterns, network.shapes, network.trips]) {
    for (const [id, value] of sorted(part as ReadonlyMap<string, unknown>)) hash.update(`${id}\u0000${JSON.stringify(value)}\u0001`);
  }
  return hash.digest('hex').slice(0, 16);
}

export function encodeStopTimes(stopTimes: readonly StopTime[]): string {
  return stopTimes
    .map((st) => [st.stopId, st.stopSequence, st.arrivalS, st.departureS, st.distanceM, st.pickupType, st.dropOffType, st.timepoint ? 1 : 0].join(','))
    .join(';');
}

export function decodeStopTimes(text: string): StopTime[] {
  return text.split(';').map((part) => {
    // A stop id may itself hold commas: the seven numeric fields are always the last ones.
    const fields = part.split(',');
    const tail = fields.splice(-7);
    const [seq, arr, dep, dist, pu, dof, tp] = tail.map(Number) as [number, number, number, number, number, number, number];
    return {
      stopId: fields.join(','),
      stopSequence: seq,
      arrivalS: arr,
      departureS: dep,
      distanceM: dist,
      pickupType: pu,
      dropOffType: dof,
      timepoint: tp === 1,
    };
  });
}

function encodePoints(points: readonly { lat: number; lon: number }[]): string {
  return points.map((p) => `${p.lat},${p.lon}`).join(';');
}

/** Shape points with their distance along the shape, measured again on the geometry (as the import measured it). */
function decodeShapePoints(text: string): Shape['points'] {
  let distanceM = 0;
  let prev: { lat: number; lon: number } | undefined;
  return text.split(';').map((part) => {
    const [lat, lon] = part.split(',').map(Number) as [number, number];
    const p = { lat, lon };
    if (prev) distanceM += haversineM(prev, p);
    prev = p;
    return { ...p, distanceM };
  });
}

/** Every item of a network under `version`, ready for BatchWriteItem. */
export function encodeNetwork(network: Network, version: string): NetworkItem[] {
  const items: NetworkItem[] = [];
  const routeIdsByStop = new Map<string, Set<string>>();
  for (const p of network.patterns.values())
    for (const s of p.stops) (routeIdsByStop.get(s.stopId) ?? routeIdsByStop.set(s.stopId, new Set()).get(s.stopId)!).add(p.routeId);

  for (const a of network.agencies.values()) items.push({ pk: N.agencies(version), sk: a.agencyId, ...a });
  for (const r of network.routes.values()) {
    const patternIds = [...network.patterns.values()].filter((p) => p.routeId === r.routeId).map((p) => p.patternId);
    items.push({ pk: N.routes(version), sk: r.routeId, ...r, patternIds });
  }
  for (const s of network.stops.values()) items.push({ pk: N.stops(version), sk: s.stopId, ...s, routeIds: [...(routeIdsByStop.get(s.stopId) ?? [])].sort() });
  for (const s of network.services.values()) items.push({ pk: N.services(version), sk: s.serviceId, ...s });
  for (const p of network.patterns.values()) items.push({ pk: N.route(version, p.routeId), sk: N.pattern(p.patternId), ...p });
  const routeOfShape = new Map([...network.patterns.values()].map((p) => [p.shapeId, p.routeId]));
  for (const sh of network.shapes.values()) {
    const routeId = routeOfShape.get(sh.shapeId);
    if (!routeId) continue; // a shape no pattern uses is of no use to anyone
    items.push({
      pk: N.route(version, routeId),
      sk: N.shape(sh.shapeId),
      shapeId: sh.shapeId,
      lengthM: sh.lengthM,
      synthetic: sh.synthetic,
      points: encodePoints(sh.points),
    });
  }
  for (const t of network.trips.values()) {
    const { stopTimes, ...rest } = t;
    items.push({ pk: N.route(version, t.routeId), sk: N.trip(t.tripId), ...rest, stopTimes: encodeStopTimes(stopTimes) });
  }
  return items;
}

function strip<T>(item: Record<string, unknown>, ...drop: string[]): T {
  const out: Record<string, unknown> = { ...item };
  for (const k of ['pk', 'sk', ...drop]) delete out[k];
  return out as T;
}

/** The network back from its items (agencies, routes, stops, services and the route partitions' items). */
export function decodeNetwork(
  timezone: string,
  parts: { agencies: NetworkItem[]; routes: NetworkItem[]; stops: NetworkItem[]; services: NetworkItem[]; routeItems: NetworkItem[] },
): Network {
  const patterns = new Map<string, Pattern>();
  const shapes = new Map<string, Shape>();
  const trips = new Map<string, Trip>();
  for (const item of parts.routeItems) {
    if (item.sk.startsWith('PATTERN#')) {
      const p = strip<Pattern>(item);
      patterns.set(p.patternId, p);
    } else if (item.sk.startsWith('SHAPE#')) {
      shapes.set(item.shapeId as string, {
        shapeId: item.shapeId as string,
        lengthM: item.lengthM as number,
        synthetic: item.synthetic as boolean,
        points: decodeShapePoints(item.points as string),
      });
    } else if (item.sk.startsWith('TRIP#')) {
      const t = strip<Omit<Trip, 'stopTimes'>>(item, 'stopTimes');
      trips.set(t.tripId, { ...t, stopTimes: decodeStopTimes(item.stopTimes as string) });
    }
  }
  return {
    timezone,
    agencies: new Map(parts.agencies.map((i) => [i.sk, strip<Agency>(i)])),
    routes: new Map(parts.routes.map((i) => [i.sk, strip<Route>(i, 'patternIds')])),
    stops: new Map(parts.stops.map((i) => [i.sk, strip<Stop>(i, 'routeIds')])),
    services: new Map(parts.services.map((i) => [i.sk, strip<Service>(i)])),
    patterns,
    shapes,
    trips,
  };
}
