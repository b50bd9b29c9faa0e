/**
 * Monthly settlement: approved days summed per route contract, outstanding days listed, advances deducted (a
 * negative balance stated as such), and the performance terms — on-time departures and excess wait time.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { averageWaitMin, excessWaitTime, headwaysOf } from '../../../shared/domain/reconciliation/performance.js';
import { daysOfMonth, settleMonth } from '../../../shared/domain/reconciliation/settlement.js';
import { reconcileDay } from '../../../shared/domain/reconciliation/statement.js';
import type { Advance, DailyStatement, SettlementDay, SettlementInput } from '../../../shared/domain/reconciliation/types.js';
import { DAY, OPERATOR, at, contract, journey, stops, workedExample } from './fixtures.js';

const MONTH = '2026-11';
const worked = reconcileDay(workedExample()); // 1,835,000 VND payable
const on = (day: string, s: DailyStatement = worked): DailyStatement => ({ ...s, serviceDay: day });

function input(over: Partial<SettlementInput> = {}): SettlementInput {
  const days: SettlementDay[] = [
    { serviceDay: '2026-11-01', statement: on('2026-11-01'), approved: true },
    { serviceDay: '2026-11-02', statement: on('2026-11-02'), approved: true },
    { serviceDay: '2026-11-03', statement: on('2026-11-03'), approved: true },
    { serviceDay: '2026-11-04', statement: on('2026-11-04'), approved: false },
  ];
  return {
    operatorId: OPERATOR,
    month: MONTH,
    days,
    advances: [{ operatorId: OPERATOR, month: MONTH, amountVnd: 5_000_000 }],
    contracts: [contract()],
    ...over,
  };
}

describe('monthly settlement', () => {
  it('sums the approved days per route, less the advances, and lists every other day as outstanding', () => {
    const s = settleMonth(input());
    expect(s.routes).toEqual([{ routeId: 'R1', approvedPayableVnd: 5_505_000, approvedDays: 3, deductionsVnd: 0, payableVnd: 5_505_000 }]);
    expect(s.approvedDays).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(s.outstandingDays).toHaveLength(27);
    expect(s.outstandingDays[0]).toEqual({ serviceDay: '2026-11-04', status: 'pending-approval' });
    expect(s.outstandingDays[1]).toEqual({ serviceDay: '2026-11-05', status: 'not-run' });
    expect(s).toMatchObject({
      approvedTotalVnd: 5_505_000,
      advancesVnd: 5_000_000,
      balanceVnd: 505_000,
      balanceStatus: 'payable-to-operator',
      rounding: 'half-up to whole VND, per line',
    });
  });

  it('states a negative balance when the advances exceed the month; other operators’ and months’ advances do not count', () => {
    const advances: Advance[] = [
      { operatorId: OPERATOR, month: MONTH, amountVnd: 4_000_000 },
      { operatorId: OPERATOR, month: MONTH, amountVnd: 2_000_000, reference: 'TU-2' },
      { operatorId: 'OTHER', month: MONTH, amountVnd: 9_000_000 },
      { operatorId: OPERATOR, month: '2026-10', amountVnd: 9_000_000 },
    ];
    const s = settleMonth(input({ advances }));
    expect(s).toMatchObject({ advancesVnd: 6_000_000, balanceVnd: -495_000, balanceStatus: 'owed-by-operator' });
    expect(s.advances).toHaveLength(2);
  });

  it('lists every day as outstanding when none is approved', () => {
    const s = settleMonth(input({ days: [], advances: [] }));
    expect(s.outstandingDays).toHaveLength(30);
    expect(s).toMatchObject({ approvedTotalVnd: 0, balanceVnd: 0, balanceStatus: 'settled', routes: [] });
  });

  it('rejects a malformed month', () => {
    expect(() => daysOfMonth('2026-13')).toThrow(ValidationError);
    expect(daysOfMonth('2028-02')).toHaveLength(29);
  });
});

describe('on-time departure term', () => {
  // The worked example: T1 and T3 on time, T2 late, T4 not run → 2 of 3 observed departures on time.
  it('deducts its share of the month when under the minimum', () => {
    const s = settleMonth(input({ contracts: [contract({ performanceTerms: { onTimeDeparture: { minShare: 0.8, deductionShare: 0.05 } } })] }));
    const r = s.routes[0]!;
    expect(r.onTime).toMatchObject({ departuresObserved: 9, departuresOnTime: 6, minShare: 0.8, met: false, deductionVnd: 275_250 });
    expect(r.onTime!.onTimeShare).toBeCloseTo(2 / 3, 10);
    expect([r.deductionsVnd, r.payableVnd, s.balanceVnd]).toEqual([275_250, 5_229_750, 229_750]);
  });

  it('deducts nothing when met', () => {
    const s = settleMonth(input({ contracts: [contract({ performanceTerms: { onTimeDeparture: { minShare: 0.6, deductionShare: 0.05 } } })] }));
    expect(s.routes[0]!.onTime).toMatchObject({ met: true, deductionVnd: 0 });
    expect(s.routes[0]!.payableVnd).toBe(5_505_000);
  });
});

describe('excess wait time', () => {
  it('is Σh²/(2Σh): half the headway when regular, more when buses bunch', () => {
    expect(averageWaitMin([600_000, 600_000, 600_000])).toBe(5);
    expect(averageWaitMin([120_000, 1_080_000])).toBeCloseTo(8.2, 10); // h̄/2·(1+cv²) = 5·1.64
    expect(averageWaitMin([])).toBe(0);
    expect(headwaysOf([3, 1, 2, 2])).toEqual([1, 1]);
  });

  const terms = { thresholdMin: 2, deductionShare: 0.1, timingPoints: { stopIds: ['S1'] }, minBusesPerHour: 5 };
  /** Trips planned every `everyMin` from 06:00 to 07:00, departing at `actual` minutes past 06:00. */
  function day(everyMin: number, actual: number[]) {
    return actual.map((m, i) =>
      journey({
        busId: `B${i}`,
        tripId: `t${i}`,
        departMs: at('06:00') + m * 60_000,
        plannedDepartureMs: at('06:00') + i * everyMin * 60_000,
        directionId: 0,
        stops: stops('v', 20),
      }),
    );
  }

  it('deducts on a high-frequency route whose buses bunch beyond the threshold', () => {
    const journeys = day(10, [0, 2, 20, 22, 40, 42, 60]);
    const ewt = excessWaitTime(journeys, terms, 1_835_000);
    expect(ewt).toMatchObject({ timingStopIds: ['S1'], highFrequency: true, scheduledWaitMin: 5, met: false, deductionVnd: 183_500 });
    expect(ewt.scheduledBusesPerHour).toBeCloseTo(6, 10);
    expect(ewt.actualWaitMin).toBeCloseTo(8.2, 10);
    expect(ewt.ewtMin).toBeCloseTo(3.2, 10);

    const s = settleMonth({
      operatorId: OPERATOR,
      month: MONTH,
      days: [{ serviceDay: DAY, statement: worked, approved: true }],
      advances: [],
      contracts: [contract({ performanceTerms: { excessWaitTime: terms } })],
      journeys,
    });
    expect(s.routes[0]).toMatchObject({ approvedPayableVnd: 1_835_000, deductionsVnd: 183_500, payableVnd: 1_651_500 });
    expect(s.routes[0]!.excessWaitTime?.ewtMin).toBeCloseTo(3.2, 10);
  });

  it('meets the threshold when buses keep their headways', () => {
    expect(excessWaitTime(day(10, [0, 10, 20, 30, 40, 50, 60]), terms, 1_000_000)).toMatchObject({ ewtMin: 0, met: true, deductionVnd: 0 });
  });

  it('does not apply below 5 buses an hour', () => {
    const ewt = excessWaitTime(day(20, [0, 2, 40, 42]), terms, 1_000_000);
    expect(ewt).toMatchObject({ highFrequency: false, met: true, deductionVnd: 0 });
    expect(ewt.scheduledBusesPerHour).toBeCloseTo(3, 10);
  });

  it('picks timing points by rule: the first stop and the quartiles', () => {
    const ewt = excessWaitTime(day(10, [0, 10, 20]), { ...terms, timingPoints: { rule: 'quartiles' as const } }, 0);
    expect(ewt.timingStopIds).toEqual(['S1', 'S11', 'S16', 'S6']);
  });

  it('reads only the approved days’ journeys', () => {
    const s = settleMonth({
      operatorId: OPERATOR,
      month: MONTH,
      days: [{ serviceDay: DAY, statement: worked, approved: false }],
      advances: [],
      contracts: [contract({ performanceTerms: { excessWaitTime: terms } })],
      journeys: day(10, [0, 2, 20, 22, 40, 42, 60]),
    });
    expect(s.routes).toEqual([]);
    expect(s.outstandingDays).toContainEqual({ serviceDay: DAY, status: 'pending-approval' });
  });
});
