/** What a day's trip orders tell passengers: trips called off, planned departures, a bus's next trip. */
import { describe, expect, it } from 'vitest';
import { cancelledTripIds, nextOrderedTrip, orderedTripsOf } from '../../../shared/domain/trip-orders/cancelled-trips.js';
import type { TripOrderStatus } from '../../../shared/domain/trip-orders/schemas.js';

const T0 = Date.parse('2030-01-07T01:00:00.000Z');
const MIN = 60_000;
/** An order whose trips leave an hour apart from T0 + `startMin`. */
const order = (status: TripOrderStatus, tripIds: string[], startMin = 0) => ({
  status,
  trips: tripIds.map((tripId, i) => ({ sequence: i + 1, tripId, plannedDeparture: new Date(T0 + (startMin + 60 * i) * MIN).toISOString() })),
});

describe('cancelled trips', () => {
  it('are the trips of cancelled orders that no other order still runs', () => {
    expect(cancelledTripIds([order('cancelled', ['T1', 'T2']), order('approved', ['T2', 'T3'])])).toEqual(new Set(['T1']));
  });

  it('are none when nothing was cancelled', () => {
    expect(cancelledTripIds([order('approved', ['T1'])]).size).toBe(0);
    expect(cancelledTripIds([]).size).toBe(0);
  });
});

describe('planned trips of the day', () => {
  it('gives the planned departure of every trip an order runs (not a draft, not a cancelled one)', () => {
    const planned = orderedTripsOf([order('approved', ['T1', 'T2']), order('draft', ['T3']), order('cancelled', ['T4']), order('in_service', ['T5'], 30)]);
    expect(planned.plannedDepartureMs).toEqual(
      new Map([
        ['T1', T0],
        ['T2', T0 + 60 * MIN],
        ['T5', T0 + 30 * MIN],
      ]),
    );
    expect(planned.cancelled).toEqual(new Set(['T4']));
  });

  it.each([
    { name: 'after its trip, the one planned next (across its orders)', after: 'T1', nowMs: T0, next: 'T9' },
    { name: 'after its last trip, none', after: 'T2', nowMs: T0, next: undefined },
    { name: 'before any trip, its first', after: undefined, nowMs: T0 - 30 * MIN, next: 'T1' },
    { name: 'before any trip, past the first one’s late limit: the one after', after: undefined, nowMs: T0 + 5 * MIN, next: 'T9' },
    { name: 'a trip no order of the bus has: none', after: 'X', nowMs: T0, next: undefined },
  ])('a bus’s next trip: $name', ({ after, nowMs, next }) => {
    const orders = [order('approved', ['T1', 'T2']), order('issued', ['T9'], 30), order('cancelled', ['T0'], 10)];
    expect(nextOrderedTrip(orders, after, nowMs, 5 * MIN)?.tripId).toBe(next);
  });
});
