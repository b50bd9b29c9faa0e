/**
 * The compact reconciliation summary stored with a bus-day's journeys: read back, it is what reconciliation reads
 * of the full records, so a run over the summaries makes the same statement and input hash.
 */
import { describe, expect, it } from 'vitest';
import { decodeSummary, encodeSummary } from '../../../shared/adapters/dynamodb/journey-summary-codec.js';
import { inputHash } from '../../../shared/domain/reconciliation/input-hash.js';
import { reconciliationJourneyOf } from '../../../shared/domain/reconciliation/journey-view.js';
import { reconcileDay } from '../../../shared/domain/reconciliation/statement.js';
import { WORKED_TIMES, journey, stops, workedExample } from './fixtures.js';

describe('the reconciliation summary of journeys', () => {
  const input = workedExample();
  const withTaps = input.journeys.map((j) => ({
    ...j,
    visits: j.visits.map((v, i) =>
      i === 0 ? { ...v, transactions: 1, taps: [{ tapId: 't1', ts: 1, amountVnd: 7000, product: 'single', medium: 'card', cardHash: 'h' }] } : v,
    ),
  }));

  it('reads back the fields reconciliation reads, and nothing else', () => {
    const gap = journey({ busId: 'B2', tripId: 'g', departMs: WORKED_TIMES.T2, stops: stops('v', 3, 'u', 2, 's', 1), revenueVnd: 5_000 });
    const all = [...withTaps, gap];
    const back = decodeSummary(encodeSummary(all));
    expect(back).toEqual(all.map(reconciliationJourneyOf));
    expect(back[0]!.visits[0]).not.toHaveProperty('taps');
    expect(back[0]).not.toHaveProperty('source');
  });

  it('gives the same statement and input hash as the full records', () => {
    const fromSummary = { ...input, journeys: decodeSummary(encodeSummary(withTaps)) };
    expect(inputHash(fromSummary)).toBe(inputHash(input));
    expect(reconcileDay(fromSummary)).toEqual(reconcileDay({ ...input, journeys: withTaps }));
  });

  it("gives the same input hash when the fare transactions carry a card's key version and link hashes", () => {
    const rotated = withTaps.map((j) => ({
      ...j,
      visits: j.visits.map((v) => (v.taps ? { ...v, taps: v.taps.map((t) => ({ ...t, cardHash: 'h2', cardKeyVersion: 2, cardLinkHashes: { 1: 'h' } })) } : v)),
    }));
    expect(rotated[0]!.visits[0]!.taps![0]).toMatchObject({ cardKeyVersion: 2 });
    expect(inputHash({ ...input, journeys: rotated })).toBe(inputHash({ ...input, journeys: withTaps }));
    expect(inputHash({ ...input, journeys: decodeSummary(encodeSummary(rotated)) })).toBe(inputHash(input));
  });
});
