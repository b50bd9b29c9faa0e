/**
 * Every route of the catalogue, driven at least once through the local HTTP server with a valid request, answers
 * what its route declares: the local stack checks every answer against the route's `response` schema (a mismatch
 * would be a 500), and this test checks each body again itself. A simulated hour gives the journeys, quality and
 * TIDES routes real trips to answer with, and the list routes are walked page by page with their cursors.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allApiRoutes, routeKey, type RouteDef } from '../../shared/api/index.js';
import { TIDES_HEADERS } from '../../shared/api/journey-schemas.js';
import { versionViewSchema } from '../../shared/api/reconciliation-schemas.js';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { parseGtfsTime, serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { fixedClock } from '../../shared/domain/ports/clock.js';
import { cancelledTripIds } from '../../shared/domain/trip-orders/cancelled-trips.js';
import { planDay, tripOrderOf, type TripOrderDraft } from '../../simulator/core/day-plan.js';
import { faultProfiles } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { MqttSink } from '../../simulator/output/mqtt-sink.js';
import { runSimulation } from '../../simulator/run.js';
import { registerBus } from '../../infra/local/register-bus.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

const day = '2026-11-26';
const BUSES = 6;
const clock = fixedClock(0);
let stack: TestStack;
let network: Network;
let centre: string;
const operatorTokens = new Map<string, string>();
/** Route ids answered, each with the status it answered. */
const answered = new Map<string, number[]>();

const compiled = allApiRoutes.map((r) => ({ r, pattern: new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
function routeOf(method: string, path: string): RouteDef {
  const found = compiled.find(({ r, pattern }) => r.method === method && pattern.test(path.split('?')[0]!));
  if (!found) throw new Error(`no route for ${method} ${path}`);
  return found.r;
}

/** Calls the API, expects a success, and checks the answer against the route's response schema (or TIDES header). */
async function call(method: string, path: string, token: string | undefined, body?: unknown): Promise<any> {
  const route = routeOf(method, path);
  const res = await fetch(`${stack.http!.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (route.responseContentType === 'application/zip' || (route.responseContentType === 'application/x-protobuf' && !path.includes('format=json'))) {
    return binaryAnswer(route, res);
  }
  // Kept as sent: the CSV exports start with a byte-order mark, which `res.text()` would drop.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  expect(res.status, `${routeKey(route)} ${path}: ${text.slice(0, 500)}`).toBe(route.successStatus ?? 200);
  answered.set(route.id, [...(answered.get(route.id) ?? []), res.status]);
  // The reconciliation exports: CSV and the acceptance record page (the TIDES CSVs are checked below).
  if ((route.responseContentType === 'text/csv' || route.responseContentType === 'text/html') && !route.tags.includes('journeys')) {
    expect(res.headers.get('content-type')).toMatch(route.responseContentType === 'text/csv' ? /^text\/csv; charset=utf-8/ : /^text\/html; charset=utf-8/);
    const checked = route.response!.safeParse(text);
    expect(checked.error?.issues, `${route.id} answered outside its schema`).toBeUndefined();
    return text;
  }
  if (route.responseContentType === 'text/csv') {
    const table = /tides\/([a-z_]+)/.exec(path)![1]!;
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(text.split('\r\n')[0]).toBe(TIDES_HEADERS[table]);
    return text;
  }
  const json = JSON.parse(text);
  const checked = route.response!.safeParse(json);
  expect(checked.error?.issues, `${route.id} answered outside its schema`).toBeUndefined();
  return json;
}

/** A binary answer (the GTFS zip, a GTFS-Realtime feed): its bytes, checked against the route's schema. */
async function binaryAnswer(route: RouteDef, res: Response): Promise<Uint8Array> {
  expect(res.status, routeKey(route)).toBe(route.successStatus ?? 200);
  expect(res.headers.get('content-type')).toBe(route.responseContentType);
  answered.set(route.id, [...(answered.get(route.id) ?? []), res.status]);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(route.response!.safeParse(bytes).error?.issues, `${route.id} answered outside its schema`).toBeUndefined();
  return bytes;
}

const parseGtfs = (time: string) => parseGtfsTime(time) ?? Number.NaN;
const operator = (operatorId: string) => operatorTokens.get(operatorId)!;

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  clock.set(serviceTimeToEpochMs(day, 7.5 * 3600, network.timezone));
  stack = await startTestStack({ http: true, network, clock });
  centre = await stack.http!.issuer.sign({ role: 'centre' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('every route of the catalogue', () => {
  let orders: TripOrderDraft[];
  let single: any;
  let ghostLineId: string;

  it('answers the trip-order and contract routes as declared', async () => {
    const contracts = JSON.parse(readFileSync(join(SAMPLE_NETWORK_DIR, 'contracts.json'), 'utf8'));
    expect((await call('PUT', '/v1/route-contracts', centre, contracts)).stored).toBe(contracts.contracts.length);
    const plan = planDay(network, day, { seed: 4, maxBuses: BUSES });
    const secrets = new Map<string, string>();
    for (const d of plan.duties) {
      secrets.set(d.busId, (await registerBus(stack.vehicles, { busId: d.busId, operatorId: d.operatorId, plate: d.plate })).secret);
      if (!operatorTokens.has(d.operatorId)) operatorTokens.set(d.operatorId, await stack.http!.issuer.sign({ role: 'operator', operatorId: d.operatorId }));
    }
    orders = plan.duties.map((d) => tripOrderOf(d, day));
    const [first, ...rest] = orders;
    const op = first!.operatorId;

    // One order through its whole lifecycle, one route at a time.
    const draft = await call('POST', '/v1/trip-orders', operator(op), { ...first, issue: false });
    expect(draft.status).toBe('draft');
    expect((await call('POST', `/v1/trip-orders/${draft.id}/issue`, operator(op))).status).toBe('issued');
    expect((await call('POST', `/v1/trip-orders/${draft.id}/approve`, centre)).status).toBe('approved');
    single = await call('POST', `/v1/trip-orders/${draft.id}/amend`, operator(op), { reason: 'driver is ill', driver: { driverId: 'DRV-SPARE-1' } });
    const confirmed = await call('POST', `/v1/trip-orders/${draft.id}/confirmations`, operator(op), {
      tripSequence: 1,
      kind: 'departure',
      at: new Date(clock.now() - 60_000).toISOString(),
      stopId: 'TERMINAL',
      confirmedBy: 'STAFF-1',
    });
    expect(confirmed.confirmations).toHaveLength(1);
    expect((await call('GET', `/v1/trip-orders/${draft.id}`, centre)).id).toBe(draft.id);

    // The others in a batch per operator, approved by the centre; the last one cancelled.
    const created: any[] = [];
    for (const operatorId of new Set(rest.map((o) => o.operatorId))) {
      const mine = rest.filter((o) => o.operatorId === operatorId).map((o) => ({ ...o, issue: true }));
      created.push(...(await call('POST', '/v1/trip-orders/batch', operator(operatorId), { orders: mine })).created);
    }
    for (const o of created.slice(0, -1)) await call('POST', `/v1/trip-orders/${o.id}/approve`, centre);
    const last = created.at(-1);
    expect((await call('POST', `/v1/trip-orders/${last.id}/cancel`, operator(last.operatorId), { reason: 'no driver' })).status).toBe('cancelled');

    const listed = await walk(`/v1/trip-orders?serviceDay=${day}&limit=2`, centre);
    expect(listed.map((o) => o.id).sort()).toEqual([draft.id, ...created.map((o) => o.id)].sort());
    expect((await call('GET', `/v1/route-contracts?operatorId=${op}`, operator(op))).items.length).toBeGreaterThan(0);
    expect((await call('GET', '/v1/openapi.json', undefined)).openapi).toBe('3.1.0');

    // A simulated hour of the approved buses, so that the journey routes have trips to answer with.
    await runSimulation({
      network,
      serviceDay: day,
      seed: 4,
      buses: BUSES,
      speed: Number.POSITIVE_INFINITY,
      profile: faultProfiles.none,
      sink: new MqttSink({ url: stack.broker.url, identity: async (busId) => ({ kind: 'password', secret: secrets.get(busId)! }) }),
      truth: { write: async () => undefined, close: async () => undefined },
      fromMs: serviceTimeToEpochMs(day, 6 * 3600, network.timezone),
      toMs: serviceTimeToEpochMs(day, 7.5 * 3600, network.timezone),
    });
    await stack.settle();

    // A bus that never runs, whose terminal confirmed its departure: a needs-review line for the centre.
    const ghost = { busId: `${op}-GHOST`, plate: '51B-999.99' };
    await registerBus(stack.vehicles, { ...ghost, operatorId: op });
    const ghostOrder = await call('POST', '/v1/trip-orders', operator(op), {
      ...first,
      orderNumber: 'GHOST-1',
      vehicle: ghost,
      issue: true,
      trips: [{ sequence: 1, plannedDeparture: new Date(serviceTimeToEpochMs(day, 5 * 3600, network.timezone)).toISOString() }],
    });
    await call('POST', `/v1/trip-orders/${ghostOrder.id}/approve`, centre);
    await call('POST', `/v1/trip-orders/${ghostOrder.id}/confirmations`, operator(op), {
      tripSequence: 1,
      kind: 'departure',
      at: new Date(serviceTimeToEpochMs(day, 5 * 3600 + 60, network.timezone)).toISOString(),
      stopId: 'TERMINAL',
      confirmedBy: 'STAFF-1',
    });
    ghostLineId = `${ghostOrder.id}#1`;
  }, 120_000);

  it('answers the journey, quality and TIDES routes as declared, with real trips', async () => {
    const all = await walk(`/v1/journeys?serviceDay=${day}&limit=200`, centre);
    expect(all.some((t) => t.classification !== 'scheduled' && t.visits.some((v: any) => v.status === 'visited'))).toBe(true);
    const paged = await walk(`/v1/journeys?serviceDay=${day}&limit=3`, centre);
    expect(paged.map((t) => `${t.busId}|${t.tripId}`).sort()).toEqual(all.map((t) => `${t.busId}|${t.tripId}`).sort());
    const op = single.operatorId as string;
    const mine = await walk(`/v1/journeys?serviceDay=${day}&limit=2`, operator(op));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((t) => t.operatorId === op)).toBe(true);
    expect(mine).toHaveLength(all.filter((t) => t.operatorId === op).length);

    const quality = await call('GET', `/v1/quality?serviceDay=${day}`, centre);
    expect(quality.trips + quality.scheduled).toBe(all.length);
    expect((await call('GET', `/v1/quality/watch-list?endDay=${day}&days=3`, centre)).days).toHaveLength(3);
    for (const table of Object.keys(TIDES_HEADERS)) await call('GET', `/v1/journeys/tides/${table}?serviceDay=${day}`, centre);
    // Complete over every page: the export has a row for every judged trip of the day.
    const tripsPerformed = (await call('GET', `/v1/journeys/tides/trips_performed?serviceDay=${day}`, centre)) as string;
    expect(tripsPerformed.trim().split('\r\n')).toHaveLength(all.filter((t) => t.classification !== 'scheduled').length + 1);
  }, 60_000);

  it('answers the complaint routes as declared, with the evidence of real trips', async () => {
    const all = await walk(`/v1/journeys?serviceDay=${day}&limit=200`, centre);
    const trip = all.find((t) => t.visits.some((v: any) => v.status === 'visited' && v.arrivalMs !== undefined))!;
    const visit = trip.visits.find((v: any) => v.status === 'visited' && v.arrivalMs !== undefined);
    const at = new Date(visit.arrivalMs).toISOString();
    const byRoute = await call('POST', '/v1/complaints', centre, {
      kind: 'skipped-stop',
      routeId: trip.routeId,
      stopId: visit.stopId,
      at,
      reference: '1022-0001',
    });
    expect(byRoute.evidence.some((p: any) => p.busId === trip.busId && p.tripId === trip.tripId && p.status === 'visited')).toBe(true);
    const late = await call('POST', '/v1/complaints', centre, {
      kind: 'late',
      busId: trip.busId,
      stopId: visit.stopId,
      at,
      description: 'Chờ 20 phút không thấy xe.',
    });
    expect(late.busId).toBe(trip.busId);
    const listed = await walk(`/v1/complaints?serviceDay=${day}&limit=1`, centre);
    expect(listed.map((c) => c.id).sort()).toEqual([byRoute.id, late.id].sort());
    expect(await call('GET', `/v1/complaints/${byRoute.id}`, operator(trip.operatorId))).toEqual(byRoute);
    await call('GET', `/v1/complaints?serviceDay=${day}&verdict=${byRoute.verdict}`, operator(trip.operatorId));
  });

  it('answers the public network routes as declared, without a token', async () => {
    const { items: routes } = await call('GET', '/v1/routes', undefined);
    expect(routes).toHaveLength(network.routes.size);
    expect((await call('GET', `/v1/routes/${routes[0].routeId}`, undefined)).patterns[0].shape.type).toBe('LineString');
    expect((await call('GET', '/v1/stops?near=10.7716,106.6983&radius=500', undefined)).items[0].name).toBe('Bến Thành');
    expect((await call('GET', `/v1/stops?q=${encodeURIComponent('ben thanh')}&limit=5`, undefined)).items[0].name).toBe('Bến Thành');
    expect((await call('GET', '/v1/stops/BTH', undefined)).routes.length).toBeGreaterThan(0);
    expect((await call('GET', '/v1/gtfs/static.zip', undefined)).byteLength).toBeGreaterThan(1000);
  });

  it('answers the public passenger routes as declared, without a token', async () => {
    // A stop ahead of one of the approved buses, as the ingest path cached it after the simulated hour.
    const { Items: cached = [] } = await stack.doc.send(new ScanCommand({ TableName: stack.config.tableNames.arrivals }));
    // (Its running trip's entry: a next trip's may be hours ahead, past the answer's window.)
    const ahead = cached.find((item) =>
      Object.values(item).some(
        (v) => typeof v === 'object' && v !== null && (v as { kind?: string }).kind === 'predicted' && !(v as { nextTrip?: true }).nextTrip,
      ),
    );
    expect(ahead).toBeDefined();
    const arrivals = await call('GET', `/v1/stops/${ahead!.stopId}/arrivals?limit=20`, undefined);
    expect(arrivals.stopId).toBe(ahead!.stopId);
    expect(arrivals.at).toBe(new Date(clock.now()).toISOString());
    expect(arrivals.items.some((a: any) => a.source === 'realtime' && a.predicted && a.vehicle?.plate && a.stopsAway >= 1)).toBe(true);
    const times = arrivals.items.map((a: any) => Date.parse(a.predictedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const routeId = arrivals.items[0].routeId;
    const { items: later } = await call('GET', `/v1/stops/BTH/arrivals?minutesAfter=30&routeId=${routeId}`, undefined);
    expect(later.every((a: any) => a.routeId === routeId && Date.parse(a.predictedAt) >= clock.now() + 30 * 60_000)).toBe(true);

    // The cancelled order's trips are not announced anywhere they would still come.
    const cancelledOrder = (await walk(`/v1/trip-orders?serviceDay=${day}&status=cancelled&limit=50`, centre))[0];
    for (const t of cancelledOrder.trips) {
      const firstStop = network.trips.get(t.tripId)?.stopTimes[0]?.stopId;
      if (!firstStop) continue;
      const { items: there } = await call('GET', `/v1/stops/${firstStop}/arrivals?limit=50`, undefined);
      expect(there.filter((a: any) => a.tripId === t.tripId)).toEqual([]);
    }

    // The bus announced there, on its route and alone.
    const announced = arrivals.items.find((a: any) => a.source === 'realtime');
    const { items: buses } = await call('GET', `/v1/vehicles?routeId=${announced.routeId}`, undefined);
    const bus = buses.find((v: any) => v.busId === announced.vehicle.busId);
    expect(bus).toMatchObject({ routeId: announced.routeId, tripId: announced.tripId, stale: false });
    expect(bus.ageS).toBeLessThan(300);
    expect(await call('GET', `/v1/vehicles/${bus.busId}`, undefined)).toEqual(bus);
  });

  it('answers the GTFS-Realtime feeds, decodable and consistent with the static feed, field by field', async () => {
    const { transit_realtime: rt } = GtfsRealtimeBindings;
    const dir = mkdtempSync(join(tmpdir(), 'busflow-gtfs-'));
    let staticFeed: Network;
    try {
      writeFileSync(join(dir, 'static.zip'), await call('GET', '/v1/gtfs/static.zip', undefined));
      ({ network: staticFeed } = await loadGtfs(join(dir, 'static.zip')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const decode = async (path: string) => {
      const bytes = (await call('GET', path, undefined)) as Uint8Array;
      return rt.FeedMessage.toObject(rt.FeedMessage.decode(bytes), { enums: String, longs: Number }) as any;
    };
    const positions = await decode('/v1/gtfs-rt/vehicle-positions');
    const updates = await decode('/v1/gtfs-rt/trip-updates');
    const nowS = Math.floor(clock.now() / 1000);
    for (const feed of [positions, updates]) {
      expect(feed.header).toMatchObject({ gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: nowS });
      expect(new Set(feed.entity.map((e: any) => e.id)).size).toBe(feed.entity.length);
    }
    expect(positions.entity.length).toBeGreaterThan(0);
    const running = updates.entity.filter((e: any) => e.tripUpdate.trip.scheduleRelationship !== 'CANCELED');
    const cancelled = updates.entity.filter((e: any) => e.tripUpdate.trip.scheduleRelationship === 'CANCELED');
    // A bus between trips is published with no trip, for the trip update of its next trip to name it.
    const onTrips = positions.entity.filter((e: any) => e.vehicle.trip);
    const betweenTrips = new Set(positions.entity.filter((e: any) => !e.vehicle.trip).map((e: any) => e.vehicle.vehicle.id));

    // A static trip with its runs (frequencies.txt templates come back as one trip with start times).
    const staticTrip = (tripId: string, startTime: string) => {
      const runs = [...staticFeed.trips.values()].filter((t) => t.tripId === tripId || t.frequency?.templateTripId === tripId);
      return runs.find((t) => (t.frequency ? t.stopTimes[0]!.departureS : t.stopTimes[0]!.arrivalS) === parseGtfs(startTime));
    };
    const checkTrip = (trip: any) => {
      const found = staticTrip(trip.tripId, trip.startTime);
      expect(found, `trip ${trip.tripId} ${trip.startTime} in the static feed`).toBeDefined();
      expect(trip.routeId).toBe(found!.routeId);
      expect(staticFeed.routes.has(trip.routeId)).toBe(true);
      if (found!.directionId !== undefined) expect(trip.directionId).toBe(found!.directionId);
      expect(trip.startDate).toBe(day.replace(/-/g, ''));
      expect(trip.startTime).toMatch(/^\d{2}:\d{2}:\d{2}$/);
      expect(trip.scheduleRelationship).toBe(found!.frequency && !found!.frequency.exactTimes ? 'UNSCHEDULED' : 'SCHEDULED');
      return found!;
    };
    const vehicleTrips = new Map<string, string>();
    for (const { vehicle: vp } of positions.entity) {
      if (vp.trip) checkTrip(vp.trip);
      expect(vp.timestamp).toBeLessThanOrEqual(nowS);
      expect(nowS - vp.timestamp).toBeLessThanOrEqual(300);
      expect(Math.abs(vp.position.latitude - 10.8)).toBeLessThan(1);
      if (vp.trip) vehicleTrips.set(vp.vehicle.id, `${vp.trip.tripId}|${vp.trip.startTime}`);
    }
    expect(vehicleTrips.size).toBe(onTrips.length);
    // The trips the buses run, paired one to one with their positions; the others are the buses' next trips.
    const current = running.filter((e: any) => vehicleTrips.get(e.tripUpdate.vehicle?.id) === `${e.tripUpdate.trip.tripId}|${e.tripUpdate.trip.startTime}`);
    const next = running.filter((e: any) => !current.includes(e));
    expect(current.length).toBe(onTrips.length);
    expect(next.length, 'a next trip published before it starts').toBeGreaterThan(0);
    for (const { tripUpdate: tu } of next) {
      // Named only where the validator pairs them: a bus between trips, or on a trip of the same block (E047).
      const id = tu.vehicle?.id;
      if (id !== undefined && !betweenTrips.has(id)) {
        const [onTripId] = vehicleTrips.get(id)!.split('|');
        expect(staticFeed.trips.get(onTripId!)?.blockId, `${id} on ${onTripId} and ${tu.trip.tripId}`).toBeDefined();
        expect(staticFeed.trips.get(onTripId!)?.blockId).toBe(staticFeed.trips.get(tu.trip.tripId)?.blockId);
      }
    }
    for (const id of betweenTrips)
      expect(
        next.some((e: any) => e.tripUpdate.vehicle?.id === id),
        `${id} named by its next trip`,
      ).toBe(true);
    for (const { tripUpdate: tu } of running) {
      const trip = checkTrip(tu.trip);
      expect(tu.stopTimeUpdate.length).toBeGreaterThan(0);
      let previousS = 0;
      let previousSequence = -1;
      for (const [i, u] of tu.stopTimeUpdate.entries()) {
        const st = trip.stopTimes.find((x) => x.stopSequence === u.stopSequence);
        expect(st?.stopId, `stop_sequence ${u.stopSequence} of ${tu.trip.tripId}`).toBe(u.stopId);
        expect(u.stopSequence).toBeGreaterThan(previousSequence);
        // Only a next trip's first stop gives a departure (after layover), and no arrival.
        const timeS = u.arrival?.time ?? u.departure.time;
        if (!u.arrival) expect([i, u.stopSequence]).toEqual([0, trip.stopTimes[0]!.stopSequence]);
        expect(timeS).toBeGreaterThan(previousS);
        expect(timeS).toBeGreaterThanOrEqual(nowS);
        previousS = timeS;
        previousSequence = u.stopSequence;
      }
    }
    // The cancelled order's trips not yet over by their schedule: CANCELED, as the static feed names them, no stop
    // time update, no vehicle.
    const midnightMs = serviceTimeToEpochMs(day, 0, network.timezone);
    // (Those no other order runs, and that no bus is running.)
    const calledOffIds = cancelledTripIds(await walk(`/v1/trip-orders?serviceDay=${day}&limit=50`, centre));
    const calledOff = [...calledOffIds]
      .map((id) => network.trips.get(id)!)
      .filter((t) => midnightMs + t.stopTimes.at(-1)!.arrivalS * 1000 >= clock.now() && !running.some((e: any) => e.id === `trip-${t.tripId}`));
    expect(calledOff.length).toBeGreaterThan(0);
    expect(cancelled.map((e: any) => e.id).sort()).toEqual(calledOff.map((t: any) => `trip-${t.tripId}`).sort());
    for (const { tripUpdate: tu } of cancelled) {
      checkTrip({ ...tu.trip, scheduleRelationship: 'SCHEDULED' });
      expect(tu.stopTimeUpdate ?? []).toEqual([]);
      expect(tu.vehicle).toBeUndefined();
    }

    // The same predictions the arrivals API serves at each stop (the cache of the ingest path, to the second), on
    // the trips run and the next trips (their arrivals: the departure is the trip updates' alone).
    for (const { tripUpdate: tu } of [...current.slice(0, 5), ...next.slice(0, 5)]) {
      const arrivals = tu.stopTimeUpdate.filter((u: any) => u.arrival);
      for (const u of [arrivals[0], arrivals.at(-1)]) {
        const { items } = await call('GET', `/v1/stops/${u.stopId}/arrivals?limit=50`, undefined);
        const served = items.find((a: any) => a.tripId === tu.trip.tripId || a.tripId.startsWith(`${tu.trip.tripId}@`));
        expect(served, `${tu.trip.tripId} at ${u.stopId}`).toMatchObject({ source: 'realtime', ...(tu.vehicle ? { vehicle: { busId: tu.vehicle.id } } : {}) });
        expect(Math.abs(Math.floor(Date.parse(served.predictedAt) / 1000) - u.arrival.time)).toBeLessThanOrEqual(1);
      }
    }
    const json = await call('GET', '/v1/gtfs-rt/trip-updates?format=json', undefined);
    expect(json.entity.map((e: any) => e.id)).toEqual(updates.entity.map((e: any) => e.id));
    await call('GET', '/v1/gtfs-rt/vehicle-positions?format=json', undefined);
  });

  it('answers the reconciliation, settlement and advance routes as declared', async () => {
    const op = single.operatorId as string;
    const month = day.slice(0, 7);
    const { runs } = await call('POST', '/v1/reconciliations', centre, { serviceDay: day });
    expect(runs.map((r: any) => r.operatorId).sort()).toEqual([...operatorTokens.keys()].sort());
    expect(runs.every((r: any) => r.outcome === 'created' && r.version === 1)).toBe(true);
    expect((await call('POST', '/v1/reconciliations', centre, { serviceDay: day, operatorId: op })).runs[0].outcome).toBe('unchanged');
    expect(await walk(`/v1/reconciliations?serviceDay=${day}&limit=1`, centre)).toHaveLength(runs.length);
    const mine = await walk(`/v1/reconciliations?fromDay=${month}-01&toDay=${month}-30&limit=1`, operator(op));
    expect(mine.map((h) => h.operatorId)).toEqual([op]);

    const view = await call('GET', `/v1/reconciliations/${day}/${op}`, operator(op));
    const statement = view.version.statement;
    expect(statement.lines.length).toBeGreaterThan(0);
    // Every line says why in both languages; a statement stored before the Vietnamese reason still reads.
    expect(statement.lines.filter((l: any) => typeof l.reasonVi !== 'string' || l.reasonVi === l.reason)).toEqual([]);
    const older = { ...view, version: { ...view.version, statement: { ...statement, lines: statement.lines.map(({ reasonVi: _vi, ...l }: any) => l) } } };
    expect(versionViewSchema.safeParse(older).error?.issues).toBeUndefined();
    expect(statement.openReviewLineIds).toContain(ghostLineId);
    for (const lineId of statement.openReviewLineIds) {
      await call('POST', `/v1/reconciliations/${day}/${op}/resolutions`, centre, {
        lineId,
        decision: lineId === ghostLineId ? 'completed' : 'rejected',
        reason: 'checked the terminal log',
      });
    }
    expect((await call('GET', `/v1/reconciliations/${day}/${op}/diff?from=1&to=1`, centre)).changed).toEqual([]);
    const record = await call('POST', `/v1/reconciliations/${day}/${op}/approve`, centre, { version: 1 });
    expect(record).toMatchObject({ sequence: 1, version: 1, inputHash: view.head.inputHash });

    const csv = (await call('GET', `/v1/reconciliations/${day}/${op}/csv`, operator(op))) as string;
    expect(csv.split('\r\n')[0]).toContain('Lệnh vận chuyển,');
    expect(csv.split('\r\n')).toHaveLength(statement.lines.length + 3);
    expect((await call('GET', `/v1/reconciliations/${day}/${op}/csv?lang=en&version=1`, centre)).split('\r\n')[0]).toContain('Trip order,');
    expect(await call('GET', `/v1/reconciliations/${day}/${op}/acceptance-record`, operator(op))).toContain('BIÊN BẢN NGHIỆM THU');

    const advance = await call('POST', '/v1/advances', centre, { operatorId: op, month, amountVnd: 1_000_000, reference: 'UNC-01' });
    expect((await call('GET', `/v1/advances?operatorId=${op}&month=${month}`, operator(op))).items).toEqual([advance]);
    const settlement = await call('GET', `/v1/settlements/${op}/${month}`, operator(op));
    expect(settlement.approvedDays).toEqual([day]);
    expect(settlement.approvedTotalVnd).toBe(record.subsidyPayableVnd);
    expect(settlement.balanceVnd).toBe(record.subsidyPayableVnd - 1_000_000);
    expect(await call('GET', `/v1/settlements/${op}/${month}/csv?lang=en`, operator(op))).toContain('Balance to pay (VND)');

    expect((await call('POST', `/v1/reconciliations/${day}/${op}/reopen`, centre, { reason: 'late telemetry from the depot' })).status).toBe('open');
  }, 60_000);

  it('were all driven, and none answered outside its schema', () => {
    expect(allApiRoutes.map((r) => r.id).filter((id) => !answered.has(id))).toEqual([]);
    expect(stack.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});

/** Every item of a list, following `nextCursor` page by page (each page checked like any answer). */
async function walk(first: string, token: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await call('GET', `${first}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    items.push(...page.items);
    cursor = page.nextCursor;
    expect(++pages).toBeLessThan(500);
  } while (cursor);
  return items;
}
