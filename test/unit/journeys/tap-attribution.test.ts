/** Stage 5: fare taps → the stop visit at their stop and time, and the fares of each visit. */
import { describe, expect, it } from 'vitest';
import { attributeTaps, type StoredTap, TAP_SLACK_MS, tapFitsVisit } from '../../../shared/domain/journeys/tap-attribution.js';
import type { StopVisit } from '../../../shared/domain/journeys/types.js';

const T0 = 1_790_000_000_000;
const min = 60_000;
type Visit = Pick<StopVisit, 'stopId' | 'status' | 'arrivalMs' | 'departureMs'>;
const visited = (stopId: string, arrivalMin: number, departureMin?: number): Visit => ({
  stopId,
  status: 'visited',
  arrivalMs: T0 + arrivalMin * min,
  ...(departureMin === undefined ? {} : { departureMs: T0 + departureMin * min }),
});
const tap = (tapId: string, atMin: number, stopId?: string, amountVnd = 7000): StoredTap => ({
  tapId,
  ts: T0 + atMin * min,
  amountVnd,
  product: 'single',
  medium: 'card',
  cardHash: `h-${tapId}`,
  ...(stopId ? { stopId } : {}),
});

/** Which taps each visit of each trip got, by id. */
const tapIds = (trips: { visits: Visit[] }[], taps: StoredTap[]) => attributeTaps(trips, taps).map((t) => t.map((v) => v.taps.map((x) => x.tapId)));

describe('attributeTaps', () => {
  it.each<[string, { visits: Visit[] }[], StoredTap[], string[][][]]>([
    ['a tap at a visited stop counts there', [{ visits: [visited('S1', 0, 1), visited('S2', 5, 6)] }], [tap('a', 5.5, 'S2')], [[[], ['a']]]],
    ['a tap naming another stop does not count at this one', [{ visits: [visited('S1', 0, 1)] }], [tap('a', 0.5, 'S9')], [[[]]]],
    ['a tap without a stopId is matched by time', [{ visits: [visited('S1', 0, 1), visited('S2', 5, 6)] }], [tap('a', 6.5), tap('b', 0.2)], [[['b'], ['a']]]],
    [
      'the slack holds a tap a minute either side of the visit',
      [{ visits: [visited('S1', 10, 11)] }],
      [tap('early', 9), tap('late', 12), tap('too-late', 12.1)],
      [[['early', 'late']]],
    ],
    ['a visit without departure is a moment at its arrival', [{ visits: [visited('S1', 10)] }], [tap('a', 10.9), tap('b', 11.1)], [[['a']]]],
    [
      'a tap outside every trip counts nowhere',
      [{ visits: [visited('S1', 0, 1)] }, { visits: [visited('S1', 60, 61)] }],
      [tap('between', 30, 'S1')],
      [[[]], [[]]],
    ],
    [
      'skipped and unobserved visits take no taps',
      [
        {
          visits: [
            { stopId: 'S1', status: 'skipped' },
            { stopId: 'S2', status: 'unobserved' },
          ],
        },
      ],
      [tap('a', 0, 'S1'), tap('b', 0)],
      [[[], []]],
    ],
    [
      'a loop visits its terminal twice: each tap counts at the visit of its time, once',
      [{ visits: [visited('T', 0, 1), visited('S2', 10, 11), visited('T', 20, 21)] }],
      [tap('out', 0.5, 'T'), tap('back', 20.5, 'T')],
      [[['out'], [], ['back']]],
    ],
    ['windows that overlap give a tap to the first visit only', [{ visits: [visited('T', 0, 1), visited('T', 1.5, 2)] }], [tap('a', 1.2, 'T')], [[['a'], []]]],
    [
      'a tap counts in one trip only when two trips touch',
      [{ visits: [visited('T', 0, 1)] }, { visits: [visited('T', 1.5, 3)] }],
      [tap('a', 1.2)],
      [[['a']], [[]]],
    ],
    ['no trips, no fares', [], [tap('a', 0)], []],
  ])('%s', (_, trips, taps, expected) => {
    expect(tapIds(trips, taps)).toEqual(expected);
  });

  it('adds up boardings, transactions and revenue, and keeps only the tap fields a visit stores', () => {
    const fares = attributeTaps([{ visits: [visited('S1', 0, 1)] }], [tap('a', 0.5, 'S1', 7000), tap('b', 0.6, undefined, 3500)])[0]?.[0];
    expect(fares).toEqual({
      boardings: 2,
      transactions: 2,
      revenueVnd: 10_500,
      taps: [
        { tapId: 'a', ts: T0 + 0.5 * min, amountVnd: 7000, product: 'single', medium: 'card', cardHash: 'h-a' },
        { tapId: 'b', ts: T0 + 0.6 * min, amountVnd: 3500, product: 'single', medium: 'card', cardHash: 'h-b' },
      ],
    });
  });
});

describe('the card fields a fare transaction keeps', () => {
  const fareOf = (t: StoredTap) => attributeTaps([{ visits: [visited('S1', 0, 1)] }], [t])[0]![0]!.taps[0];

  it('keeps the key version and link hashes a tap carries after a key rotation', () => {
    const rotated = { ...tap('a', 0.5, 'S1'), cardHash: 'h2-a', cardKeyVersion: 2, cardLinkHashes: { 1: 'h1-a' } };
    expect(fareOf(rotated)).toEqual({
      tapId: 'a',
      ts: T0 + 0.5 * min,
      amountVnd: 7000,
      product: 'single',
      medium: 'card',
      cardHash: 'h2-a',
      cardKeyVersion: 2,
      cardLinkHashes: { 1: 'h1-a' },
    });
  });

  it('adds none to a tap from before any rotation: version 1 and no link hashes are left out, as the tap stores them', () => {
    expect(fareOf(tap('a', 0.5))).toEqual({ tapId: 'a', ts: T0 + 0.5 * min, amountVnd: 7000, product: 'single', medium: 'card', cardHash: 'h-a' });
    expect(fareOf({ ...tap('a', 0.5), cardKeyVersion: 1, cardLinkHashes: {} })).not.toHaveProperty('cardKeyVersion');
    expect(fareOf({ ...tap('a', 0.5), cardKeyVersion: 1, cardLinkHashes: {} })).not.toHaveProperty('cardLinkHashes');
  });
});

describe('tapFitsVisit', () => {
  it('takes the slack it is given', () => {
    expect(tapFitsVisit(tap('a', 12), visited('S1', 10, 11))).toBe(true);
    expect(TAP_SLACK_MS).toBe(min);
    expect(tapFitsVisit(tap('a', 12), visited('S1', 10, 11), 30_000)).toBe(false);
  });
});
