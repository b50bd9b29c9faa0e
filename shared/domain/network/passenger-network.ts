/**
 * The network as passengers ask about it: routes with their directions and first/last departures, a route's
 * patterns with ordered stops, its shape as GeoJSON and its headways, a stop with the routes serving it, nearby
 * stops and stops by name. Built once per network version (the indexes with it), then only read.
 */
import type { Network, Pattern, Route, Stop, Trip } from '../../gtfs/model.js';
import { formatGtfsTime } from '../../gtfs/time.js';
import type { LatLon } from '../../kernel/geo/polyline.js';
import { NotFound } from '../errors.js';
import { headwaysByBand, type DirectionHeadways } from './headways.js';
import { StopGridIndex } from './stop-grid.js';
import { StopSearchIndex } from './stop-search.js';

export interface RouteSummary {
  routeId: string;
  shortName: string;
  longName: string;
  operator: { operatorId: string; name: string };
  /** `#RRGGBB`, when the feed gives one. */
  colour?: string;
  textColour?: string;
  subsidised?: boolean;
  directions: { directionId: 0 | 1; headsign?: string }[];
  /** GTFS times (HH:MM:SS, past 24:00 after midnight) of the first and last departure of any trip. */
  firstDeparture?: string;
  lastDeparture?: string;
}

interface PatternView {
  patternId: string;
  directionId?: 0 | 1;
  headsign?: string;
  lengthM: number;
  trips: number;
  stops: { stopSequence: number; stopId: string; name: string; lat: number; lon: number; distanceM: number }[];
  /** The pattern's shape, GeoJSON (coordinates are [lon, lat]). */
  shape: { type: 'LineString'; coordinates: [number, number][] };
}

export interface RouteDetail extends RouteSummary {
  patterns: PatternView[];
  headways: DirectionHeadways[];
}

interface StopView {
  stopId: string;
  name: string;
  code?: string;
  lat: number;
  lon: number;
}

export interface StopDetail extends StopView {
  routes: { routeId: string; shortName: string; longName: string; colour?: string; directions: { directionId: 0 | 1; headsign?: string }[] }[];
}

export interface PassengerNetwork {
  routes(): RouteSummary[];
  route(routeId: string): RouteDetail;
  stop(stopId: string): StopDetail;
  nearbyStops(at: LatLon, radiusM: number, limit: number): (StopView & { distanceM: number; routeIds: string[] })[];
  searchStops(query: string, limit: number): (StopView & { routeIds: string[] })[];
}

const EMPTY: Network = {
  timezone: 'Asia/Ho_Chi_Minh',
  agencies: new Map(),
  routes: new Map(),
  stops: new Map(),
  trips: new Map(),
  patterns: new Map(),
  shapes: new Map(),
  services: new Map(),
};

/** The passengers' view of a network (an empty one when none is imported yet). */
export function buildPassengerNetwork(network: Network = EMPTY): PassengerNetwork {
  const tripsByRoute = groupBy(network.trips.values(), (t) => t.routeId);
  const patternsByRoute = groupBy(network.patterns.values(), (p) => p.routeId);
  const routeIdsByStop = new Map<string, Set<string>>();
  for (const p of network.patterns.values()) {
    for (const s of p.stops) routeIdsByStop.set(s.stopId, (routeIdsByStop.get(s.stopId) ?? new Set()).add(p.routeId));
  }
  const summaries = new Map(
    [...network.routes.values()].map((r) => [r.routeId, summaryOf(network, r, tripsByRoute.get(r.routeId) ?? [], patternsByRoute.get(r.routeId) ?? [])]),
  );
  const ordered = [...summaries.values()].sort((a, b) => a.shortName.localeCompare(b.shortName, 'vi', { numeric: true }) || a.routeId.localeCompare(b.routeId));
  const servedStops = [...network.stops.values()].filter((s) => s.locationType === 0);
  const grid = new StopGridIndex(servedStops);
  const search = new StopSearchIndex(servedStops);
  const details = new Map<string, RouteDetail>();
  const routeIdsOf = (stopId: string) => [...(routeIdsByStop.get(stopId) ?? [])].sort();

  return {
    routes: () => ordered,
    route(routeId) {
      const summary = summaries.get(routeId);
      if (!summary) throw new NotFound('route', routeId);
      const known = details.get(routeId);
      if (known) return known;
      const patterns = [...(patternsByRoute.get(routeId) ?? [])].sort(
        (a, b) => (a.directionId ?? 0) - (b.directionId ?? 0) || b.tripIds.length - a.tripIds.length || a.patternId.localeCompare(b.patternId),
      );
      const detail = { ...summary, patterns: patterns.map((p) => patternView(network, p)), headways: headwaysByBand(tripsByRoute.get(routeId) ?? []) };
      details.set(routeId, detail);
      return detail;
    },
    stop(stopId) {
      const stop = network.stops.get(stopId);
      if (!stop) throw new NotFound('stop', stopId);
      const routes = routeIdsOf(stopId).map((id) => {
        const s = summaries.get(id)!;
        return { routeId: s.routeId, shortName: s.shortName, longName: s.longName, ...(s.colour ? { colour: s.colour } : {}), directions: s.directions };
      });
      return { ...stopView(stop), routes };
    },
    nearbyStops: (at, radiusM, limit) =>
      grid
        .nearby(at, radiusM, limit)
        .map(({ stop, distanceM }) => ({ ...stopView(stop), distanceM: Math.round(distanceM), routeIds: routeIdsOf(stop.stopId) })),
    searchStops: (query, limit) => search.search(query, limit).map(({ stop }) => ({ ...stopView(stop), routeIds: routeIdsOf(stop.stopId) })),
  };
}

function summaryOf(network: Network, route: Route, trips: readonly Trip[], patterns: readonly Pattern[]): RouteSummary {
  const agency = network.agencies.get(route.agencyId);
  const directions = new Map<0 | 1, string | undefined>();
  for (const p of [...patterns].sort((a, b) => b.tripIds.length - a.tripIds.length)) {
    const d = p.directionId ?? 0;
    if (!directions.has(d)) directions.set(d, p.headsign);
  }
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of trips) {
    first = Math.min(first, t.stopTimes[0]!.departureS);
    last = Math.max(last, t.stopTimes[0]!.departureS);
  }
  return {
    routeId: route.routeId,
    shortName: route.shortName,
    longName: route.longName,
    operator: { operatorId: route.agencyId, name: agency?.name ?? route.agencyId },
    ...(route.color ? { colour: `#${route.color}` } : {}),
    ...(route.textColor ? { textColour: `#${route.textColor}` } : {}),
    ...(route.subsidised !== undefined ? { subsidised: route.subsidised } : {}),
    directions: [...directions.entries()].sort(([a], [b]) => a - b).map(([directionId, headsign]) => ({ directionId, ...(headsign ? { headsign } : {}) })),
    ...(trips.length ? { firstDeparture: formatGtfsTime(first), lastDeparture: formatGtfsTime(last) } : {}),
  };
}

function patternView(network: Network, p: Pattern): PatternView {
  const shape = network.shapes.get(p.shapeId);
  return {
    patternId: p.patternId,
    ...(p.directionId !== undefined ? { directionId: p.directionId } : {}),
    ...(p.headsign ? { headsign: p.headsign } : {}),
    lengthM: Math.round(p.lengthM),
    trips: p.tripIds.length,
    stops: p.stops.map((s, i) => {
      const stop = network.stops.get(s.stopId)!;
      return { stopSequence: i + 1, stopId: s.stopId, name: stop.name, lat: stop.lat, lon: stop.lon, distanceM: Math.round(s.distanceM) };
    }),
    shape: { type: 'LineString', coordinates: (shape?.points ?? p.stops.map((s) => network.stops.get(s.stopId)!)).map((pt) => [pt.lon, pt.lat]) },
  };
}

function stopView(stop: Stop): StopView {
  return { stopId: stop.stopId, name: stop.name, ...(stop.code ? { code: stop.code } : {}), lat: stop.lat, lon: stop.lon };
}

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
