import { describe, expect, it } from 'vitest';
import { summariseTripPerformed } from '../../../shared/domain/journeys/trip-performed.js';
import type { JourneyPattern, StopVisit, StopVisitStatus } from '../../../shared/domain/journeys/types.js';

const pattern: JourneyPattern = { lengthM: 3600, stops: Array.from({ length: 10 }, (_, i) => ({ stopId: `S${i + 1}`, distanceM: i * 400 })) };

/** Visits from a status string: v visited, s skipped, u unobserved; visited stop i arrives at 100·i s and stays 20 s. */
function visits(statuses: string): StopVisit[] {
  const code: Record<string, StopVisitStatus> = { v: 'visited', s: 'skipped', u: 'unobserved' };
  return [...statuses].map((ch, i) => {
    const status = code[ch]!;
    const base = { stopId: `S${i + 1}`, stopSequence: i + 1, status, evidence: { method: 'slow-fixes' as const, fixesInZone: 1, slowFixesInZone: 1 } };
    return status === 'visited' ? { ...base, arrivalMs: i * 100_000, departureMs: i * 100_000 + 20_000, dwellS: 20 } : base;
  });
}

describe('summariseTripPerformed', () => {
  it.each([
    {
      name: 'every stop visited',
      s: 'vvvvvvvvvv',
      ended: false,
      status: 'completed',
      performed: true,
      counts: [10, 0, 0],
      startMs: 20_000,
      endMs: 900_000,
      distanceM: 3600,
    },
    {
      name: 'one skipped stop',
      s: 'vvvvsvvvvv',
      ended: false,
      status: 'completed',
      performed: true,
      counts: [9, 1, 0],
      startMs: 20_000,
      endMs: 900_000,
      distanceM: 3600,
    },
    {
      name: 'on the way, last stop not reached',
      s: 'vvvvvvvuuu',
      ended: false,
      status: 'in_progress',
      performed: true,
      counts: [7, 0, 3],
      startMs: 20_000,
      endMs: 600_000,
      distanceM: 2400,
    },
    {
      name: 'ended before its last stop',
      s: 'vvvvvvvuuu',
      ended: true,
      status: 'partial',
      performed: true,
      counts: [7, 0, 3],
      startMs: 20_000,
      endMs: 600_000,
      distanceM: 2400,
    },
    {
      name: 'reached the end through a data gap',
      s: 'vvvuuuuvvv',
      ended: false,
      status: 'partial',
      performed: true,
      counts: [6, 0, 4],
      startMs: 20_000,
      endMs: 900_000,
      distanceM: 3600,
    },
    {
      name: 'short-turned: too little run to count',
      s: 'uuuuuuvvvv',
      ended: false,
      status: 'partial',
      performed: false,
      counts: [4, 0, 6],
      startMs: 620_000,
      endMs: 900_000,
      distanceM: 1200,
    },
    {
      name: 'nothing observed',
      s: 'uuuuuuuuuu',
      ended: false,
      status: 'in_progress',
      performed: false,
      counts: [0, 0, 10],
      startMs: undefined,
      endMs: undefined,
      distanceM: 0,
    },
    {
      name: 'nothing observed, ended',
      s: 'uuuuuuuuuu',
      ended: true,
      status: 'partial',
      performed: false,
      counts: [0, 0, 10],
      startMs: undefined,
      endMs: undefined,
      distanceM: 0,
    },
  ])('$name → $status', ({ s, ended, status, performed, counts, startMs, endMs, distanceM }) => {
    const trip = summariseTripPerformed(pattern, visits(s), { ended });
    expect(trip).toEqual({
      status,
      performed,
      stopsVisited: counts[0],
      stopsSkipped: counts[1],
      stopsUnobserved: counts[2],
      ...(startMs === undefined ? {} : { startMs }),
      ...(endMs === undefined ? {} : { endMs }),
      distanceM,
    });
  });

  it('is in progress for a pattern without stops', () => {
    expect(summariseTripPerformed({ lengthM: 0, stops: [] }, [])).toMatchObject({ status: 'in_progress', performed: false, distanceM: 0 });
  });
});
