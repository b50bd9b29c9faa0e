import { describe, expect, it } from 'vitest';
import { Conflict, ValidationError } from '../../../shared/domain/errors.js';
import { contractInForce, routeContractSchema, type RouteContract } from '../../../shared/domain/contracts/contracts.js';
import { serviceTimeToEpochMs } from '../../../shared/gtfs/time.js';
import type { PlannedTrip, TripOrder } from '../../../shared/domain/trip-orders/schemas.js';
import {
  type TripOrderCandidate,
  type TripOrderValidationContext,
  ensureOrderNumberFree,
  orderNumberKey,
  tripOrderIssues,
  validateTripOrder,
} from '../../../shared/domain/trip-orders/validate.js';

const DAY = '2026-11-26';
const TZ = 'Asia/Ho_Chi_Minh';
/** The instant of a local service time on DAY; `24:30` is 00:30 the next calendar day. */
const at = (hhmm: string): string => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return new Date(serviceTimeToEpochMs(DAY, h * 3600 + m * 60, TZ)).toISOString();
};
const trip = (sequence: number, hhmm: string, extra: Partial<PlannedTrip> = {}): PlannedTrip => ({ sequence, plannedDeparture: at(hhmm), ...extra });

const contract = (over: Partial<RouteContract>): RouteContract =>
  routeContractSchema.parse({
    routeId: 'R1',
    operatorId: 'SB',
    subsidised: true,
    type: 'net-cost',
    unitCostVnd: 1_200_000,
    departureToleranceMin: { earlyMin: -1, lateMin: 5 },
    lateLimitMin: 15,
    minStopShareComplete: 0.9,
    minStopSharePartial: 0.5,
    partialPaidShare: 0.5,
    penaltyPerSkippedStopVnd: 20_000,
    penaltyPerLateTripVnd: 100_000,
    effectiveFrom: '2026-01-01',
    ...over,
  });

const CONTRACTS = [contract({}), contract({ routeId: 'R2', operatorId: 'PT' }), contract({ routeId: 'R3', effectiveFrom: '2026-12-01' })];

const otherOrder = (over: Partial<TripOrder>): TripOrder => ({
  id: 'to-other',
  orderNumber: 'LVC-OTHER',
  serviceDay: DAY,
  operatorId: 'SB',
  routeId: 'R1',
  vehicle: { busId: 'B1', plate: '51B-123.45' },
  driver: { driverId: 'D9' },
  staff: [],
  trips: [trip(1, '14:00')],
  status: 'approved',
  revision: 1,
  createdAt: at('03:00'),
  updatedAt: at('03:00'),
  confirmations: [],
  history: [],
  ...over,
});

function ctx(others: TripOrder[] = []): TripOrderValidationContext {
  const vehicles = new Map([
    ['B1', { operatorId: 'SB', plate: '51B-123.45' }],
    ['B2', { operatorId: 'PT', plate: '51B-999.99' }],
  ]);
  return {
    contractFor: (routeId, day) => contractInForce(CONTRACTS, routeId, day),
    vehicle: (busId) => vehicles.get(busId),
    otherOrdersOfVehicle: (busId, day) => others.filter((o) => o.vehicle.busId === busId && o.serviceDay === day),
    // 50 min outbound, 40 min back.
    tripDurationS: (_routeId, directionId) => (directionId === 1 ? 40 * 60 : 50 * 60),
    timezone: TZ,
  };
}

const order = (over: Partial<TripOrderCandidate> = {}): TripOrderCandidate => ({
  orderNumber: 'LVC-1',
  serviceDay: DAY,
  operatorId: 'SB',
  routeId: 'R1',
  vehicle: { busId: 'B1', plate: '51B-123.45' },
  trips: [trip(1, '06:00', { directionId: 0 }), trip(2, '07:00', { directionId: 1 }), trip(3, '08:00', { directionId: 0 })],
  ...over,
});

const fields = (o: TripOrderCandidate, others: TripOrder[] = []) => tripOrderIssues(o, ctx(others)).map((i) => i.field);

describe('validateTripOrder', () => {
  it('accepts a valid order', () => {
    expect(tripOrderIssues(order(), ctx())).toEqual([]);
    expect(() => validateTripOrder(order(), ctx())).not.toThrow();
  });

  it.each([
    ['a route with no contract at all', 'routeId', { routeId: 'R9' }, /no contract in force/],
    ['a route whose contract starts later', 'routeId', { routeId: 'R3' }, /no contract in force on 2026-11-26/],
    ['a route contracted to another operator', 'routeId', { routeId: 'R2' }, /contracted to operator PT/],
    ['an unregistered bus', 'vehicle.busId', { vehicle: { busId: 'B7', plate: '51B-123.45' } }, /not registered/],
    ["another operator's bus", 'vehicle.busId', { vehicle: { busId: 'B2', plate: '51B-999.99' } }, /belongs to operator PT/],
    ['a plate that differs from the registry', 'vehicle.plate', { vehicle: { busId: 'B1', plate: '51B-123.46' } }, /does not match the registry's 51B-123.45/],
    ['a departure before the service day starts', 'trips[0].plannedDeparture', { trips: [trip(1, '02:59')] }, /belongs to service day 2026-11-25/],
    [
      'a departure at 03:30 the next morning',
      'trips[1].plannedDeparture',
      { trips: [trip(1, '06:00'), trip(2, '27:30')] },
      /2026-11-27 03:30 local belongs to service day 2026-11-27/,
    ],
    ['a duplicate sequence', 'trips[1].sequence', { trips: [trip(1, '06:00'), trip(1, '08:00')] }, /duplicate sequence 1 \(also trips\[0\]\)/],
    ['sequences out of order', 'trips[1].sequence', { trips: [trip(2, '06:00'), trip(1, '08:00')] }, /order of sequence/],
    [
      'departures out of order',
      'trips[1].plannedDeparture',
      { trips: [trip(1, '08:00'), trip(2, '06:00')] },
      /order of departure: departs before trip 1 \(08:00\)/,
    ],
    [
      'two trips of the order that overlap',
      'trips[1].plannedDeparture',
      { trips: [trip(1, '06:00', { directionId: 0 }), trip(2, '06:45')] },
      /overlaps trip 1 of this order \(06:00–06:50\)/,
    ],
  ])('rejects %s, naming %s', (_name, field, patch, message) => {
    const issues = tripOrderIssues(order(patch as Partial<TripOrderCandidate>), ctx());
    expect(issues.map((i) => i.field)).toEqual([field]);
    expect(issues[0]!.message).toMatch(message);
  });

  it('accepts departures past midnight that belong to the service day (00:30 and 02:30 local)', () => {
    expect(fields(order({ trips: [trip(1, '22:00'), trip(2, '24:30'), trip(3, '26:30')] }))).toEqual([]);
  });

  it('lets a trip depart the minute the previous one arrives', () => {
    expect(fields(order({ trips: [trip(1, '06:00', { directionId: 0 }), trip(2, '06:50', { directionId: 1 })] }))).toEqual([]);
  });

  it("rejects a trip that overlaps one of the vehicle's other orders that day, naming that order", () => {
    const other = otherOrder({ trips: [trip(1, '06:30', { directionId: 1 })] });
    const issues = tripOrderIssues(order(), ctx([other]));
    expect(issues).toEqual([
      { field: 'trips[0].plannedDeparture', message: 'overlaps trip 1 of order LVC-OTHER (to-other) of bus B1 (06:30–07:10)' },
      { field: 'trips[1].plannedDeparture', message: 'overlaps trip 1 of order LVC-OTHER (to-other) of bus B1 (06:30–07:10)' },
    ]);
  });

  it("uses the other order's route for its trips' run time", () => {
    const durations = ctx([otherOrder({ routeId: 'R2', trips: [trip(1, '05:00')] })]);
    const long: TripOrderValidationContext = { ...durations, tripDurationS: (routeId) => (routeId === 'R2' ? 3 * 3600 : 600) };
    expect(tripOrderIssues(order(), long).map((i) => i.field)).toEqual(['trips[0].plannedDeparture', 'trips[1].plannedDeparture']);
  });

  it('ignores cancelled orders and the order itself among the vehicle orders', () => {
    const clashing = [trip(1, '06:00')];
    expect(fields(order(), [otherOrder({ status: 'cancelled', trips: clashing })])).toEqual([]);
    expect(fields(order({ id: 'to-other' }), [otherOrder({ trips: clashing })])).toEqual([]);
    expect(fields(order({ orderNumber: 'LVC-OTHER' }), [otherOrder({ trips: clashing })])).toEqual([]);
  });

  it('compares plates ignoring case, spaces, dots and dashes', () => {
    expect(fields(order({ vehicle: { busId: 'B1', plate: '51b 12345' } }))).toEqual([]);
  });

  it('throws one ValidationError carrying every issue', () => {
    const bad = order({ routeId: 'R2', vehicle: { busId: 'B1', plate: 'X' }, trips: [trip(1, '02:00'), trip(1, '06:00')] });
    const err = (() => {
      try {
        validateTripOrder(bad, ctx());
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect(err!.status).toBe(400);
    expect(err!.field).toBe('routeId');
    expect(err!.issues.map((i) => i.field)).toEqual(['routeId', 'vehicle.plate', 'trips[0].plannedDeparture', 'trips[1].sequence']);
  });
});

describe('order numbers', () => {
  it('are unique per operator, cancelled orders included', () => {
    const existing = [otherOrder({ orderNumber: 'LVC-7', status: 'cancelled' })];
    expect(() => ensureOrderNumberFree({ operatorId: 'SB', orderNumber: 'LVC-7' }, existing)).toThrow(Conflict);
    expect(() => ensureOrderNumberFree({ operatorId: 'SB', orderNumber: 'LVC-7' }, existing)).toThrow(/already used by trip order to-other/);
    expect(() => ensureOrderNumberFree({ operatorId: 'PT', orderNumber: 'LVC-7' }, existing)).not.toThrow();
    expect(() => ensureOrderNumberFree({ id: 'to-other', operatorId: 'SB', orderNumber: 'LVC-7' }, existing)).not.toThrow();
    expect(orderNumberKey('SB', ' LVC-7 ')).toBe('SB#LVC-7');
  });
});
