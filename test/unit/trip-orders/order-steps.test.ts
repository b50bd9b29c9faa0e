/**
 * The trip-order steps each caller uses, on an in-memory store: the start of service from telemetry, the day
 * close, and the order desk's operator scope. Each takes only the ports it uses.
 */
import { describe, expect, it } from 'vitest';
import { Conflict, Forbidden, NotFound } from '../../../shared/domain/errors.js';
import { fixedClock } from '../../../shared/domain/ports/clock.js';
import { closeTripOrdersOfDay } from '../../../shared/domain/trip-orders/day-close.js';
import { createTripOrder, type Actor } from '../../../shared/domain/trip-orders/lifecycle.js';
import { TripOrderDesk } from '../../../shared/domain/trip-orders/order-desk.js';
import type { TripOrderFilter, TripOrderPage, TripOrderStore } from '../../../shared/domain/trip-orders/ports.js';
import { tripOrderCreateSchema, type TripOrder, type TripOrderStatus } from '../../../shared/domain/trip-orders/schemas.js';
import { startTripOrderService } from '../../../shared/domain/trip-orders/service-start.js';
import { recordingLogger } from '../../support/recording-logger.js';

const T0 = Date.parse('2026-11-25T20:00:00Z'); // 03:00 local, start of service day 2026-11-26
const DAY = '2026-11-26';
const sb: Actor = { role: 'operator', id: 'sb-user', operatorId: 'SB' };
const pt: Actor = { role: 'operator', id: 'pt-user', operatorId: 'PT' };

function order(id: string, status: TripOrderStatus, operatorId = 'SB'): TripOrder {
  const input = tripOrderCreateSchema.parse({
    orderNumber: `N-${id}`,
    serviceDay: DAY,
    operatorId,
    routeId: 'R1',
    vehicle: { busId: `B-${id}`, plate: '51B-123.45' },
    driver: { driverId: 'D1' },
    staff: [],
    trips: [{ sequence: 1, tripId: 'T1', directionId: 0, plannedDeparture: '2026-11-25T23:00:00.000Z' }],
  });
  return { ...createTripOrder(input, { role: 'operator', id: 'u', operatorId }, T0, id), status };
}

/** Orders by id with revision checks; `list` pages by `pageSize`; `beforeUpdate` lets a test move an order meanwhile. */
function memoryStore(orders: TripOrder[], pageSize = 2): TripOrderStore & { byId: Map<string, TripOrder>; beforeUpdate?: (id: string) => void } {
  const byId = new Map(orders.map((o) => [o.id, o]));
  const store: TripOrderStore & { byId: Map<string, TripOrder>; beforeUpdate?: (id: string) => void } = {
    byId,
    async create(os) {
      for (const o of os) byId.set(o.id, o);
    },
    async get(id) {
      return byId.get(id);
    },
    async update(o, expectedRevision) {
      store.beforeUpdate?.(o.id);
      if (byId.get(o.id)?.revision !== expectedRevision) throw new Conflict(`trip order ${o.id} changed meanwhile`);
      byId.set(o.id, o);
    },
    async list(filter: TripOrderFilter, limit: number, after?: Record<string, unknown>): Promise<TripOrderPage> {
      const all = [...byId.values()].filter(
        (o) =>
          o.serviceDay === filter.serviceDay && (!filter.status || o.status === filter.status) && (!filter.operatorId || o.operatorId === filter.operatorId),
      );
      const from = after ? all.findIndex((o) => o.id === after.id) + 1 : 0;
      const items = all.slice(from, from + Math.min(limit, pageSize));
      return { items, ...(from + items.length < all.length ? { lastKey: { id: items.at(-1)!.id } } : {}) };
    },
    async ofVehicle(busId, serviceDay) {
      return [...byId.values()].filter((o) => o.vehicle.busId === busId && o.serviceDay === serviceDay);
    },
  };
  return store;
}

const stepDeps = (orders: TripOrderStore) => ({ orders, clock: fixedClock(T0 + 3_600_000), logger: recordingLogger() });

describe('the start of service from telemetry', () => {
  it('puts an approved order into service, with the evidence in its history', async () => {
    const orders = memoryStore([order('a', 'approved')]);
    const started = await startTripOrderService(stepDeps(orders), 'a', 'duty trip_start T1');
    expect(started?.status).toBe('in_service');
    expect(orders.byId.get('a')!.history.at(-1)).toMatchObject({ action: 'startService', reason: 'duty trip_start T1', actor: { role: 'system' } });
  });

  it('leaves an unknown order, one not yet approved, and one moved meanwhile as they are', async () => {
    const orders = memoryStore([order('i', 'issued'), order('s', 'in_service'), order('m', 'approved')]);
    const d = stepDeps(orders);
    expect(await startTripOrderService(d, 'nope', 'x')).toBeUndefined();
    expect(await startTripOrderService(d, 'i', 'x')).toBeUndefined();
    expect(await startTripOrderService(d, 's', 'x')).toBeUndefined();
    orders.beforeUpdate = (id) => orders.byId.set(id, { ...orders.byId.get(id)!, status: 'cancelled', revision: 99 });
    expect(await startTripOrderService(d, 'm', 'x')).toBeUndefined();
    expect(orders.byId.get('i')!.status).toBe('issued');
    expect(orders.byId.get('m')!.status).toBe('cancelled');
  });
});

describe('the day close', () => {
  it('closes every approved and in-service order of the day, page after page, and nothing else', async () => {
    const orders = memoryStore([
      order('a1', 'approved'),
      order('a2', 'approved'),
      order('a3', 'approved'),
      order('s1', 'in_service'),
      order('i1', 'issued'),
      order('c1', 'cancelled'),
      { ...order('other-day', 'approved'), serviceDay: '2026-11-27' },
    ]);
    expect(await closeTripOrdersOfDay(stepDeps(orders), DAY)).toBe(4);
    expect(Object.fromEntries([...orders.byId].map(([id, o]) => [id, o.status]))).toEqual({
      a1: 'closed',
      a2: 'closed',
      a3: 'closed',
      s1: 'closed',
      i1: 'issued',
      c1: 'cancelled',
      'other-day': 'approved',
    });
    expect(orders.byId.get('a1')!.history.at(-1)).toMatchObject({ action: 'close', reason: `service day ${DAY} ended` });
  });

  it('does not count an order another writer moved first', async () => {
    const orders = memoryStore([order('a1', 'approved'), order('a2', 'approved')]);
    orders.beforeUpdate = (id) => {
      if (id === 'a2') orders.byId.set(id, { ...orders.byId.get(id)!, revision: 99 });
    };
    expect(await closeTripOrdersOfDay(stepDeps(orders), DAY)).toBe(1);
  });
});

describe('the order desk’s operator scope', () => {
  const unused = async (): Promise<never> => {
    throw new Error('not reached');
  };
  const desk = (orders: TripOrderStore) =>
    new TripOrderDesk({
      ...stepDeps(orders),
      contracts: { put: unused, all: unused },
      vehicles: { registration: unused },
      durations: { tripDurationS: () => 3600 },
      assignments: { publishAssignment: unused },
    });

  it('refuses another operator’s order, and a missing one', async () => {
    const orders = memoryStore([order('a', 'issued', 'SB')]);
    await expect(desk(orders).get('a', sb)).resolves.toMatchObject({ id: 'a' });
    await expect(desk(orders).get('a', pt)).rejects.toThrow(Forbidden);
    await expect(desk(orders).get('a', pt)).rejects.toThrow('trip order a belongs to another operator');
    await expect(desk(orders).cancel('a', pt, { reason: 'not mine' })).rejects.toThrow(Forbidden);
    await expect(desk(orders).get('nope', sb)).rejects.toThrow(NotFound);
    expect(orders.byId.get('a')!.status).toBe('issued');
  });

  it('narrows an operator’s list to its own and refuses asking for another’s', async () => {
    const orders = memoryStore([order('a', 'issued', 'SB'), order('b', 'issued', 'PT')], 10);
    expect((await desk(orders).list({ serviceDay: DAY }, sb, 10)).items.map((o) => o.id)).toEqual(['a']);
    await expect(desk(orders).list({ serviceDay: DAY, operatorId: 'PT' }, sb, 10)).rejects.toThrow(
      /^operatorId: an operator sees only its own trip orders \(SB\)/,
    );
  });

  it('refuses an operator creating another operator’s orders before reading anything, naming the field', async () => {
    const input = tripOrderCreateSchema.parse({
      ...order('x', 'draft', 'PT'),
      staff: [],
      trips: [{ sequence: 1, tripId: 'T1', directionId: 0, plannedDeparture: '2026-11-25T23:00:00.000Z' }],
    });
    const attempt = desk(memoryStore([])).create([input], sb, (i) => `orders[${i}].`);
    await expect(attempt).rejects.toThrow(Forbidden);
    await expect(desk(memoryStore([])).create([input], sb, (i) => `orders[${i}].`)).rejects.toThrow(/^orders\[0\]\.operatorId: /);
  });
});
