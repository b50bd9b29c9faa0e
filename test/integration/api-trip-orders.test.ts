/**
 * The trip-order API through the local HTTP server (API Gateway stand-in with JWT verification) on DynamoDB
 * Local: a day's orders in batch, approval pushed to the bus over MQTT, amendments, confirmations, and every
 * refusal with its status and field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceDayOf } from '../../shared/kernel/time/service-day.js';
import { planDay, tripOrderOf, type TripOrderDraft } from '../../simulator/core/day-plan.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { registerBus } from '../../infra/local/register-bus.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { TEST_NOW } from '../support/test-clock.js';
import { assignmentMessageSchema } from '../../shared/catalogue/index.js';
import { closeServiceDay } from '../../functions/job-close-service-day/close-day.js';

let stack: TestStack;
let network: Network;
let centre: string;
let sgb: string;
let htx: string;
let orders: TripOrderDraft[];
const secrets = new Map<string, string>();
const day = serviceDayOf(TEST_NOW + 86_400_000);

async function call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: any; type: string | null }> {
  const res = await fetch(`${stack.http!.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, type: res.headers.get('content-type') };
}

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  stack = await startTestStack({ http: true, network });
  const issuer = stack.http!.issuer;
  centre = await issuer.sign({ role: 'centre' });
  sgb = await issuer.sign({ role: 'operator', operatorId: 'SGB' });
  htx = await issuer.sign({ role: 'operator', operatorId: 'HTX15' });
  const contracts = JSON.parse(readFileSync(join(SAMPLE_NETWORK_DIR, 'contracts.json'), 'utf8'));
  expect((await call('PUT', '/v1/route-contracts', centre, contracts)).status).toBe(200);
  const plan = planDay(network, day, { seed: 1, maxBuses: 14 });
  for (const duty of plan.duties) {
    const { secret } = await registerBus(stack.vehicles, { busId: duty.busId, operatorId: duty.operatorId, plate: duty.plate });
    secrets.set(duty.busId, secret);
  }
  orders = plan.duties.map((d) => tripOrderOf(d, day));
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe('trip orders', () => {
  let created: any[];

  it('creates an operator’s day of orders in one batch', async () => {
    const mine = orders.filter((o) => o.operatorId === 'SGB');
    const res = await call('POST', '/v1/trip-orders/batch', sgb, { orders: mine.map((o) => ({ ...o, issue: true })) });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    created = res.json.created;
    expect(created).toHaveLength(mine.length);
    expect(created.every((o: any) => o.status === 'issued' && o.revision >= 1 && o.history.length >= 1)).toBe(true);
  });

  it('refuses without a token (401) and an operator creating for another operator (403)', async () => {
    expect((await call('GET', `/v1/trip-orders?serviceDay=${day}`)).status).toBe(401);
    const theirs = orders.find((o) => o.operatorId === 'HTX15')!;
    const res = await call('POST', '/v1/trip-orders', sgb, theirs);
    expect(res.status).toBe(403);
    expect(res.type).toBe('application/problem+json');
  });

  it('refuses a duplicate order number (409)', async () => {
    const mine = orders.find((o) => o.operatorId === 'SGB')!;
    const res = await call('POST', '/v1/trip-orders', sgb, { ...mine, vehicle: mine.vehicle });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ status: 409, title: 'Conflict' });
  });

  it('names the failing field (400)', async () => {
    const theirs = orders.find((o) => o.operatorId === 'HTX15')!;
    const bad = { ...theirs, orderNumber: 'X-1', trips: [{ ...theirs.trips[0]!, plannedDeparture: `${day}T10:00:00` }] };
    const res = await call('POST', '/v1/trip-orders', htx, bad);
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.json.field).toBe('trips[0].plannedDeparture');
    const foreignRoute = await call('POST', '/v1/trip-orders', htx, { ...theirs, orderNumber: 'X-2', routeId: '01' });
    expect(foreignRoute.status).toBe(400);
    expect(foreignRoute.json.errors.map((e: any) => e.field)).toContain('routeId');
  });

  it('approves as the centre and pushes the assignment to the bus over MQTT', async () => {
    const order = created[0];
    const busId = order.vehicle.busId;
    const bus = await mqtt.connectAsync(stack.broker.url, { clientId: busId, username: busId, password: secrets.get(busId)!, reconnectPeriod: 0 });
    const received = new Promise<any>((resolve) => bus.on('message', (_t, payload) => resolve(JSON.parse(payload.toString()))));
    await bus.subscribeAsync(`bus/${busId}/assignment`, { qos: 1 });

    expect((await call('POST', `/v1/trip-orders/${order.id}/approve`, sgb)).status).toBe(403);
    const res = await call('POST', `/v1/trip-orders/${order.id}/approve`, centre);
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('approved');
    const assignment = await received;
    expect(assignment).toMatchObject({ tripOrderId: order.id, orderNumber: order.orderNumber, serviceDay: day, status: 'approved' });
    expect(assignment.trips).toHaveLength(order.trips.length);
    // What the bus got is the device contract, as a driver console would check it.
    expect(assignmentMessageSchema.safeParse(assignment).error).toBeUndefined();
    await bus.endAsync();
  });

  it('refuses an illegal transition (409) and an operator acting on another operator’s order (403)', async () => {
    const order = created[0];
    expect((await call('POST', `/v1/trip-orders/${order.id}/approve`, centre)).status).toBe(409);
    expect((await call('POST', `/v1/trip-orders/${order.id}/cancel`, htx, { reason: 'not mine' })).status).toBe(403);
    expect((await call('GET', `/v1/trip-orders/${order.id}`, htx)).status).toBe(403);
  });

  it('amends an approved order with a reason: a new revision, in the audit trail', async () => {
    const order = created[0];
    const res = await call('POST', `/v1/trip-orders/${order.id}/amend`, sgb, { reason: 'driver is ill', driver: { driverId: 'DRV-SPARE-1' } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ status: 'approved', driver: { driverId: 'DRV-SPARE-1' }, revision: order.revision + 2 });
    expect(res.json.history.at(-1)).toMatchObject({ action: 'amend', reason: 'driver is ill' });
    const noReason = await call('POST', `/v1/trip-orders/${order.id}/amend`, sgb, { driver: { driverId: 'X' } });
    expect(noReason.status).toBe(400);
    expect(noReason.json.field).toBe('reason');
  });

  it('records a terminal confirmation', async () => {
    const order = created[0];
    const res = await call('POST', `/v1/trip-orders/${order.id}/confirmations`, sgb, {
      tripSequence: 1,
      kind: 'departure',
      at: new Date(stack.clock.now() - 60_000).toISOString(),
      stopId: 'TERMINAL',
      confirmedBy: 'STAFF-1',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.confirmations).toMatchObject([{ tripSequence: 1, kind: 'departure' }]);
    const future = await call('POST', `/v1/trip-orders/${order.id}/confirmations`, sgb, {
      tripSequence: 2,
      kind: 'departure',
      at: new Date(stack.clock.now() + 3_600_000).toISOString(),
      stopId: 'TERMINAL',
      confirmedBy: 'STAFF-1',
    });
    expect(future.status).toBe(400);
    expect(future.json.field).toBe('at');
  });

  it('puts an approved order into service when its bus starts a trip, and closes it at day end', async () => {
    const order = created[1];
    expect((await call('POST', `/v1/trip-orders/${order.id}/approve`, centre)).status).toBe(200);
    const busId = order.vehicle.busId;
    const bus = await mqtt.connectAsync(stack.broker.url, { clientId: busId, username: busId, password: secrets.get(busId)!, reconnectPeriod: 0 });
    await bus.publishAsync(
      `bus/${busId}/duty`,
      JSON.stringify({ v: 1, msgId: 'd-1', busId, ts: stack.clock.now(), event: 'trip_start', tripOrderId: order.id, tripId: order.trips[0].tripId }),
      { qos: 1 },
    );
    await bus.endAsync();
    await stack.settle();
    const started = await call('GET', `/v1/trip-orders/${order.id}`, centre);
    expect(started.json.status).toBe('in_service');
    expect(started.json.history.at(-1)).toMatchObject({ action: 'startService', actor: { role: 'system' } });

    const closed = await closeServiceDay(stack.doc, stack.config.tableNames.tripOrders, stack.logger, day, stack.clock);
    expect(closed).toBe(2); // the in-service order and the approved one amended earlier
    expect((await call('GET', `/v1/trip-orders/${order.id}`, centre)).json.status).toBe('closed');
    expect((await call('GET', `/v1/trip-orders/${created[2].id}`, centre)).json.status).toBe('issued');
  });

  it('lists a day’s orders page by page; an operator sees only its own', async () => {
    const seen: any[] = [];
    let cursor: string | undefined;
    do {
      const res = await call('GET', `/v1/trip-orders?serviceDay=${day}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, centre);
      expect(res.status).toBe(200);
      seen.push(...res.json.items);
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen.map((o) => o.id).sort()).toEqual(created.map((o) => o.id).sort());
    const asHtx = await call('GET', `/v1/trip-orders?serviceDay=${day}`, htx);
    expect(asHtx.json.items).toEqual([]);
    expect((await call('GET', `/v1/trip-orders?serviceDay=${day}&operatorId=SGB`, htx)).status).toBe(403);
    expect((await call('GET', `/v1/trip-orders?serviceDay=${day}&cursor=forged`, centre)).json.field).toBe('cursor');
  });

  it('refuses a page cursor handed to another query: another day, another operator, another caller', async () => {
    const first = await call('GET', `/v1/trip-orders?serviceDay=${day}&limit=1`, centre);
    const cursor = encodeURIComponent(first.json.nextCursor);
    expect((await call('GET', `/v1/trip-orders?serviceDay=${day}&limit=1&cursor=${cursor}`, centre)).status).toBe(200);
    const otherDay = await call('GET', `/v1/trip-orders?serviceDay=${serviceDayOf(TEST_NOW)}&cursor=${cursor}`, centre);
    expect(otherDay.status).toBe(400);
    expect(otherDay.json.field).toBe('cursor');
    expect((await call('GET', `/v1/trip-orders?serviceDay=${day}&operatorId=SGB&cursor=${cursor}`, centre)).json.field).toBe('cursor');
    // An operator replaying the centre's cursor would page through a list scoped differently.
    expect((await call('GET', `/v1/trip-orders?serviceDay=${day}&cursor=${cursor}`, sgb)).json.field).toBe('cursor');
  });
});

describe('request ids', () => {
  it('echoes the x-request-id a client sends, gives one to a request without, and logs a refusal with it', async () => {
    const sent = await fetch(`${stack.http!.url}/v1/trip-orders/nope!`, { headers: { authorization: `Bearer ${centre}`, 'x-request-id': 'client-req-1' } });
    expect(sent.status).toBe(400);
    expect(sent.headers.get('x-request-id')).toBe('client-req-1');
    expect(stack.logger.entries.some((e) => e.message === 'request refused' && e.extra.requestId === 'client-req-1')).toBe(true);
    const none = await fetch(`${stack.http!.url}/v1/openapi.json`);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const odd = await fetch(`${stack.http!.url}/v1/openapi.json`, { headers: { 'x-request-id': 'a b\tc' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('OpenAPI', () => {
  it('serves a valid OpenAPI 3.1 document of every route, without a token', async () => {
    const res = await call('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(res.json);
    expect(result.valid, JSON.stringify(result.errors)).toBe(true);
    expect(res.json.openapi).toBe('3.1.0');
    expect(Object.keys(res.json.paths)).toEqual(expect.arrayContaining(['/v1/trip-orders', '/v1/trip-orders/{id}/approve', '/v1/route-contracts']));
  });
});
