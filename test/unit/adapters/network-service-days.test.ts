/** The service days the journeys adapter recomputes for the instants ingestion names: the network's, each once. */
import { describe, expect, it } from 'vitest';
import { networkServiceDays } from '../../../shared/adapters/journeys.js';

describe('networkServiceDays', () => {
  it.each([
    ['an afternoon in Los Angeles is that day there, the next in Ho Chi Minh City', ['2007-06-05T22:30:00Z'], 'America/Los_Angeles', ['2007-06-05']],
    ['before 03:00 local belongs to the day before', ['2007-06-06T09:30:00Z'], 'America/Los_Angeles', ['2007-06-05']],
    ['the same instant in Ho Chi Minh City', ['2007-06-05T22:30:00Z'], 'Asia/Ho_Chi_Minh', ['2007-06-06']],
    [
      'instants of one day give it once; days come in order',
      ['2026-03-11T01:00:00Z', '2026-03-10T01:00:00Z', '2026-03-10T02:00:00Z'],
      'Asia/Ho_Chi_Minh',
      ['2026-03-10', '2026-03-11'],
    ],
    ['no instants, no day', [], 'Asia/Ho_Chi_Minh', []],
  ])('%s', (_, instants, zone, days) => {
    expect(
      networkServiceDays(
        instants.map((i) => Date.parse(i)),
        zone,
      ),
    ).toEqual(days);
  });
});
