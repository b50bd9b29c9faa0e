/**
 * Determinism, versions and review: the same inputs give the same statement and input hash whatever their order;
 * a re-run after late data differs by a diff that says what changed and why; the centre's resolutions settle
 * needs-review lines and the totals follow.
 */
import { describe, expect, it } from 'vitest';
import { diffStatements } from '../../../shared/domain/reconciliation/diff.js';
import { inputHash } from '../../../shared/domain/reconciliation/input-hash.js';
import { applyResolutions } from '../../../shared/domain/reconciliation/review.js';
import { reconcileDay } from '../../../shared/domain/reconciliation/statement.js';
import type { ReconciliationInput } from '../../../shared/domain/reconciliation/types.js';
import { WORKED_TIMES, at, contract, journey, stops, workedExample } from './fixtures.js';

describe('determinism', () => {
  const input = workedExample();

  it('gives the same statement and hash for the same inputs in any order', () => {
    const shuffled: ReconciliationInput = {
      ...input,
      journeys: [...input.journeys].reverse(),
      contracts: [contract({ effectiveFrom: '2025-01-01', unitCostVnd: 1 }), ...input.contracts],
    };
    const a = reconcileDay(input);
    const b = reconcileDay(shuffled);
    expect(b).toEqual(a);
    expect(a.inputHash).toMatch(/^[0-9a-f]{64}$/);
    expect(inputHash(shuffled)).toBe(inputHash(input));
  });

  it('ignores when the journeys were computed, and other routes’ contracts', () => {
    const stamped = {
      ...input,
      journeys: input.journeys.map((j) => ({ ...j, computedAt: '2026-11-27T01:00:00Z' })),
      contracts: [...input.contracts, contract({ routeId: 'R9' })],
    };
    expect(inputHash(stamped)).toBe(inputHash(input));
  });

  it('changes the hash when an input that matters changes', () => {
    const amended = { ...input, orders: input.orders.map((o) => ({ ...o, revision: 2 })) };
    expect(inputHash(amended)).not.toBe(inputHash(input));
    expect(inputHash({ ...input, contracts: [contract({ unitCostVnd: 1_300_000 })] })).not.toBe(inputHash(input));
    expect(inputHash({ ...input, resolutions: [{ lineId: 'O1#4', decision: 'rejected', reason: 'x' }] })).not.toBe(inputHash(input));
  });
});

describe('a re-run after late telemetry', () => {
  it('makes a diff naming the lines that changed, from what to what, and why', () => {
    const before = reconcileDay(workedExample());
    const late = workedExample();
    // T4's bus's positions arrive late: it did run, on time, all stops.
    late.journeys = [
      ...late.journeys,
      journey({ busId: 'B1', tripId: 'trip-4', departMs: WORKED_TIMES.T4, directionId: 1, stops: stops('v', 20), revenueVnd: 100_000 }),
    ];
    const after = reconcileDay(late);
    const diff = diffStatements(before, after);

    expect(diff.fromHash).toBe(before.inputHash);
    expect(diff.toHash).toBe(after.inputHash);
    expect(diff.fromHash).not.toBe(diff.toHash);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => c.lineId)).toEqual(['O1#4']);
    const change = diff.changed[0]!;
    expect(change.changes).toContainEqual({ field: 'class', from: 'missed', to: 'completed' });
    expect(change.changes).toContainEqual({ field: 'amountVnd', from: 0, to: 1_250_000 });
    expect(change.why[0]).toContain('a trip performed now matches it (bus B1, trip trip-4)');
    expect(change.why.some((w) => w.startsWith('class missed → completed'))).toBe(true);
    expect(diff.totals).toContainEqual({ field: 'subsidyPayableVnd', from: 1_835_000, to: 2_985_000 });
    expect(diff.totals).toContainEqual({ field: 'fareRevenueVnd', from: 1_040_000, to: 1_140_000 });
  });

  it('is empty between two runs of the same inputs', () => {
    const d = diffStatements(reconcileDay(workedExample()), reconcileDay(workedExample()));
    expect([d.added, d.removed, d.changed, d.totals]).toEqual([[], [], [], []]);
  });

  it('lists lines added and removed', () => {
    const before = reconcileDay(workedExample());
    const extra = workedExample();
    extra.journeys = [...extra.journeys, journey({ busId: 'B9', tripId: 'extra-2', departMs: at('18:00'), directionId: 1, stops: stops('v', 20) })];
    const d = diffStatements(before, reconcileDay(extra));
    expect(d.added.map((l) => l.lineId)).toEqual([`unscheduled#B9#extra-2#${at('18:00')}`]);
    expect(diffStatements(reconcileDay(extra), before).removed).toHaveLength(1);
  });
});

describe('review', () => {
  /** T3 with a data gap instead of a short turn: 12 visited, 6 unobserved, 2 visited → completed or partial. */
  function withGap(): ReconciliationInput {
    const input = workedExample();
    input.journeys = input.journeys.map((j) =>
      j.tripId === 'trip-3'
        ? journey({ busId: 'B1', tripId: 'trip-3', departMs: WORKED_TIMES.T3, directionId: 0, stops: stops('v', 12, 'u', 6, 'v', 2), revenueVnd: 150_000 })
        : j,
    );
    return input;
  }

  it('leaves a needs-review line unpaid and open until the centre resolves it', () => {
    const s = reconcileDay(withGap());
    expect(s.openReviewLineIds).toEqual(['O1#3']);
    expect(s.totals).toMatchObject({ costBeforePenaltiesVnd: 2_500_000, subsidyPayableVnd: 1_210_000, byClass: { 'needs-review': 1, partial: 0 } });
  });

  it.each([
    ['completed', 'completed', 1_250_000, 2_460_000],
    ['partial', 'partial', 625_000, 1_835_000],
    ['rejected', 'missed', 0, 1_210_000],
  ] as const)('accepts as %s → %s, and recomputes the totals', (decision, cls, amount, payable) => {
    const input = withGap();
    const s = applyResolutions(
      reconcileDay(input),
      [{ lineId: 'O1#3', decision, reason: 'driver log and terminal camera', resolvedBy: 'centre-7' }],
      input.contracts,
    );
    const line = s.lines.find((l) => l.lineId === 'O1#3')!;
    expect([line.class, line.amountVnd, line.flagged]).toEqual([cls, amount, false]);
    expect(line.resolution).toMatchObject({ decision, classBefore: 'needs-review', resolvedBy: 'centre-7' });
    expect(line.possibleClasses).toBeUndefined();
    expect(s.openReviewLineIds).toEqual([]);
    expect(s.totals.subsidyPayableVnd).toBe(payable);
  });

  it('gives the same statement whether resolutions are inputs of the run or applied after it (hash aside)', () => {
    const input = withGap();
    const resolutions = [{ lineId: 'O1#3', decision: 'partial' as const, reason: 'short turn reported by the driver' }];
    const run = reconcileDay({ ...input, resolutions });
    const after = applyResolutions(reconcileDay(input), resolutions, input.contracts);
    expect({ ...run, inputHash: '' }).toEqual({ ...after, inputHash: '' });
  });

  it('keeps aside a resolution that names no needs-review line; the latest resolution of a line wins', () => {
    const input = withGap();
    const s = applyResolutions(
      reconcileDay(input),
      [
        { lineId: 'O1#1', decision: 'rejected', reason: 'not under review' },
        { lineId: 'O1#3', decision: 'rejected', reason: 'first look', resolvedAt: '2026-11-27T02:00:00Z' },
        { lineId: 'O1#3', decision: 'completed', reason: 'second look', resolvedAt: '2026-11-27T03:00:00Z' },
      ],
      input.contracts,
    );
    expect(s.unappliedResolutions.map((r) => r.lineId)).toEqual(['O1#1']);
    expect(s.lines.find((l) => l.lineId === 'O1#1')!.class).toBe('completed');
    expect(s.lines.find((l) => l.lineId === 'O1#3')!.resolution?.reason).toBe('second look');
  });

  it('shows a resolution in the diff, with its reason', () => {
    const input = withGap();
    const before = reconcileDay(input);
    const after = reconcileDay({ ...input, resolutions: [{ lineId: 'O1#3', decision: 'completed', reason: 'terminal camera' }] });
    const change = diffStatements(before, after).changed[0]!;
    expect(change.lineId).toBe('O1#3');
    expect(change.why[0]).toBe('resolved by the centre as completed: terminal camera');
  });
});
