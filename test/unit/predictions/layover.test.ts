import { describe, expect, it } from 'vitest';
import { nextTripDepartureMs } from '../../../shared/domain/predictions/layover.js';
import { MIN, T0 } from './fixtures.js';

describe('next trip departure after layover', () => {
  it.each([
    { name: 'early arrival waits for the timetable', arrival: T0 - 20 * MIN, layoverS: 300, scheduled: T0, expectMs: T0 },
    { name: 'late arrival leaves after the minimum layover', arrival: T0 - 2 * MIN, layoverS: 300, scheduled: T0, expectMs: T0 + 3 * MIN },
    { name: 'exactly the layover before: on time', arrival: T0 - 5 * MIN, layoverS: 300, scheduled: T0, expectMs: T0 },
  ])('$name', ({ arrival, layoverS, scheduled, expectMs }) => {
    expect(nextTripDepartureMs(arrival, layoverS, scheduled)).toBe(expectMs);
  });
});
