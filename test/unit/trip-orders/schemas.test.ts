import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { cancelSchema, confirmationSchema, tripOrderAmendSchema, tripOrderCreateSchema, tripOrderSchema } from '../../../shared/domain/trip-orders/schemas.js';
import { createTripOrder } from '../../../shared/domain/trip-orders/lifecycle.js';
// Type only: erased at run time, so the simulator is not loaded, but tsc checks the draft's shape here.
import type { TripOrderDraft } from '../../../simulator/core/day-plan.js';
import type { z } from 'zod';

const draft: TripOrderDraft = {
  orderNumber: 'LVC-20261126-SB_1-01',
  serviceDay: '2026-11-26',
  operatorId: 'SB',
  routeId: 'R1',
  vehicle: { busId: 'SB-1-01', plate: '51B-123.45' },
  driver: { driverId: 'DRV-SB-1-01' },
  staff: [{ role: 'conductor', staffId: 'CDT-SB-1-01' }],
  trips: [
    { sequence: 1, tripId: 'T1', directionId: 0, plannedDeparture: '2026-11-25T23:00:00.000Z' },
    { sequence: 2, tripId: 'T2', plannedDeparture: '2026-11-26T00:10:00.000Z' },
  ],
};

const issuesOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  expect(r.success).toBe(false);
  if (r.success) return [];
  return ValidationError.fromZod(r.error).issues.map((i) => i.field);
};

describe('tripOrderCreateSchema', () => {
  it("accepts the simulator's TripOrderDraft as is", () => {
    const parsed = tripOrderCreateSchema.parse(draft);
    expect(parsed).toMatchObject(draft);
    expect(parsed.issue).toBeUndefined();
  });

  it('defaults staff to none and accepts names, attendants, offsets and issue: true', () => {
    const { staff: _omitted, ...noStaff } = draft;
    expect(tripOrderCreateSchema.parse(noStaff).staff).toEqual([]);
    const parsed = tripOrderCreateSchema.parse({
      ...draft,
      issue: true,
      driver: { driverId: 'D', name: 'Nguyễn Văn An' },
      staff: [{ role: 'attendant', staffId: 'S', name: 'Trần Thị Bình' }],
      trips: [{ sequence: 1, plannedDeparture: '2026-11-26T06:00:00+07:00' }],
    });
    expect(parsed.issue).toBe(true);
    expect(parsed.trips[0]).toEqual({ sequence: 1, plannedDeparture: '2026-11-26T06:00:00+07:00' });
  });

  it.each([
    ['a local time without offset', 'trips[0].plannedDeparture', { trips: [{ sequence: 1, plannedDeparture: '2026-11-26T06:00:00' }] }],
    ['sequence 0', 'trips[0].sequence', { trips: [{ sequence: 0, plannedDeparture: '2026-11-25T23:00:00Z' }] }],
    ['a fractional sequence', 'trips[0].sequence', { trips: [{ sequence: 1.5, plannedDeparture: '2026-11-25T23:00:00Z' }] }],
    ['direction 2', 'trips[0].directionId', { trips: [{ sequence: 1, directionId: 2, plannedDeparture: '2026-11-25T23:00:00Z' }] }],
    ['no trips', 'trips', { trips: [] }],
    ['201 trips', 'trips', { trips: Array.from({ length: 201 }, (_, i) => ({ sequence: i + 1, plannedDeparture: '2026-11-25T23:00:00Z' })) }],
    ['an impossible service day', 'serviceDay', { serviceDay: '2026-02-30' }],
    ['a blank order number', 'orderNumber', { orderNumber: '  ' }],
    ['a vehicle without plate', 'vehicle.plate', { vehicle: { busId: 'B' } }],
    ['a driver without id', 'driver.driverId', { driver: {} }],
    ['an unknown staff role', 'staff[0].role', { staff: [{ role: 'pilot', staffId: 'S' }] }],
  ])('rejects %s, naming %s', (_name, field, patch) => {
    expect(issuesOf(tripOrderCreateSchema, { ...draft, ...patch })).toContain(field);
  });

  it('reports every failing field at once', () => {
    const fields = issuesOf(tripOrderCreateSchema, { ...draft, serviceDay: 'x', routeId: '', trips: [{ sequence: -1, plannedDeparture: 'soon' }] });
    expect(fields).toEqual(expect.arrayContaining(['serviceDay', 'routeId', 'trips[0].sequence', 'trips[0].plannedDeparture']));
  });
});

describe('amend, cancel and confirmation schemas', () => {
  it('requires a reason and at least one change', () => {
    expect(issuesOf(tripOrderAmendSchema, { driver: { driverId: 'D2' } })).toContain('reason');
    expect(issuesOf(tripOrderAmendSchema, { reason: 'bus broke down' })).toContain('');
    expect(tripOrderAmendSchema.parse({ reason: 'bus broke down', vehicle: { busId: 'B2', plate: '51B-000.01' } }).vehicle?.busId).toBe('B2');
    expect(tripOrderAmendSchema.parse({ reason: 'r', staff: [] }).staff).toEqual([]);
  });

  it('requires a non-blank cancel reason', () => {
    expect(issuesOf(cancelSchema, { reason: ' ' })).toEqual(['reason']);
    expect(cancelSchema.parse({ reason: ' flood ' }).reason).toBe('flood');
  });

  it('checks a terminal confirmation', () => {
    const ok = { tripSequence: 1, kind: 'departure', at: '2026-11-25T23:01:00Z', stopId: 'BX-MIEN-TAY', confirmedBy: 'T-7' };
    expect(confirmationSchema.parse(ok)).toEqual(ok);
    expect(issuesOf(confirmationSchema, { ...ok, kind: 'pass' })).toEqual(['kind']);
    expect(issuesOf(confirmationSchema, { ...ok, tripSequence: 0 })).toEqual(['tripSequence']);
  });

  it('describes a stored order that round-trips through tripOrderSchema', () => {
    const order = createTripOrder(
      tripOrderCreateSchema.parse(draft),
      { role: 'operator', id: 'u1', operatorId: 'SB' },
      Date.parse('2026-11-25T20:00:00Z'),
      'to-1',
    );
    expect(tripOrderSchema.parse(JSON.parse(JSON.stringify(order)))).toEqual(order);
  });
});
