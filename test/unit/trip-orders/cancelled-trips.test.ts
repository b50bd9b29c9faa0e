/** The trips a day's trip orders call off, which passengers are not told of. */
import { describe, expect, it } from 'vitest';
import { cancelledTripIds } from '../../../shared/domain/trip-orders/cancelled-trips.js';

const order = (status: 'approved' | 'cancelled', ...tripIds: string[]) => ({
  status,
  trips: tripIds.map((tripId, i) => ({ sequence: i + 1, tripId, plannedDeparture: '2030-01-07T01:00:00.000Z' })),
});

describe('cancelled trips', () => {
  it('are the trips of cancelled orders that no other order still runs', () => {
    expect(cancelledTripIds([order('cancelled', 'T1', 'T2'), order('approved', 'T2', 'T3')])).toEqual(new Set(['T1']));
  });

  it('are none when nothing was cancelled', () => {
    expect(cancelledTripIds([order('approved', 'T1')]).size).toBe(0);
    expect(cancelledTripIds([]).size).toBe(0);
  });
});
