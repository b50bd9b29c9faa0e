/**
 * The request mix of the API benchmark: what passengers ask, from real ids (the network's stops and routes, the
 * live fleet's buses), interleaved by weight so that any slice of the list holds every kind. Pure, so a test holds
 * it to covering every kind.
 */
import { foldVietnamese } from '../../shared/domain/network/vietnamese-fold.js';

export const API_REQUEST_KINDS = ['arrivals', 'arrivals-route', 'nearby', 'search', 'vehicles-route', 'vehicle', 'gtfs-rt'] as const;
export type ApiRequestKind = (typeof API_REQUEST_KINDS)[number];

/** Shares of the mix: a stop's arrivals most, as an app refreshes them; the feeds least, as few consumers poll them. */
export const MIX_WEIGHTS: Record<ApiRequestKind, number> = {
  arrivals: 4,
  'arrivals-route': 3,
  nearby: 3,
  search: 3,
  'vehicles-route': 2,
  vehicle: 2,
  'gtfs-rt': 1,
};

export interface MixStop {
  stopId: string;
  name: string;
  lat: number;
  lon: number;
  /** The routes serving the stop. */
  routeIds: readonly string[];
}

export interface MixSample {
  stops: readonly MixStop[];
  routeIds: readonly string[];
  /** The live fleet's buses. */
  busIds: readonly string[];
}

export interface MixRequest {
  kind: ApiRequestKind;
  method: 'GET';
  path: string;
}

const RADII_M = [300, 500, 1000];

/** `length` requests, every kind at its weight's share, each kind walking its own ids. */
export function apiRequestMix(sample: MixSample, length: number, weights: Record<ApiRequestKind, number> = MIX_WEIGHTS): MixRequest[] {
  const stops = spread(sample.stops);
  const servedStops = stops.filter((s) => s.routeIds.length > 0);
  if (!servedStops.length || !sample.routeIds.length || !sample.busIds.length) throw new RangeError('the mix needs stops with routes, routes and buses');
  const routeIds = spread(sample.routeIds);
  const busIds = spread(sample.busIds);
  const queries = searchQueries(stops);
  const pathOf: Record<ApiRequestKind, (n: number) => string> = {
    arrivals: (n) => `/v1/stops/${encodeURIComponent(at(stops, n).stopId)}/arrivals`,
    'arrivals-route': (n) => {
      const stop = at(servedStops, n);
      return `/v1/stops/${encodeURIComponent(stop.stopId)}/arrivals?routeId=${encodeURIComponent(at(stop.routeIds, Math.floor(n / servedStops.length)))}`;
    },
    // A passenger stands near a stop, not on it.
    nearby: (n) => {
      const s = at(stops, n);
      return `/v1/stops?near=${(s.lat + 0.0004).toFixed(5)},${(s.lon - 0.0003).toFixed(5)}&radius=${at(RADII_M, n)}`;
    },
    search: (n) => `/v1/stops?q=${encodeURIComponent(at(queries, n))}&limit=10`,
    'vehicles-route': (n) => `/v1/vehicles?routeId=${encodeURIComponent(at(routeIds, n))}`,
    vehicle: (n) => `/v1/vehicles/${encodeURIComponent(at(busIds, n))}`,
    'gtfs-rt': (n) => (n % 2 ? '/v1/gtfs-rt/vehicle-positions' : '/v1/gtfs-rt/trip-updates'),
  };
  const kinds = API_REQUEST_KINDS.filter((k) => weights[k] > 0);
  const total = kinds.reduce((s, k) => s + weights[k], 0);
  // Smooth weighted round-robin: each kind comes back at even intervals, not in runs.
  const credit = new Map(kinds.map((k) => [k, 0]));
  const used = new Map(kinds.map((k) => [k, 0]));
  const out: MixRequest[] = [];
  for (let i = 0; i < length; i++) {
    let best = kinds[0]!;
    for (const k of kinds) {
      credit.set(k, credit.get(k)! + weights[k]);
      if (credit.get(k)! > credit.get(best)!) best = k;
    }
    credit.set(best, credit.get(best)! - total);
    const n = used.get(best)!;
    used.set(best, n + 1);
    out.push({ kind: best, method: 'GET', path: pathOf[best](n) });
  }
  return out;
}

/**
 * What passengers type for stop names: the name with its diacritics, without them, in capitals without them,
 * and the first word's start without them.
 */
export function searchQueries(stops: readonly MixStop[]): string[] {
  const out: string[] = [];
  stops.forEach((s, i) => {
    const folded = foldVietnamese(s.name);
    const variants = [s.name, folded, folded.toUpperCase(), folded.split(' ')[0]!.slice(0, 4)];
    out.push(variants[i % variants.length]!.slice(0, 64));
  });
  return [...new Set(out.filter((q) => foldVietnamese(q).length > 0))];
}

function at<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

/** The list in a fixed order that visits it with a stride, so neighbours (a route's consecutive stops) come apart. */
function spread<T>(list: readonly T[]): T[] {
  const n = list.length;
  let stride = Math.max(1, Math.floor(n / 3) + 1);
  while (gcd(stride, n) !== 1) stride++;
  return Array.from({ length: n }, (_, i) => list[(i * stride) % n]!);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
