/** `DayTripOrders`: a day's orders read once a minute, the previous read answering while the next one is made. */
import { describe, expect, it } from 'vitest';
import { DayTripOrders } from '../../../shared/adapters/day-trip-orders.js';
import type { TripOrder } from '../../../shared/domain/trip-orders/schemas.js';

const DAY = '2026-03-10';

/** A store whose day listing answers only when told, each time with the orders it holds then. */
function heldStore() {
  const pending: (() => void)[] = [];
  let cancelled: string[] = [];
  let lists = 0;
  let vehicleReads = 0;
  return {
    lists: () => lists,
    vehicleReads: () => vehicleReads,
    cancel: (tripIds: string[]) => {
      cancelled = tripIds;
    },
    answer: () => pending.shift()!(),
    list: async () => {
      lists++;
      await new Promise<void>((resolve) => pending.push(resolve));
      const items = cancelled.map((tripId) => ({ status: 'cancelled', trips: [{ tripId, plannedDeparture: `${DAY}T01:00:00.000Z` }] }) as unknown as TripOrder);
      return { items, lastKey: undefined };
    },
    ofVehicle: async () => {
      vehicleReads++;
      return [];
    },
  };
}

describe('DayTripOrders', () => {
  it("answers the day's last read past the minute while one read refreshes it, then the new read", async () => {
    let now = 0;
    const store = heldStore();
    const orders = new DayTripOrders(store, () => now);
    const first = orders.of(DAY);
    store.answer();
    expect((await first).cancelled).toEqual(new Set());
    store.cancel(['T1']);
    now = 59_999;
    await orders.of(DAY);
    expect(store.lists()).toBe(1);
    // Past the minute: the previous read answers at once, twice, while one refresh is under way.
    now = 60_000;
    expect((await orders.of(DAY)).cancelled).toEqual(new Set());
    expect((await orders.of(DAY)).cancelled).toEqual(new Set());
    expect(store.lists()).toBe(2);
    store.answer();
    await new Promise((r) => setImmediate(r));
    expect((await orders.of(DAY)).cancelled).toEqual(new Set(['T1']));
    expect(store.lists()).toBe(2);
  });

  it('waits for a new read once the last one is five minutes old', async () => {
    let now = 0;
    const store = heldStore();
    const orders = new DayTripOrders(store, () => now);
    const first = orders.of(DAY);
    store.answer();
    await first;
    store.cancel(['T2']);
    now = 300_000;
    const late = orders.of(DAY);
    store.answer();
    expect((await late).cancelled).toEqual(new Set(['T2']));
  });

  it("reads a bus's own orders again after the minute, without serving the old read", async () => {
    let now = 0;
    const store = heldStore();
    const orders = new DayTripOrders(store, () => now);
    await orders.ofBus('B1', DAY);
    await orders.ofBus('B1', DAY);
    now = 60_000;
    await orders.ofBus('B1', DAY);
    expect(store.vehicleReads()).toBe(2);
  });
});
