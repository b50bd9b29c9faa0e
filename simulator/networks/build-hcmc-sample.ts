/**
 * Generates the built-in sample network simulator/networks/hcmc-sample/*.txt (GTFS) from the plan in
 * hcmc-sample-plan.ts and the route names and terminal coordinates in hcmc-routes-2026.json.
 * Deterministic: the same inputs write byte-identical files. Run: `npx tsx simulator/networks/build-hcmc-sample.ts`.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { bearingDeg, destinationPoint, measurePolyline, pointAtDistance, type LatLon, type MeasuredPolyline } from '../../shared/kernel/geo/polyline.js';
import { formatGtfsTime } from '../../shared/gtfs/time.js';
import { AGENCIES, HOLIDAY, ROUTES, SERVICE_END, SERVICE_START, TERMINALS, type RoutePlan } from './hcmc-sample-plan.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const OUT_DIR = here('./hcmc-sample/');

const SourceData = z.object({
  routes: z.array(z.object({ RouteId: z.number(), RouteNo: z.string(), RouteName: z.string() })),
  terminals: z.array(z.object({ name: z.string(), lat: z.number(), lon: z.number() })),
});
const source = SourceData.parse(JSON.parse(readFileSync(here('./hcmc-routes-2026.json'), 'utf8')));

/** Target distance between stops; sections are split evenly around it, then each stop is nudged ±10 %. */
const STOP_SPACING_M = 470;
const STOP_JITTER = 0.1;
/** Stops sit on the right-hand kerb (traffic drives on the right in Việt Nam). */
const KERB_OFFSET_M = 12;
const DWELL_S = 20;
const HUB_DWELL_S = 40;
const H = 3600;
const FIRST_DEPARTURE_S = 5 * H;
const LAST_DEPARTURE_S = 22 * H;

type Band = 'peak' | 'midday' | 'shoulder';
/** Weekday time bands: peaks 06:00–09:00 and 16:00–19:00. */
function bandAt(s: number): Band {
  if (s < 6 * H || s >= 19 * H) return 'shoulder';
  return s < 9 * H || s >= 16 * H ? 'peak' : 'midday';
}
const SPEED_KMH: Record<Band, number> = { peak: 14, midday: 18, shoulder: 22 };

/** mulberry32: a tiny seeded PRNG, so stop placement is random-looking but reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const seedOf = (s: string) => [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261);

interface SampleStop extends LatLon {
  stopId: string;
  name: string;
}
interface PatternPlan {
  routeNo: string;
  direction: 0 | 1;
  shapeId: string;
  line: MeasuredPolyline;
  stops: SampleStop[];
  /** Distance along the shape of each stop. */
  distances: number[];
  hubs: Set<string>;
  headsign: string;
}

const terminalStops = new Map<string, SampleStop>();
for (const [code, fullName] of Object.entries(TERMINALS)) {
  const t = source.terminals.find((x) => x.name === fullName);
  if (!t) throw new Error(`terminal "${fullName}" is not in hcmc-routes-2026.json`);
  terminalStops.set(code, { stopId: code, name: fullName.replace(/ \(.*\)$/, ''), lat: t.lat, lon: t.lon });
}
const terminal = (code: string) => terminalStops.get(code) ?? fail(`unknown terminal ${code}`);
function fail(message: string): never {
  throw new Error(message);
}
const round6 = (x: number) => Number(x.toFixed(6));

/** One direction of a route: shape through the waypoints, stops evenly spaced between terminals and hubs. */
function planPattern(plan: RoutePlan, direction: 0 | 1): PatternPlan {
  const from = terminal(plan.from);
  const to = terminal(plan.to);
  type Vertex = { point: LatLon; street: string; hub?: string };
  let vertices: Vertex[] = [
    { point: from, street: plan.via[0]![2], hub: plan.from },
    ...plan.via.map(([lat, lon, street, hub]) => ({ point: { lat, lon }, street, hub })),
    { point: to, street: plan.via[plan.via.length - 1]![2], hub: plan.to },
  ];
  // `street` names the leg ending at a vertex; reversed, it names the leg starting there.
  if (direction === 1) {
    vertices = vertices.map((v, i) => ({ ...v, street: vertices[i + 1]?.street ?? v.street })).reverse();
  }
  const line = measurePolyline(vertices.map((v) => v.point));
  const streetAt = (d: number) => vertices[line.cumulativeM.findIndex((c) => c >= d)]?.street ?? '';
  const random = prng(seedOf(`${plan.routeNo}/${direction}`));
  const stops: SampleStop[] = [];
  const distances: number[] = [];
  const hubs = new Set<string>();
  const perStreet = new Map<string, number>();
  vertices.forEach((v, i) => {
    if (v.hub === undefined) return;
    const d = line.cumulativeM[i]!;
    const prev = distances[distances.length - 1];
    if (prev !== undefined) {
      const n = Math.max(1, Math.round((d - prev) / STOP_SPACING_M));
      const spacing = (d - prev) / n;
      for (let k = 1; k < n; k++) {
        const at = prev + k * spacing + (random() * 2 - 1) * STOP_JITTER * spacing;
        const p = pointAtDistance(line, at);
        const heading = bearingDeg(pointAtDistance(line, at - 10), pointAtDistance(line, at + 10));
        const kerb = destinationPoint(p, heading + 90, KERB_OFFSET_M);
        const street = streetAt(at);
        const count = (perStreet.get(street) ?? 0) + 1;
        perStreet.set(street, count);
        const stopId = `${plan.routeNo}-${direction}-${String(stops.length).padStart(2, '0')}`;
        stops.push({ stopId, name: `${street} ${count}`, lat: round6(kerb.lat), lon: round6(kerb.lon) });
        distances.push(at);
      }
    }
    stops.push(terminal(v.hub));
    distances.push(d);
    if (i > 0 && i < vertices.length - 1) hubs.add(v.hub);
  });
  const loop = plan.from === plan.to;
  const hubNames = plan.via.flatMap((w) => (w[3] ? [terminal(w[3]).name] : []));
  const headsign = loop ? `Vòng ${(direction === 0 ? hubNames : [...hubNames].reverse()).join(' – ')}` : (direction === 0 ? to : from).name;
  const shapeId = `${plan.routeNo}-${direction}`;
  return { routeNo: plan.routeNo, direction, shapeId, line, stops, distances, hubs, headsign };
}

/** Arrival and departure at every stop for a trip leaving the first stop at `departureS` at `speedKmh`. */
function runTimes(p: PatternPlan, departureS: number, speedKmh: number): Array<[number, number]> {
  const out: Array<[number, number]> = [[departureS, departureS]];
  let t = departureS;
  for (let i = 1; i < p.stops.length; i++) {
    t += Math.round((p.distances[i]! - p.distances[i - 1]!) / (speedKmh / 3.6));
    const last = i === p.stops.length - 1;
    const dwell = last ? 0 : p.hubs.has(p.stops[i]!.stopId) ? HUB_DWELL_S : DWELL_S;
    out.push([t, t + dwell]);
    t += dwell;
  }
  return out;
}

/** Weekday departures from 05:00 to 22:00, headway by band. */
function departures(plan: RoutePlan): number[] {
  const out: number[] = [];
  for (let t = FIRST_DEPARTURE_S; t <= LAST_DEPARTURE_S; t += plan.headwayMin[bandAt(t)] * 60) out.push(t);
  return out;
}

/** Holiday frequencies (exact_times=1): shoulder headway to 07:00 and after 19:00, midday headway between. */
function holidayFrequencies(plan: RoutePlan): Array<[number, number, number]> {
  const bands: Array<[number, number]> = [
    [7 * H, plan.headwayMin.shoulder * 60],
    [19 * H, plan.headwayMin.midday * 60],
    [LAST_DEPARTURE_S + 1, plan.headwayMin.shoulder * 60],
  ];
  const rows: Array<[number, number, number]> = [];
  let start = FIRST_DEPARTURE_S;
  for (const [bandEnd, headway] of bands) {
    const count = Math.ceil((bandEnd - start) / headway);
    const lastStart = start + (count - 1) * headway;
    // end_time lies after the last start and before the next one, as exact_times=1 requires.
    rows.push([start, lastStart + 60, headway]);
    start = lastStart + headway;
  }
  return rows;
}

function csv(header: string[], rows: Array<Array<string | number>>): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

/** The sample feed's files (name → text), generated from the plan. */
export function buildHcmcSample(): Record<string, string> {
  const stops = new Map<string, SampleStop>();
  const routeRows: Array<Array<string | number>> = [];
  const tripRows: Array<Array<string | number>> = [];
  const stopTimeRows: Array<Array<string | number>> = [];
  const shapeRows: Array<Array<string | number>> = [];
  const frequencyRows: Array<Array<string | number>> = [];

  for (const plan of ROUTES) {
    const info = source.routes.find((r) => r.RouteNo === plan.routeNo) ?? fail(`route ${plan.routeNo} is not in the data`);
    routeRows.push([plan.routeNo, plan.agencyId, plan.routeNo, info.RouteName.trim(), 3, plan.subsidised ? 1 : 0]);
    for (const direction of [0, 1] as const) {
      const p = planPattern(plan, direction);
      for (const s of p.stops) stops.set(s.stopId, s);
      p.line.points.forEach((pt, i) => {
        shapeRows.push([p.shapeId, round6(pt.lat), round6(pt.lon), i + 1, p.line.cumulativeM[i]!.toFixed(1)]);
      });
      const addTrip = (tripId: string, serviceId: string, times: Array<[number, number]>) => {
        tripRows.push([plan.routeNo, serviceId, tripId, p.headsign, direction, p.shapeId]);
        times.forEach(([arr, dep], i) => {
          stopTimeRows.push([tripId, formatGtfsTime(arr), formatGtfsTime(dep), p.stops[i]!.stopId, i + 1]);
        });
      };
      for (const dep of departures(plan)) {
        const hhmm = formatGtfsTime(dep).slice(0, 5).replace(':', '');
        addTrip(`${p.shapeId}-${hhmm}`, 'DAILY', runTimes(p, dep, SPEED_KMH[bandAt(dep)]));
      }
      const template = `${p.shapeId}-H`;
      addTrip(template, 'HOLIDAY', runTimes(p, FIRST_DEPARTURE_S, SPEED_KMH.midday));
      for (const [start, end, headway] of holidayFrequencies(plan)) {
        frequencyRows.push([template, formatGtfsTime(start), formatGtfsTime(end), headway, 1]);
      }
    }
  }

  const files: Record<string, string> = {
    'agency.txt': csv(
      ['agency_id', 'agency_name', 'agency_url', 'agency_timezone', 'agency_lang'],
      AGENCIES.map((a) => [a.agencyId, a.name, a.url, 'Asia/Ho_Chi_Minh', 'vi']),
    ),
    'routes.txt': csv(['route_id', 'agency_id', 'route_short_name', 'route_long_name', 'route_type', 'subsidised'], routeRows),
    'stops.txt': csv(
      ['stop_id', 'stop_name', 'stop_lat', 'stop_lon'],
      [...stops.values()].sort((a, b) => (a.stopId < b.stopId ? -1 : 1)).map((s) => [s.stopId, s.name, s.lat, s.lon]),
    ),
    'trips.txt': csv(['route_id', 'service_id', 'trip_id', 'trip_headsign', 'direction_id', 'shape_id'], tripRows),
    'stop_times.txt': csv(['trip_id', 'arrival_time', 'departure_time', 'stop_id', 'stop_sequence'], stopTimeRows),
    'calendar.txt': csv(
      ['service_id', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'start_date', 'end_date'],
      [
        ['DAILY', 1, 1, 1, 1, 1, 1, 1, SERVICE_START, SERVICE_END],
        ['HOLIDAY', 0, 0, 0, 0, 0, 0, 0, SERVICE_START, SERVICE_END],
      ],
    ),
    'calendar_dates.txt': csv(
      ['service_id', 'date', 'exception_type'],
      [
        ['DAILY', HOLIDAY, 2],
        ['HOLIDAY', HOLIDAY, 1],
      ],
    ),
    'shapes.txt': csv(['shape_id', 'shape_pt_lat', 'shape_pt_lon', 'shape_pt_sequence', 'shape_dist_traveled'], shapeRows),
    'frequencies.txt': csv(['trip_id', 'start_time', 'end_time', 'headway_secs', 'exact_times'], frequencyRows),
  };

  return files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = buildHcmcSample();
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(`${OUT_DIR}${name}`, text);
  const count = (name: string) => files[name]!.trimEnd().split('\n').length - 1;
  console.log(
    `wrote ${Object.keys(files).length} files to ${OUT_DIR}: ${count('routes.txt')} routes, ${count('stops.txt')} stops, ` +
      `${count('trips.txt')} trips, ${count('stop_times.txt')} stop times`,
  );
}
