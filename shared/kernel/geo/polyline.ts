/**
 * Geodesy for a city: great-circle distances, and linear referencing along polylines (shapes). Projection
 * works in a local equirectangular plane around the point, which is exact to well under a metre over the
 * length of a shape segment; lengths along the line use the haversine formula.
 */

export interface LatLon {
  lat: number;
  lon: number;
}

/** A polyline with its cumulative length at every vertex, measured once and projected onto many times. */
export interface MeasuredPolyline {
  points: readonly LatLon[];
  /** `cumulativeM[i]` is the distance along the line from its first point to `points[i]`. */
  cumulativeM: readonly number[];
  lengthM: number;
}

/** Where a point falls on a polyline. */
export interface Projection {
  /** Distance along the polyline from its start to the projected point. */
  distanceAlongM: number;
  /** Distance from the point to the polyline (always ≥ 0). */
  offsetM: number;
  /** Index of the segment (points[i] → points[i+1]) holding the projected point. */
  segmentIndex: number;
  point: LatLon;
}

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres between two WGS84 points. */
export function haversineM(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Total length in metres of a polyline (0 for fewer than two points). */
export function polylineLengthM(points: readonly LatLon[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += haversineM(points[i - 1]!, points[i]!);
  return total;
}

/** Measures a polyline once so that projections and interpolations on it are cheap. */
export function measurePolyline(points: readonly LatLon[]): MeasuredPolyline {
  const cumulativeM: number[] = [];
  let total = 0;
  for (let i = 0; i < points.length; i++) {
    if (i > 0) total += haversineM(points[i - 1]!, points[i]!);
    cumulativeM.push(total);
  }
  return { points, cumulativeM, lengthM: total };
}

/** Projection of `p` onto segment `i` of the line: the closest point of that segment. */
function projectOntoSegment(line: MeasuredPolyline, i: number, p: LatLon): Projection {
  const a = line.points[i]!;
  const b = line.points[i + 1] ?? a;
  // Local plane in metres centred on p; cos(lat) scales longitude.
  const kx = Math.cos(p.lat * RAD) * RAD * EARTH_RADIUS_M;
  const ky = RAD * EARTH_RADIUS_M;
  const ax = (a.lon - p.lon) * kx;
  const ay = (a.lat - p.lat) * ky;
  const bx = (b.lon - p.lon) * kx;
  const by = (b.lat - p.lat) * ky;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2));
  const point = { lat: a.lat + (b.lat - a.lat) * t, lon: a.lon + (b.lon - a.lon) * t };
  const segLen = (line.cumulativeM[i + 1] ?? line.cumulativeM[i]!) - line.cumulativeM[i]!;
  return {
    distanceAlongM: line.cumulativeM[i]! + segLen * t,
    offsetM: haversineM(p, point),
    segmentIndex: i,
    point,
  };
}

/** Every segment's projection of `p`, in order along the line (one entry for a single-point line). */
export function segmentProjections(line: MeasuredPolyline, p: LatLon): Projection[] {
  const n = Math.max(1, line.points.length - 1);
  const out: Projection[] = [];
  for (let i = 0; i < n; i++) out.push(projectOntoSegment(line, i, p));
  return out;
}

/**
 * Nearest point of the line to `p`, optionally only within [fromM, toM] along it. Ties go to the earliest
 * point along the line, so a point on a road driven twice matches its first pass.
 */
export function projectOntoPolyline(line: MeasuredPolyline, p: LatLon, range: { fromM?: number; toM?: number } = {}): Projection {
  if (line.points.length === 0) throw new RangeError('cannot project onto an empty polyline');
  const fromM = range.fromM ?? 0;
  const toM = range.toM ?? line.lengthM;
  let best: Projection | undefined;
  for (const proj of segmentProjections(line, p)) {
    const segStart = line.cumulativeM[proj.segmentIndex]!;
    const segEnd = line.cumulativeM[proj.segmentIndex + 1] ?? segStart;
    if (segEnd < fromM || segStart > toM) continue;
    let candidate = proj;
    if (proj.distanceAlongM < fromM || proj.distanceAlongM > toM) {
      // The unconstrained foot lies outside the window: the closest admissible point is the window's edge.
      const at = proj.distanceAlongM < fromM ? fromM : toM;
      const point = pointAtDistance(line, at);
      candidate = { distanceAlongM: at, offsetM: haversineM(p, point), segmentIndex: proj.segmentIndex, point };
    }
    if (!best || candidate.offsetM < best.offsetM - 1e-9) best = candidate;
  }
  return best ?? projectOntoSegment(line, 0, p);
}

/** The point at `distanceM` along the line, clamped to its ends. */
export function pointAtDistance(line: MeasuredPolyline, distanceM: number): LatLon {
  const { points, cumulativeM } = line;
  if (points.length === 0) throw new RangeError('cannot interpolate on an empty polyline');
  if (distanceM <= 0 || points.length === 1) return { ...points[0]! };
  if (distanceM >= line.lengthM) return { ...points[points.length - 1]! };
  // Binary search for the segment holding distanceM.
  let lo = 0;
  let hi = cumulativeM.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cumulativeM[mid]! <= distanceM) lo = mid;
    else hi = mid;
  }
  const a = points[lo]!;
  const b = points[hi]!;
  const segLen = cumulativeM[hi]! - cumulativeM[lo]!;
  const t = segLen === 0 ? 0 : (distanceM - cumulativeM[lo]!) / segLen;
  return { lat: a.lat + (b.lat - a.lat) * t, lon: a.lon + (b.lon - a.lon) * t };
}

/** Initial bearing in degrees (0 = north, clockwise) from `a` towards `b`. */
export function bearingDeg(a: LatLon, b: LatLon): number {
  const y = Math.sin((b.lon - a.lon) * RAD) * Math.cos(b.lat * RAD);
  const x = Math.cos(a.lat * RAD) * Math.sin(b.lat * RAD) - Math.sin(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.cos((b.lon - a.lon) * RAD);
  return (Math.atan2(y, x) / RAD + 360) % 360;
}

/** The point `distanceM` from `p` on bearing `bearing` (degrees), on a sphere. */
export function destinationPoint(p: LatLon, bearing: number, distanceM: number): LatLon {
  const d = distanceM / EARTH_RADIUS_M;
  const th = bearing * RAD;
  const lat1 = p.lat * RAD;
  const lon1 = p.lon * RAD;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(th));
  const lon2 = lon1 + Math.atan2(Math.sin(th) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { lat: lat2 / RAD, lon: lon2 / RAD };
}
