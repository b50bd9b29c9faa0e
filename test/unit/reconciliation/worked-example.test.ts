/**
 * The worked example, exactly: a net-cost route at 1,250,000 VND a trip, 4 planned trips of 20 stops and
 * one unscheduled run; then the same day under gross-cost and with a 20 % bid discount.
 */
import { describe, expect, it } from 'vitest';
import { reconcileDay } from '../../../shared/domain/reconciliation/statement.js';
import type { StatementLine } from '../../../shared/domain/reconciliation/types.js';
import { WORKED_TIMES, at, workedExample } from './fixtures.js';

const T = WORKED_TIMES;

const line = (lines: StatementLine[], id: string) => lines.find((l) => l.lineId === id)!;

describe('the worked example (net-cost)', () => {
  const s = reconcileDay(workedExample());

  it('classifies and prices every line', () => {
    expect(s.lines.map((l) => [l.lineId, l.class, l.amountVnd, l.penalties.totalVnd])).toEqual([
      ['O1#1', 'completed', 1_250_000, 50_000],
      ['O1#2', 'late', 1_250_000, 200_000],
      ['O1#3', 'partial', 625_000, 0],
      ['O1#4', 'missed', 0, 0],
      [`unscheduled#B9#extra-1#${at('15:00')}`, 'unscheduled', 0, 0],
    ]);
    expect(line(s.lines, `unscheduled#B9#extra-1#${at('15:00')}`).flagged).toBe(true);
  });

  it('gives each line its evidence', () => {
    const t1 = line(s.lines, 'O1#1');
    expect(t1.evidence).toMatchObject({
      performedTrip: { busId: 'B1', tripId: 'trip-1' },
      plannedDepartureMs: T.T1,
      actualDepartureMs: T.T1,
      departureDelayS: 0,
      stops: { total: 20, visited: 19, skipped: 1, unobserved: 0, skippedStopIds: ['S10'] },
      fareRevenueVnd: 420_000,
      contractVersion: { routeId: 'R1', effectiveFrom: '2026-01-01' },
    });
    expect(line(s.lines, 'O1#2').evidence.departureDelayS).toBe(480);
    const t3 = line(s.lines, 'O1#3').evidence.stops!;
    expect([t3.visited, t3.skipped, t3.unobserved, t3.notReached]).toEqual([12, 0, 0, 8]);
  });

  it('totals the operator-day: subsidy payable 1,835,000 VND', () => {
    expect(s.totals).toMatchObject({
      plannedTrips: 4,
      byClass: { completed: 1, late: 1, partial: 1, missed: 1, 'needs-review': 0, unscheduled: 1 },
      acceptedTrips: 3,
      costBeforePenaltiesVnd: 3_125_000,
      penaltiesVnd: 250_000,
      fareRevenueVnd: 1_040_000,
      revenueAboveCostVnd: 0,
      revenueDueToCityVnd: 0,
      bidDiscountVnd: 0,
      subsidyPayableVnd: 1_835_000,
    });
    expect(s.rounding).toBe('half-up to whole VND, per line');
    expect(s.openReviewLineIds).toEqual([]);
  });

  it('under gross-cost pays 2,875,000 VND, the 1,040,000 VND of fares due to the city', () => {
    const g = reconcileDay(workedExample({ type: 'gross-cost' }));
    expect(g.totals).toMatchObject({
      costBeforePenaltiesVnd: 3_125_000,
      penaltiesVnd: 250_000,
      fareRevenueVnd: 1_040_000,
      revenueDueToCityVnd: 1_040_000,
      subsidyPayableVnd: 2_875_000,
    });
  });

  it('with a 20 % bid discount under net-cost pays 1,468,000 VND', () => {
    const d = reconcileDay(workedExample({ bidDiscountShare: 0.2 }));
    expect(d.totals).toMatchObject({ bidDiscountVnd: 367_000, subsidyPayableVnd: 1_468_000 });
    expect(d.routes[0]).toMatchObject({ netResultVnd: 1_835_000, bidDiscountShare: 0.2 });
  });
});
