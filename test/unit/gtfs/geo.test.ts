import { describe, expect, it } from 'vitest';
import {
  bearingDeg,
  destinationPoint,
  haversineM,
  measurePolyline,
  pointAtDistance,
  polylineLengthM,
  projectOntoPolyline,
  type LatLon,
} from '../../../shared/kernel/geo/polyline.js';
import { projectInOrder } from '../../../shared/kernel/geo/ordered-projection.js';

const BEN_THANH = { lat: 10.7716, lon: 106.6983 };
const CHO_LON = { lat: 10.751, lon: 106.6515 };

describe('great-circle distance', () => {
  it('measures one degree of latitude as about 111.2 km', () => {
    expect(haversineM({ lat: 10, lon: 106 }, { lat: 11, lon: 106 })).toBeCloseTo(111_195, -1);
  });

  it('is symmetric and about 5.6 km from Bến Thành to Chợ Lớn', () => {
    const d = haversineM(BEN_THANH, CHO_LON);
    expect(d).toBeCloseTo(haversineM(CHO_LON, BEN_THANH), 6);
    expect(d).toBeGreaterThan(5_500);
    expect(d).toBeLessThan(5_700);
  });

  it('walks a distance on a bearing and finds that bearing back', () => {
    const east = destinationPoint(BEN_THANH, 90, 500);
    expect(haversineM(BEN_THANH, east)).toBeCloseTo(500, 3);
    expect(bearingDeg(BEN_THANH, east)).toBeCloseTo(90, 2);
    expect(bearingDeg(BEN_THANH, CHO_LON)).toBeGreaterThan(180); // Chợ Lớn is west-south-west
  });

  it('sums segment lengths into a polyline length', () => {
    const mid = { lat: 10.7716, lon: 106.6515 };
    expect(polylineLengthM([BEN_THANH, mid, CHO_LON])).toBeCloseTo(haversineM(BEN_THANH, mid) + haversineM(mid, CHO_LON), 6);
    expect(polylineLengthM([BEN_THANH])).toBe(0);
  });
});

describe('linear referencing on a polyline', () => {
  // An L-shaped line: 1 km east, then 1 km north (approximately).
  const corner = { lat: 10.76, lon: 106.69 + 1000 / (111_195 * Math.cos((10.76 * Math.PI) / 180)) };
  const line = measurePolyline([{ lat: 10.76, lon: 106.69 }, corner, { lat: 10.76 + 1000 / 111_195, lon: corner.lon }]);

  it('projects a point beside the line onto its foot, with the offset', () => {
    const beside = { lat: 10.76 + 30 / 111_195, lon: 106.69 + 400 / (111_195 * Math.cos((10.76 * Math.PI) / 180)) };
    const proj = projectOntoPolyline(line, beside);
    expect(proj.distanceAlongM).toBeCloseTo(400, 0);
    expect(proj.offsetM).toBeCloseTo(30, 0);
    expect(proj.segmentIndex).toBe(0);
  });

  it('clamps points beyond the ends to the ends', () => {
    expect(projectOntoPolyline(line, { lat: 10.76, lon: 106.68 }).distanceAlongM).toBe(0);
    expect(projectOntoPolyline(line, { lat: 10.8, lon: corner.lon }).distanceAlongM).toBeCloseTo(line.lengthM, 6);
  });

  it('honours a window along the line', () => {
    const nearStart = { lat: 10.76, lon: 106.6901 };
    expect(projectOntoPolyline(line, nearStart, { fromM: 1_500 }).distanceAlongM).toBeCloseTo(1_500, 6);
  });

  it('interpolates points at a distance, clamped, and round-trips with projection', () => {
    expect(line.lengthM).toBeCloseTo(2_000, -1);
    for (const d of [0, 250, 999, 1_000, 1_700]) {
      expect(projectOntoPolyline(line, pointAtDistance(line, d)).distanceAlongM).toBeCloseTo(d, 3);
    }
    expect(pointAtDistance(line, -5)).toEqual(line.points[0]);
    expect(pointAtDistance(line, 1e9)).toEqual(line.points[2]);
  });
});

describe('ordered projection (stops in sequence)', () => {
  const m = 1 / 111_195; // degrees of latitude per metre
  const k = m / Math.cos((10.77 * Math.PI) / 180); // degrees of longitude per metre
  const at = (x: number, y: number): LatLon => ({ lat: 10.77 + y * m, lon: 106.7 + x * k });

  it('matches a loop terminal at the start for the first stop and at the end for the last', () => {
    // A 400 m square loop, starting and ending at the same corner.
    const loop = measurePolyline([at(0, 0), at(400, 0), at(400, 400), at(0, 400), at(0, 0)]);
    const stops = [at(0, -10), at(410, 200), at(200, 410), at(-10, 200), at(0, -10)];
    const d = projectInOrder(loop, stops).map((p) => p.distanceAlongM);
    expect(d[0]).toBeCloseTo(0, 3);
    expect(d[4]).toBeCloseTo(loop.lengthM, 3);
    for (let i = 1; i < d.length; i++) expect(d[i]!).toBeGreaterThan(d[i - 1]!);
  });

  it('matches a stop on a road driven twice by its place in the sequence, not by nearest point alone', () => {
    // Out 1 km east and back along the same road: every point of it lies on the line twice.
    const outAndBack = measurePolyline([at(0, 0), at(1000, 0), at(0, 0)]);
    // The return stop sits a little closer to the outbound pass than the inbound one (GPS-grade noise).
    const stops = [at(0, 0), at(300, 2), at(1000, 0), at(300, -1), at(0, 0)];
    const naive = stops.map((s) => projectOntoPolyline(outAndBack, s).distanceAlongM);
    expect(naive[3]).toBeCloseTo(300, 0); // nearest point alone puts the return stop on the way out
    const d = projectInOrder(outAndBack, stops).map((p) => p.distanceAlongM);
    expect(d.map((x) => Math.round(x))).toEqual([0, 300, 1000, 1700, 2000]);
  });

  it('falls back to forward-only matching when the stops contradict the line', () => {
    const straight = measurePolyline([at(0, 0), at(1000, 0)]);
    const d = projectInOrder(straight, [at(800, 5), at(200, 5), at(900, 5)]).map((p) => Math.round(p.distanceAlongM));
    expect(d).toEqual([800, 800, 900]);
  });
});
