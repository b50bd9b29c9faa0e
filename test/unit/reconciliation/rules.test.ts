/**
 * The classification rules at their edges: departure tolerance and late limit, the complete and partial shares,
 * unobserved stops, terminal confirmations without telemetry, competing claims, a bus swapped mid-day, a trip
 * past midnight, and a negative net result.
 */
import { describe, expect, it } from 'vitest';
import { reconcileDay } from '../../../shared/domain/reconciliation/statement.js';
import type { ReconciliationInput } from '../../../shared/domain/reconciliation/types.js';
import { DAY, OPERATOR, at, contract, journey, order, stops } from './fixtures.js';

const T1 = at('07:00');

/** One planned trip at 07:00 run by B1 departing `delayS` late with the given stops. */
function oneTrip(delayS: number, stopSpec = stops('v', 20), over: Partial<ReconciliationInput> = {}): ReconciliationInput {
  return {
    serviceDay: DAY,
    operatorId: OPERATOR,
    orders: [order('O1', 'B1', [{ sequence: 1, at: T1, directionId: 0 }])],
    journeys: [journey({ busId: 'B1', tripId: 't1', departMs: T1 + delayS * 1000, directionId: 0, stops: stopSpec, revenueVnd: 0 })],
    contracts: [contract()],
    ...over,
  };
}
const first = (input: ReconciliationInput) => reconcileDay(input).lines[0]!;

describe('departure against the tolerance (−1/+5 min) and the late limit (30 min)', () => {
  it.each([
    ['on the minute', 0, 'completed', 0],
    ['exactly +5:00', 300, 'completed', 0],
    ['+5:01', 301, 'late', 200_000],
    ['exactly −1:00', -60, 'completed', 0],
    ['−1:01 (early beyond the tolerance counts as late)', -61, 'late', 200_000],
    ['exactly the late limit, +30:00', 1800, 'late', 200_000],
    ['+30:01, after the late limit', 1801, 'missed', 0],
  ])('%s → %s', (_name, delayS, cls, penalty) => {
    const l = first(oneTrip(delayS));
    expect([l.class, l.penalties.lateTripVnd]).toEqual([cls, penalty]);
    expect(l.evidence.departureDelayS).toBe(delayS);
    expect(l.amountVnd).toBe(cls === 'missed' ? 0 : 1_250_000);
  });
});

describe('share of stops visited (complete ≥ 90 %, partial ≥ 50 % paid at 50 %)', () => {
  it.each([
    ['18 of 20 (exactly 90 %)', stops('v', 18, 'n', 2), 'completed', 1_250_000],
    ['17 of 20', stops('v', 17, 'n', 3), 'partial', 625_000],
    ['10 of 20 (exactly 50 %)', stops('v', 10, 'n', 10), 'partial', 625_000],
    ['9 of 20', stops('v', 9, 'n', 11), 'missed', 0],
  ])('%s → %s', (_name, s, cls, amount) => {
    const l = first(oneTrip(0, s));
    expect([l.class, l.amountVnd]).toEqual([cls, amount]);
  });

  it('rounds a partial share half up per line', () => {
    const l = first({ ...oneTrip(0, stops('v', 12, 'n', 8)), contracts: [contract({ unitCostVnd: 1_250_001 })] });
    expect(l.amountVnd).toBe(625_001); // 625,000.5 → 625,001
  });

  it('penalises skipped stops only: not the never-reached stops of a short turn', () => {
    const l = first(oneTrip(0, stops('v', 5, 's', 2, 'v', 6, 'n', 7)));
    expect(l.class).toBe('partial');
    expect(l.penalties).toEqual({ skippedStops: 2, skippedStopsVnd: 100_000, lateTripVnd: 0, totalVnd: 100_000 });
    expect(l.evidence.stops).toMatchObject({ skippedStopIds: ['S6', 'S7'], notReached: 7, unobserved: 0 });
  });

  it('bears the late-trip penalty on a partial trip that departed late', () => {
    const l = first(oneTrip(600, stops('v', 12, 'n', 8)));
    expect([l.class, l.amountVnd, l.penalties.lateTripVnd]).toEqual(['partial', 625_000, 200_000]);
  });
});

describe('unobserved stops (data gaps)', () => {
  it('need review when they could change the class, and are never penalised', () => {
    const l = first(oneTrip(0, stops('v', 8, 'u', 2, 'v', 8, 's', 1, 'v', 1)));
    expect(l.class).toBe('needs-review');
    expect(l.possibleClasses).toEqual(['completed', 'partial']);
    expect(l.amountVnd).toBe(0);
    expect(l.evidence.stops).toMatchObject({ visited: 17, skipped: 1, unobserved: 2, unobservedStopIds: ['S9', 'S10'] });
    expect(l.flagged).toBe(true);
    expect(reconcileDay(oneTrip(0, stops('v', 8, 'u', 2, 'v', 8, 's', 1, 'v', 1))).openReviewLineIds).toEqual(['O1#1']);
  });

  it('leave the class alone when it holds either way', () => {
    const l = first(oneTrip(0, stops('v', 10, 'u', 1, 'v', 9)));
    expect([l.class, l.penalties.totalVnd]).toEqual(['completed', 0]);
    expect(l.evidence.stops?.unobserved).toBe(1);
  });

  it('a first stop unobserved leaves the departure bounded only: a late reading needs review', () => {
    const l = first(oneTrip(600, stops('u', 1, 'v', 19)));
    expect(l.evidence.departureSource).toBe('later-stop');
    expect(l.class).toBe('needs-review');
    expect(l.possibleClasses).toEqual(['completed', 'late']);
  });

  it('trailing stops are a data gap, not a short turn, when the terminal confirmed the arrival', () => {
    const input = oneTrip(0, stops('v', 12, 'n', 8), {
      orders: [
        order('O1', 'B1', [{ sequence: 1, at: T1, directionId: 0 }], {
          confirmations: [
            {
              tripSequence: 1,
              kind: 'arrival',
              at: new Date(T1 + 3_600_000).toISOString(),
              stopId: 'S20',
              confirmedBy: 'staff-1',
              recordedAt: new Date(T1 + 3_600_000).toISOString(),
            },
          ],
        }),
      ],
    });
    const l = first(input);
    expect(l.class).toBe('needs-review');
    expect(l.evidence.stops).toMatchObject({ unobserved: 8, notReached: 0 });
  });
});

describe('trips without telemetry', () => {
  const confirmed = order('O1', 'B1', [{ sequence: 1, at: T1, directionId: 0 }], {
    confirmations: [
      { tripSequence: 1, kind: 'departure', at: new Date(T1).toISOString(), stopId: 'S1', confirmedBy: 'staff-1', recordedAt: new Date(T1).toISOString() },
    ],
  });

  it('with a terminal confirmation need review', () => {
    const l = first(oneTrip(0, undefined, { orders: [confirmed], journeys: [] }));
    expect(l.class).toBe('needs-review');
    expect(l.evidence.confirmations).toEqual([{ kind: 'departure', at: new Date(T1).toISOString(), stopId: 'S1', confirmedBy: 'staff-1' }]);
  });

  it('without one are missed; a journey record with no stop visited is no telemetry', () => {
    expect(first(oneTrip(0, stops('n', 20))).class).toBe('missed');
    expect(first(oneTrip(0, undefined, { journeys: [] })).class).toBe('missed');
  });

  it('a journey the journeys stage judged missed (a bus standing at the last terminal) is no run, not a data gap', () => {
    const standing = {
      ...journey({ busId: 'B1', tripId: 't1', departMs: T1, directionId: 0, stops: `${'u'.repeat(19)}v`, tripOrderId: 'O1' }),
      classification: 'missed' as const,
    };
    const l = first(oneTrip(0, undefined, { journeys: [standing] }));
    expect([l.class, l.amountVnd]).toEqual(['missed', 0]);
    expect(l.evidence.performedTrip).toBeUndefined();
  });
});

describe('matching', () => {
  it('gives a planned trip to one performed trip only; the other claimant is unscheduled and names it', () => {
    const s = reconcileDay(
      oneTrip(60, stops('v', 20), {
        journeys: [
          journey({ busId: 'B1', tripId: 't1', departMs: T1 + 60_000, directionId: 0, stops: stops('v', 20), revenueVnd: 10_000 }),
          journey({ busId: 'B1', tripId: 't1-again', departMs: T1 + 240_000, directionId: 0, stops: stops('v', 20), revenueVnd: 5_000 }),
        ],
      }),
    );
    expect(s.lines.map((l) => [l.lineId, l.class])).toEqual([
      ['O1#1', 'completed'],
      [`unscheduled#B1#t1-again#${T1 + 240_000}`, 'unscheduled'],
    ]);
    expect(s.lines[0]!.evidence.performedTrip?.tripId).toBe('t1');
    expect(s.lines[0]!.evidence.competingTrips?.map((t) => t.tripId)).toEqual(['t1-again']);
    expect(s.lines[1]!.evidence.claimedLineId).toBe('O1#1');
    expect(s.totals.fareRevenueVnd).toBe(15_000);
  });

  it('prefers the journey linked to the order trip over a closer one', () => {
    const s = reconcileDay(
      oneTrip(0, stops('v', 20), {
        orders: [order('O1', 'B1', [{ sequence: 1, at: T1, directionId: 0, tripId: 'gtfs-7' }])],
        journeys: [
          journey({ busId: 'B1', tripId: 'gtfs-7', tripOrderId: 'O1', departMs: T1 + 420_000, directionId: 0, stops: stops('v', 20) }),
          journey({ busId: 'B1', tripId: 'other', departMs: T1, directionId: 0, stops: stops('v', 20) }),
        ],
      }),
    );
    expect(s.lines[0]).toMatchObject({ class: 'late', evidence: { performedTrip: { tripId: 'gtfs-7' } } });
  });

  it('matches a bus swapped mid-day by route, direction and time, noting the swap', () => {
    const trips = [
      { sequence: 1, at: at('06:00'), directionId: 0 as const },
      { sequence: 2, at: at('08:00'), directionId: 1 as const },
      { sequence: 3, at: at('10:00'), directionId: 0 as const },
    ];
    const s = reconcileDay({
      serviceDay: DAY,
      operatorId: OPERATOR,
      orders: [order('O1', 'B1', trips)],
      journeys: [
        journey({ busId: 'B1', tripId: 'a', departMs: at('06:00'), directionId: 0, stops: stops('v', 20) }),
        journey({ busId: 'B2', tripId: 'b', departMs: at('08:02'), directionId: 1, stops: stops('v', 20) }),
        journey({ busId: 'B2', tripId: 'c', departMs: at('10:01'), directionId: 0, stops: stops('v', 20) }),
      ],
      contracts: [contract()],
    });
    expect(s.lines.map((l) => [l.lineId, l.class, l.evidence.vehicleSwap?.performedBusId])).toEqual([
      ['O1#1', 'completed', undefined],
      ['O1#2', 'completed', 'B2'],
      ['O1#3', 'completed', 'B2'],
    ]);
    expect(s.lines[1]!.reason).toContain('vehicle swap');
    expect(s.totals.byClass.unscheduled).toBe(0);
  });

  it("lets a bus's own order take its trip before another order's bus claims it as a swap", () => {
    const s = reconcileDay({
      serviceDay: DAY,
      operatorId: OPERATOR,
      orders: [order('O1', 'B1', [{ sequence: 1, at: at('08:00'), directionId: 0 }]), order('O2', 'B2', [{ sequence: 1, at: at('08:05'), directionId: 0 }])],
      journeys: [
        journey({ busId: 'B2', tripId: 'b', departMs: at('08:04'), directionId: 0, stops: stops('v', 20) }),
        journey({ busId: 'B1', tripId: 'a', departMs: at('08:09'), directionId: 0, stops: stops('v', 20) }),
      ],
      contracts: [contract()],
    });
    expect(s.lines.map((l) => [l.lineId, l.class, l.evidence.performedTrip?.busId])).toEqual([
      ['O1#1', 'late', 'B1'],
      ['O2#1', 'completed', 'B2'],
    ]);
  });

  it('ignores the other direction and other operators', () => {
    const s = reconcileDay(
      oneTrip(0, stops('v', 20), {
        journeys: [
          journey({ busId: 'B1', tripId: 'back', departMs: T1, directionId: 1, stops: stops('v', 20) }),
          journey({ busId: 'X1', tripId: 'theirs', departMs: T1, directionId: 0, stops: stops('v', 20), operatorId: 'OTHER' }),
        ],
      }),
    );
    expect(s.lines.map((l) => l.class)).toEqual(['missed', 'unscheduled']);
  });
});

describe('a trip across midnight in the service day', () => {
  it('is matched and priced at the night band of its planned local time', () => {
    const night = at('24:30'); // 00:30 on the next calendar date, still service day 2026-11-26
    const s = reconcileDay({
      serviceDay: DAY,
      operatorId: OPERATOR,
      orders: [order('O1', 'B1', [{ sequence: 1, at: night, directionId: 0 }])],
      journeys: [journey({ busId: 'B1', tripId: 'late-night', departMs: night + 120_000, directionId: 0, stops: stops('v', 20) })],
      contracts: [contract({ unitCostBands: [{ from: '22:00', to: '05:00', unitCostVnd: 900_000 }] })],
    });
    expect(s.lines[0]).toMatchObject({ class: 'completed', unitCostVnd: 900_000, amountVnd: 900_000 });
    expect(s.totals.subsidyPayableVnd).toBe(900_000);
  });
});

describe('a negative net result', () => {
  it('is stated as revenue above cost, and nothing is payable', () => {
    const s = reconcileDay(
      oneTrip(0, stops('v', 20), {
        journeys: [journey({ busId: 'B1', tripId: 't1', departMs: T1, directionId: 0, stops: stops('v', 20), revenueVnd: 1_400_000 })],
      }),
    );
    expect(s.routes[0]).toMatchObject({ netResultVnd: -150_000, revenueAboveCostVnd: 150_000, subsidyPayableVnd: 0, bidDiscountVnd: 0 });
    expect(s.totals).toMatchObject({ revenueAboveCostVnd: 150_000, subsidyPayableVnd: 0 });
  });

  it('pays nothing on an unsubsidised route', () => {
    const s = reconcileDay(oneTrip(0, stops('v', 20), { contracts: [contract({ subsidised: false })] }));
    expect(s.totals.subsidyPayableVnd).toBe(0);
    expect(s.lines[0]!.class).toBe('completed');
  });
});

describe('orders that plan nothing', () => {
  it('leaves drafts and cancelled orders out; their runs are unscheduled', () => {
    const s = reconcileDay(oneTrip(0, stops('v', 20), { orders: [order('O1', 'B1', [{ sequence: 1, at: T1, directionId: 0 }], { status: 'cancelled' })] }));
    expect(s.lines.map((l) => l.class)).toEqual(['unscheduled']);
    expect(s.totals.plannedTrips).toBe(0);
  });
});
