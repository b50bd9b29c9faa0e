/**
 * A synthetic network at Hồ Chí Minh City scale, for benchmarks: real route numbers and names from
 * hcmc-routes-2026.json, invented geometry inside a 25 km disk around Bến Thành, and one headway per route
 * chosen so that planDay needs about the requested number of buses. Built in memory as the same Network the
 * GTFS importer produces, so the simulator and BusFlow treat it like any feed. Deterministic for a seed.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  bearingDeg,
  destinationPoint,
  haversineM,
  measurePolyline,
  pointAtDistance,
  type LatLon,
  type MeasuredPolyline,
} from '../../shared/kernel/geo/polyline.js';
import type { Agency, Network, Pattern, PatternStop, Route, Service, Shape, Stop, StopTime, Trip } from '../../shared/gtfs/model.js';
import { isValidTimeZone } from '../../shared/gtfs/time.js';
import { MIN_LAYOVER_S } from '../core/day-plan.js';
import { Rng } from '../core/rng.js';

export interface SyntheticSpec {
  routes: number;
  /** Vehicle blocks planDay should produce for a service day (within ±5 %). */
  buses: number;
  seed?: number;
  timezone?: string;
}

/** A spec the generator cannot honour: malformed text, or a bus count the routes cannot absorb. */
export class SyntheticSpecError extends Error {
  override name = 'SyntheticSpecError';
}

const BEN_THANH: LatLon = { lat: 10.7716, lon: 106.6983 };
const CITY_RADIUS_M = 25_000;
const MIN_ROUTE_M = 8_000;
const MAX_ROUTE_M = 25_000;
/** Straight-line distance between a route's terminals; bends make the route 5–40 % longer. */
const CHORD_M: readonly [number, number] = [7_000, 18_000];
/** Shape vertices every ~200 m with a few metres of sideways wobble, like a digitised street. */
const VERTEX_SPACING_M = 200;
const VERTEX_WOBBLE_M = 8;
const STOP_SPACING_M = 450;
const STOP_JITTER = 0.15;
/** Stops sit on the right-hand kerb (traffic drives on the right in Việt Nam). */
const KERB_OFFSET_M = 12;
const DWELL_S = 20;
const SPEED_KMH: readonly [number, number] = [16, 20];
const FIRST_DEPARTURE_S = 5 * 3600;
const LAST_DEPARTURE_S = 22 * 3600;
const MIN_HEADWAY_MIN = 3;
const BUS_TOLERANCE = 0.05;
const SERVICE_ID = 'DAILY';
const SUBSIDISED_SHARE = 0.85;

const OPERATORS = [
  { agencyId: 'SGB', name: 'Công ty TNHH MTV Xe khách Sài Gòn', url: 'https://saigonbus.example/', weight: 4 },
  { agencyId: 'HTX15', name: 'Hợp tác xã Vận tải số 15', url: 'https://htx15.example/', weight: 3 },
  { agencyId: 'QTH', name: 'Hợp tác xã Vận tải Xe buýt Quyết Thắng', url: 'https://quyetthang.example/', weight: 2 },
  { agencyId: 'HTX195', name: 'Hợp tác xã Vận tải 19/5', url: 'https://htx195.example/', weight: 2 },
] as const;

const STREETS = [
  'Nguyễn Huệ',
  'Lê Lợi',
  'Hàm Nghi',
  'Trần Hưng Đạo',
  'Nguyễn Văn Cừ',
  'Điện Biên Phủ',
  'Cách Mạng Tháng Tám',
  'Nguyễn Thị Minh Khai',
  'Võ Văn Kiệt',
  'Hai Bà Trưng',
  'Lý Thường Kiệt',
  'Ba Tháng Hai',
  'Hùng Vương',
  'Nguyễn Trãi',
  'Xô Viết Nghệ Tĩnh',
  'Phan Đăng Lưu',
  'Hoàng Văn Thụ',
  'Cộng Hòa',
  'Trường Chinh',
  'Quang Trung',
  'Nguyễn Oanh',
  'Lê Văn Việt',
  'Võ Nguyên Giáp',
  'Phạm Văn Đồng',
  'Kinh Dương Vương',
  'Hậu Giang',
  'Tùng Thiện Vương',
  'Nguyễn Văn Linh',
  'Huỳnh Tấn Phát',
  'Lê Văn Lương',
  'Quốc lộ 13',
  'Quốc lộ 22',
  'Tô Ký',
  'Lũy Bán Bích',
] as const;

const RealRoutes = z.object({
  routes: z.array(z.object({ RouteNo: z.string().min(1), RouteName: z.string().min(1) })).min(1),
});
let realRoutes: { RouteNo: string; RouteName: string }[] | undefined;
/** The real route list, read once. */
function realRouteList(): { RouteNo: string; RouteName: string }[] {
  realRoutes ??= RealRoutes.parse(JSON.parse(readFileSync(new URL('./hcmc-routes-2026.json', import.meta.url), 'utf8'))).routes;
  return realRoutes;
}

/** Parses the CLI form `routes=270,buses=3000`; throws SyntheticSpecError naming the bad part. */
export function parseSyntheticSpec(text: string): { routes: number; buses: number } {
  const values: { routes?: number; buses?: number } = {};
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const m = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(part);
    if (!m) throw new SyntheticSpecError(`synthetic network "${text}": "${part}" is not key=value (expected routes=N,buses=N)`);
    const [, key, value] = m as unknown as [string, string, string];
    if (key !== 'routes' && key !== 'buses')
      throw new SyntheticSpecError(`synthetic network "${text}": unknown key "${key}" in "${part}" (expected routes and buses)`);
    if (values[key] !== undefined) throw new SyntheticSpecError(`synthetic network "${text}": "${key}" given twice`);
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1) throw new SyntheticSpecError(`synthetic network "${text}": "${part}": ${key} must be a positive integer`);
    values[key] = n;
  }
  if (values.routes === undefined) throw new SyntheticSpecError(`synthetic network "${text}": missing routes=N`);
  if (values.buses === undefined) throw new SyntheticSpecError(`synthetic network "${text}": missing buses=N`);
  return { routes: values.routes, buses: values.buses };
}

/** One direction of a route before its timetable: pattern stops and the run-time template. */
interface DirectionDraft {
  pattern: Pattern;
  /** Seconds after the trip's first departure, per pattern stop. */
  arrivalOffsetS: number[];
  departureOffsetS: number[];
  runS: number;
}

/** Builds the network of `spec`; throws SyntheticSpecError when the routes cannot absorb the buses. */
export function syntheticNetwork(spec: SyntheticSpec): Network {
  const { routes: routeCount, buses } = spec;
  const timezone = spec.timezone ?? 'Asia/Ho_Chi_Minh';
  if (!Number.isSafeInteger(routeCount) || routeCount < 1) throw new SyntheticSpecError(`routes must be a positive integer, got ${routeCount}`);
  if (!Number.isSafeInteger(buses) || buses < 1) throw new SyntheticSpecError(`buses must be a positive integer, got ${buses}`);
  if (!isValidTimeZone(timezone)) throw new SyntheticSpecError(`unknown time zone "${timezone}"`);
  const root = new Rng(spec.seed ?? 1, 'synthetic-network');

  const operators = OPERATORS.slice(0, routeCount <= 20 ? 2 : routeCount <= 100 ? 3 : 4);
  const agencies = new Map<string, Agency>(operators.map((o) => [o.agencyId, { agencyId: o.agencyId, name: o.name, url: o.url, timezone, lang: 'vi' }]));
  const services = new Map<string, Service>([
    [
      SERVICE_ID,
      {
        serviceId: SERVICE_ID,
        weekdays: [true, true, true, true, true, true, true],
        startDate: '2020-01-01',
        endDate: '2035-12-31',
        addedDates: [],
        removedDates: [],
      },
    ],
  ]);
  const routes = new Map<string, Route>();
  const stops = new Map<string, Stop>();
  const shapes = new Map<string, Shape>();
  const drafts: { route: Route; lengthM: number; directions: [DirectionDraft, DirectionDraft] }[] = [];

  const names = routeNames(routeCount);
  const width = Math.max(3, String(routeCount).length);
  for (let i = 0; i < routeCount; i++) {
    const rng = root.child(`route/${i}`);
    const { shortName, longName } = names[i]!;
    const routeId = `R${String(i + 1).padStart(width, '0')}`;
    const agencyId = i < operators.length ? operators[i]!.agencyId : rng.weighted(operators.map((o) => [o.agencyId, o.weight] as const));
    const route: Route = { routeId, agencyId, shortName, longName, routeType: 3, subsidised: rng.chance(SUBSIDISED_SHARE), extra: {} };
    routes.set(routeId, route);

    const parts = longName.split(' - ').map((s) => s.trim());
    const terminals = [parts[0]!, parts[parts.length - 1]!] as const;
    const { points, legEndsM, streets } = drawRoute(rng.child('geometry'));
    const speedMps = rng.uniform(SPEED_KMH[0], SPEED_KMH[1]) / 3.6;
    const directions = ([0, 1] as const).map((dir) => {
      const line = measurePolyline(dir === 0 ? points : [...points].reverse());
      const shapeId = `${routeId}-${dir}`;
      shapes.set(shapeId, {
        shapeId,
        points: line.points.map((p, k) => ({ lat: p.lat, lon: p.lon, distanceM: line.cumulativeM[k]! })),
        lengthM: line.lengthM,
        synthetic: false,
      });
      const streetAt = (dM: number) => {
        const along = dir === 0 ? dM : line.lengthM - dM;
        const leg = Math.max(
          0,
          legEndsM.findIndex((end) => along <= end),
        );
        return { street: streets[leg]!, intoLegM: along - (leg === 0 ? 0 : legEndsM[leg - 1]!) };
      };
      const from = dir === 0 ? terminals[0] : terminals[1];
      const to = dir === 0 ? terminals[1] : terminals[0];
      return draftDirection(rng.child(`stops/${dir}`), { routeId, dir, shapeId, line, from, to, speedMps, streetAt }, stops);
    }) as [DirectionDraft, DirectionDraft];
    drafts.push({ route, lengthM: shapes.get(`${routeId}-0`)!.lengthM, directions });
  }

  const headwaysMin = chooseHeadways(
    drafts.map((d) => ({ lengthM: d.lengthM, runS: [d.directions[0].runS, d.directions[1].runS] as const })),
    buses,
  );
  const patterns = new Map<string, Pattern>();
  const trips = new Map<string, Trip>();
  drafts.forEach(({ directions }, i) => {
    for (const draft of directions) {
      addTrips(draft, headwaysMin[i]! * 60, trips);
      patterns.set(draft.pattern.patternId, draft.pattern);
    }
  });
  return { timezone, agencies, routes, stops, trips, patterns, shapes, services };
}

/** Route i takes the i-th real route's number and name; past the list's end, numbers get a letter suffix (01A…). */
function routeNames(count: number): { shortName: string; longName: string }[] {
  const list = realRouteList();
  const used = new Set(list.map((r) => r.RouteNo));
  const out: { shortName: string; longName: string }[] = [];
  for (let i = 0; i < count; i++) {
    const real = list[i % list.length]!;
    let round = Math.floor(i / list.length);
    let shortName = real.RouteNo;
    // A suffixed number may already exist in the real list (72-2B): move on to the next letter.
    while (round > 0 && used.has(real.RouteNo + letters(round))) round++;
    if (round > 0) shortName = real.RouteNo + letters(round);
    used.add(shortName);
    out.push({ shortName, longName: real.RouteName });
  }
  return out;
}

/** Bijective base 26: 1 → A, 26 → Z, 27 → AA. */
function letters(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** A route's line in direction 0: terminals inside the city, two to four bends, 8–25 km long. */
function drawRoute(rng: Rng): { points: LatLon[]; legEndsM: number[]; streets: string[] } {
  for (let attempt = 0; attempt < 500; attempt++) {
    // Uniform radius, not area: routes crowd towards the centre as in the real city.
    const a = destinationPoint(BEN_THANH, rng.uniform(0, 360), CITY_RADIUS_M * rng.next());
    const chordM = rng.uniform(CHORD_M[0], CHORD_M[1]);
    const heading = rng.uniform(0, 360);
    const bends = rng.int(2, 4);
    const corners: LatLon[] = [a];
    for (let j = 1; j <= bends; j++) {
      const onChord = destinationPoint(a, heading, (chordM * (j + rng.uniform(-0.3, 0.3))) / (bends + 1));
      corners.push(destinationPoint(onChord, heading + 90, chordM * Math.max(-0.25, Math.min(0.25, rng.normal(0, 0.12)))));
    }
    corners.push(destinationPoint(a, heading, chordM));
    if (corners.some((p) => haversineM(BEN_THANH, p) > CITY_RADIUS_M)) continue;

    const points: LatLon[] = [];
    const cornerIndex: number[] = [0];
    for (let leg = 0; leg + 1 < corners.length; leg++) {
      const p = corners[leg]!;
      const q = corners[leg + 1]!;
      const n = Math.max(1, Math.round(haversineM(p, q) / VERTEX_SPACING_M));
      const side = bearingDeg(p, q) + 90;
      points.push({ lat: round6(p.lat), lon: round6(p.lon) });
      for (let s = 1; s < n; s++) {
        const t = s / n;
        const v = destinationPoint(
          { lat: p.lat + (q.lat - p.lat) * t, lon: p.lon + (q.lon - p.lon) * t },
          side,
          rng.uniform(-VERTEX_WOBBLE_M, VERTEX_WOBBLE_M),
        );
        points.push({ lat: round6(v.lat), lon: round6(v.lon) });
      }
      cornerIndex.push(points.length);
    }
    const last = corners[corners.length - 1]!;
    points.push({ lat: round6(last.lat), lon: round6(last.lon) });
    const line = measurePolyline(points);
    if (line.lengthM < MIN_ROUTE_M || line.lengthM > MAX_ROUTE_M) continue;
    return { points, legEndsM: cornerIndex.slice(1).map((k) => line.cumulativeM[k]!), streets: corners.slice(1).map(() => rng.pick(STREETS)) };
  }
  throw new Error('could not draw a route inside the city disk');
}

interface DirectionPlan {
  routeId: string;
  dir: 0 | 1;
  shapeId: string;
  line: MeasuredPolyline;
  from: string;
  to: string;
  speedMps: number;
  streetAt: (distanceM: number) => { street: string; intoLegM: number };
}

/** Stops every ~450 m (±15 %) on the kerb, the pattern through them, and the run-time template. */
function draftDirection(rng: Rng, plan: DirectionPlan, stops: Map<string, Stop>): DirectionDraft {
  const { routeId, dir, line } = plan;
  const gaps = Math.max(2, Math.round(line.lengthM / STOP_SPACING_M));
  const spacingM = line.lengthM / gaps;
  const patternStops: PatternStop[] = [];
  for (let k = 0; k <= gaps; k++) {
    // Whole metres: V8 then keeps every trip's StopTime.distanceM as a small integer, not a boxed double.
    const distanceM = k === 0 ? 0 : k === gaps ? Math.floor(line.lengthM) : Math.round(spacingM * (k + rng.uniform(-STOP_JITTER, STOP_JITTER)));
    const onLine = pointAtDistance(line, distanceM);
    const heading = bearingDeg(pointAtDistance(line, distanceM - 10), pointAtDistance(line, distanceM + 10));
    const kerb = destinationPoint(onLine, heading + 90, KERB_OFFSET_M);
    const position = { lat: round6(kerb.lat), lon: round6(kerb.lon) };
    const stopId = `${routeId}-${dir}-${k}`;
    const { street, intoLegM } = plan.streetAt(distanceM);
    // Odd house numbers on one side of the street, even on the other.
    const houseNo = 2 * Math.max(0, Math.round(intoLegM / 20)) + (dir === 0 ? 1 : 2);
    const name = k === 0 ? plan.from : k === gaps ? plan.to : `${houseNo} ${street}`;
    stops.set(stopId, { stopId, name, lat: position.lat, lon: position.lon, locationType: 0 });
    patternStops.push({ stopId, distanceM, offsetM: Math.round(haversineM(onLine, position) * 10) / 10 });
  }
  const arrivalOffsetS = [0];
  const departureOffsetS = [0];
  for (let k = 1; k <= gaps; k++) {
    const arrive = departureOffsetS[k - 1]! + Math.round((patternStops[k]!.distanceM - patternStops[k - 1]!.distanceM) / plan.speedMps);
    arrivalOffsetS.push(arrive);
    departureOffsetS.push(k === gaps ? arrive : arrive + DWELL_S);
  }
  const pattern: Pattern = {
    patternId: `${routeId}:${dir}:1`,
    routeId,
    directionId: dir,
    headsign: plan.to,
    shapeId: plan.shapeId,
    stops: patternStops,
    lengthM: line.lengthM,
    isLoop: false,
    tripIds: [],
  };
  return { pattern, arrivalOffsetS, departureOffsetS, runS: arrivalOffsetS[gaps]! };
}

/** Departures of a route direction, one every `headwayS` from 05:00 until 22:00. */
function departuresOf(headwayS: number): number {
  return Math.floor((LAST_DEPARTURE_S - FIRST_DEPARTURE_S) / headwayS) + 1;
}

/**
 * Vehicle blocks planDay chains for a two-direction route with both terminals starting at 05:00: each
 * terminal needs a fresh bus for every departure before the first bus from the other end has arrived and
 * laid over; after that arrivals keep pace with departures.
 */
function blocksNeeded(runS: readonly [number, number], headwayS: number): number {
  const n = departuresOf(headwayS);
  return Math.min(n, Math.ceil((runS[1] + MIN_LAYOVER_S) / headwayS)) + Math.min(n, Math.ceil((runS[0] + MIN_LAYOVER_S) / headwayS));
}

/**
 * One headway per route (whole minutes, ≥ 3) so that the blocks add up to `buses`: each route's share is in
 * proportion to its length, and the rounding error of one route carries over to the next.
 */
function chooseHeadways(routes: readonly { lengthM: number; runS: readonly [number, number] }[], buses: number): number[] {
  const totalM = routes.reduce((s, r) => s + r.lengthM, 0);
  let wanted = 0;
  let planned = 0;
  let most = 0;
  const headways = routes.map((r) => {
    wanted += (buses * r.lengthM) / totalM;
    const target = wanted - planned;
    const longestMin = Math.ceil((Math.max(r.runS[0], r.runS[1]) + MIN_LAYOVER_S) / 60);
    let best = longestMin;
    let bestBlocks = blocksNeeded(r.runS, best * 60);
    for (let h = longestMin - 1; h >= MIN_HEADWAY_MIN; h--) {
      const blocks = blocksNeeded(r.runS, h * 60);
      if (Math.abs(blocks - target) < Math.abs(bestBlocks - target)) [best, bestBlocks] = [h, blocks];
    }
    planned += bestBlocks;
    most += blocksNeeded(r.runS, MIN_HEADWAY_MIN * 60);
    return best;
  });
  if (Math.abs(planned - buses) > BUS_TOLERANCE * buses) {
    throw new SyntheticSpecError(
      `${routes.length} routes cannot run ${buses} buses: between ${2 * routes.length} (one bus at each terminal) ` +
        `and ${most} (every ${MIN_HEADWAY_MIN} min) fit; this network would plan ${planned}`,
    );
  }
  return headways;
}

const hhmm = (s: number) => String(Math.floor(s / 3600)).padStart(2, '0') + String(Math.floor((s % 3600) / 60)).padStart(2, '0');

/** The direction's trips, from 05:00 every `headwayS` until 22:00, sharing the pattern's stop ids. */
function addTrips(draft: DirectionDraft, headwayS: number, trips: Map<string, Trip>): void {
  const { pattern, arrivalOffsetS, departureOffsetS } = draft;
  const dir = pattern.directionId!;
  for (let t = FIRST_DEPARTURE_S; t <= LAST_DEPARTURE_S; t += headwayS) {
    const tripId = `${pattern.routeId}-${dir}-${hhmm(t)}`;
    const stopTimes = pattern.stops.map(
      (ps, k): StopTime => ({
        stopId: ps.stopId,
        stopSequence: k + 1,
        arrivalS: t + arrivalOffsetS[k]!,
        departureS: t + departureOffsetS[k]!,
        distanceM: ps.distanceM,
        pickupType: 0,
        dropOffType: 0,
        timepoint: true,
      }),
    );
    trips.set(tripId, {
      tripId,
      routeId: pattern.routeId,
      serviceId: SERVICE_ID,
      directionId: dir,
      headsign: pattern.headsign!,
      shapeId: pattern.shapeId,
      patternId: pattern.patternId,
      stopTimes,
    });
    pattern.tripIds.push(tripId);
  }
}
