/**
 * The public network routes on the local stack (DynamoDB Local, the sample network imported): no token, every
 * answer checked against its route's schema, problem+json for bad coordinates, radius out of range and unknown
 * ids, and the GTFS zip imported again with BusFlow's own import giving the same routes, stops and trips.
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, type RouteDef } from '../../shared/api/index.js';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs, loadGtfsFiles } from '../../shared/gtfs/load.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

const BEN_THANH = { stopId: 'BTH', name: 'Bến Thành', lat: 10.7716, lon: 106.6983 };
let stack: TestStack;
let network: Network;

async function get(path: string): Promise<Response> {
  return fetch(`${stack.http!.url}${path}`);
}

/** A public GET that must succeed, its body checked against the route's response schema. */
async function answer(route: RouteDef, path: string): Promise<any> {
  const res = await get(path);
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 300)}`).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  const json = JSON.parse(text);
  expect(route.response!.safeParse(json).error?.issues, `${route.id} answered outside its schema`).toBeUndefined();
  return json;
}

async function problem(path: string, status: number): Promise<{ field?: string; detail?: string }> {
  const res = await get(path);
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 300)}`).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return JSON.parse(text);
}

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  stack = await startTestStack({ http: true, network });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the public network API', () => {
  it('lists every route with names, operator, directions and first and last departure, without a token', async () => {
    const { items } = await answer(apiRoutes.listRoutes, '/v1/routes');
    expect(items.map((r: any) => r.routeId).sort()).toEqual([...network.routes.keys()].sort());
    expect(items.find((r: any) => r.routeId === '04')).toMatchObject({
      shortName: '04',
      longName: 'Bến Thành - Cộng Hòa - Bến xe An Sương',
      operator: { operatorId: 'SGB' },
      subsidised: true,
    });
    for (const r of items) expect(r.firstDeparture <= r.lastDeparture).toBe(true);
  });

  it("answers a route's patterns with ordered stops, each shape as a GeoJSON LineString, and headways by band", async () => {
    const route = await answer(apiRoutes.getRoute, '/v1/routes/01');
    expect(route.patterns.length).toBeGreaterThanOrEqual(2);
    for (const p of route.patterns) {
      const pattern = network.patterns.get(p.patternId)!;
      expect(p.stops.map((s: any) => s.stopId)).toEqual(pattern.stops.map((s) => s.stopId));
      const distances = p.stops.map((s: any) => s.distanceM);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      expect(p.shape.type).toBe('LineString');
      const shape = network.shapes.get(pattern.shapeId)!;
      expect(p.shape.coordinates).toEqual(shape.points.map((pt) => [pt.lon, pt.lat]));
    }
    // Direction 0, the daily service, 06:00–09:00: the mean gap between departures from the first stop.
    const departures = [...network.trips.values()]
      .filter((t) => t.routeId === '01' && t.directionId === 0 && t.serviceId === 'DAILY')
      .map((t) => t.stopTimes[0]!.departureS)
      .filter((s) => s >= 6 * 3600 && s < 9 * 3600)
      .sort((a, b) => a - b);
    const morning = route.headways[0].bands.find((b: any) => b.band === 'morningPeak');
    expect(morning).toMatchObject({
      departures: departures.length,
      headwayMin: { mean: Math.round(((departures.at(-1)! - departures[0]!) / 60 / (departures.length - 1)) * 10) / 10 },
    });
  });

  it('finds the nearest stop to Bến Thành first, with its distance in metres, nearest first', async () => {
    const { items } = await answer(apiRoutes.listStops, `/v1/stops?near=${BEN_THANH.lat},${BEN_THANH.lon}&radius=800&limit=10`);
    expect(items[0]).toMatchObject({ stopId: BEN_THANH.stopId, name: BEN_THANH.name, distanceM: 0 });
    expect(items.length).toBeGreaterThan(1);
    const distances = items.map((s: any) => s.distanceM);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(distances.every((d: number) => d <= 800)).toBe(true);
    expect(items[0].routeIds).toContain('04');
    const far = await answer(apiRoutes.listStops, '/v1/stops?near=10.5,106.2&radius=100');
    expect(far.items).toEqual([]);
  });

  it.each(['ben thanh', 'BEN THANH', 'Bến Thành', 'bến thành'])('finds "Bến Thành" first for q=%s', async (q) => {
    const { items } = await answer(apiRoutes.listStops, `/v1/stops?q=${encodeURIComponent(q)}`);
    expect(items[0]).toMatchObject({ stopId: BEN_THANH.stopId, name: BEN_THANH.name });
    expect(items[0].distanceM).toBeUndefined();
  });

  it('finds names with đ from a plain d', async () => {
    const { items } = await answer(apiRoutes.listStops, '/v1/stops?q=mien%20dong&limit=5');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((s: any) => /Miền Đông/i.test(s.name))).toBe(true);
  });

  it('answers a stop with the routes serving it', async () => {
    const stop = await answer(apiRoutes.getStop, `/v1/stops/${BEN_THANH.stopId}`);
    expect(stop).toMatchObject({ stopId: 'BTH', name: 'Bến Thành', lat: BEN_THANH.lat, lon: BEN_THANH.lon });
    const serving = [...network.patterns.values()].filter((p) => p.stops.some((s) => s.stopId === 'BTH')).map((p) => p.routeId);
    expect(stop.routes.map((r: any) => r.routeId)).toEqual([...new Set(serving)].sort());
  });

  it('serves the network as a GTFS zip that BusFlow’s own import reads back to the same routes, stops and trips', async () => {
    const res = await get('/v1/gtfs/static.zip');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="busflow-gtfs-.+\.zip"$/);
    const zip = new Uint8Array(await res.arrayBuffer());
    expect(apiRoutes.gtfsStatic.response!.safeParse(zip).success).toBe(true);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(
      ['agency.txt', 'calendar.txt', 'calendar_dates.txt', 'frequencies.txt', 'routes.txt', 'shapes.txt', 'stop_times.txt', 'stops.txt', 'trips.txt'].sort(),
    );
    const { network: again, issues } = loadGtfsFiles(new Map(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)])));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(Object.fromEntries(again.routes)).toEqual(Object.fromEntries(network.routes));
    expect(Object.fromEntries(again.stops)).toEqual(Object.fromEntries(network.stops));
    expect([...again.trips.keys()].sort()).toEqual([...network.trips.keys()].sort());
    for (const [tripId, trip] of network.trips) {
      const back = again.trips.get(tripId)!;
      expect(
        back.stopTimes.map((st) => [st.stopId, st.arrivalS, st.departureS]),
        tripId,
      ).toEqual(trip.stopTimes.map((st) => [st.stopId, st.arrivalS, st.departureS]));
      expect([back.routeId, back.serviceId, back.directionId, back.shapeId, back.frequency]).toEqual([
        trip.routeId,
        trip.serviceId,
        trip.directionId,
        trip.shapeId,
        trip.frequency,
      ]);
    }
  });

  it.each([
    ['/v1/stops?near=91,106.7', 'near'],
    ['/v1/stops?near=10.77,181', 'near'],
    ['/v1/stops?near=abc', 'near'],
    ['/v1/stops?near=10.77', 'near'],
    ['/v1/stops?near=10.77,106.7&radius=0', 'radius'],
    ['/v1/stops?near=10.77,106.7&radius=5001', 'radius'],
    ['/v1/stops?near=10.77,106.7&radius=-5', 'radius'],
    ['/v1/stops?near=10.77,106.7&limit=0', 'limit'],
    ['/v1/stops', 'near'],
    ['/v1/stops?near=10.77,106.7&q=ben', 'near'],
    [`/v1/stops?q=${'a'.repeat(65)}`, 'q'],
  ])('refuses %s with 400 problem+json naming %s', async (path, field) => {
    expect((await problem(path, 400)).field).toBe(field);
  });

  it('answers CORS preflights and cross-origin requests as API Gateway does with the API’s policy', async () => {
    const preflight = await fetch(`${stack.http!.url}/v1/stops`, {
      method: 'OPTIONS',
      headers: { origin: 'https://passenger.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-request-id' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-request-id');
    const res = await fetch(`${stack.http!.url}/v1/stops/BTH`, { headers: { origin: 'https://passenger.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect((await get('/v1/stops/BTH')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each(['/v1/stops/NOPE', '/v1/routes/NOPE'])('answers %s with 404 problem+json', async (path) => {
    expect((await problem(path, 404)).detail).toMatch(/NOPE not found/);
  });
});
