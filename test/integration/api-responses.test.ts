/**
 * Every route of the catalogue, driven at least once through the local HTTP server with a valid request, answers
 * what its route declares: the local stack checks every answer against the route's `response` schema (a mismatch
 * would be a 500), and this test checks each body again itself. A simulated hour gives the journeys, quality and
 * TIDES routes real trips to answer with, and the list routes are walked page by page with their cursors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allApiRoutes, routeKey, type RouteDef } from '../../shared/api/index.js';
import { TIDES_HEADERS } from '../../shared/api/journey-schemas.js';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { fixedClock } from '../../shared/domain/ports/clock.js';
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
  // Kept as sent: the CSV exports start with a byte-order mark, which `res.text()` would drop.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  expect(res.status, `${routeKey(route)} ${path}: ${text.slice(0, 500)}`).toBe(route.successStatus ?? 200);
  answered.set(route.id, [...(answered.get(route.id) ?? []), res.status]);
  if (route.responseContentType && !route.tags.includes('journeys')) {
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
      tripSequence: 1, kind: 'departure', at: new Date(clock.now() - 60_000).toISOString(), stopId: 'TERMINAL', confirmedBy: 'STAFF-1',
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
      network, serviceDay: day, seed: 4, buses: BUSES, speed: Number.POSITIVE_INFINITY, profile: faultProfiles.none,
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
      ...first, orderNumber: 'GHOST-1', vehicle: ghost, issue: true,
      trips: [{ sequence: 1, plannedDeparture: new Date(serviceTimeToEpochMs(day, 5 * 3600, network.timezone)).toISOString() }],
    });
    await call('POST', `/v1/trip-orders/${ghostOrder.id}/approve`, centre);
    await call('POST', `/v1/trip-orders/${ghostOrder.id}/confirmations`, operator(op), {
      tripSequence: 1, kind: 'departure', at: new Date(serviceTimeToEpochMs(day, 5 * 3600 + 60, network.timezone)).toISOString(), stopId: 'TERMINAL', confirmedBy: 'STAFF-1',
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
    expect(statement.openReviewLineIds).toContain(ghostLineId);
    for (const lineId of statement.openReviewLineIds) {
      await call('POST', `/v1/reconciliations/${day}/${op}/resolutions`, centre, { lineId, decision: lineId === ghostLineId ? 'completed' : 'rejected', reason: 'checked the terminal log' });
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
