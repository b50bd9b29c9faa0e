/** The device clock estimator: live lags give the offset, buffered uploads and latency noise do not move it. */
import { describe, expect, it } from 'vitest';
import { type ClockState, estimateClockOffset, type MessageTiming, updateClock } from '../../../shared/domain/telemetry/clock-offset.js';

const t0 = Date.parse('2026-11-26T01:00:00Z');

/** Live messages every `everyMs`, each received `latencyMs(i)` after its newest record, from a clock `offsetMs` ahead. */
function live(n: number, offsetMs: number, latencyMs: (i: number) => number = () => 300, everyMs = 10_000, from = t0): MessageTiming[] {
  return Array.from({ length: n }, (_, i) => {
    const trueTs = from + i * everyMs;
    return { receivedAt: trueTs + latencyMs(i), newestTs: trueTs + offsetMs, records: 1 };
  });
}

/** A buffered upload received at `atMs`: records taken `ageMs` earlier. */
function buffered(atMs: number, ageMs: number, offsetMs: number, records = 1): MessageTiming {
  return { receivedAt: atMs, newestTs: atMs - ageMs + offsetMs, records };
}

/** Latency that is usually short with an occasional slow delivery (deterministic). */
const noisy = (i: number) => 150 + ((i * 7919) % 900) + (i % 6 === 5 ? 12_000 : 0);

describe('updateClock', () => {
  const cases: { name: string; messages: MessageTiming[]; offsetMs: number; estimateMs?: [number, number] }[] = [
    { name: 'a clock 30 s ahead is corrected', messages: live(12, 30_000), offsetMs: -1, estimateMs: [29_600, 29_800] },
    { name: 'a clock 30 s behind is corrected', messages: live(12, -30_000), offsetMs: -1, estimateMs: [-30_400, -30_200] },
    { name: 'a right clock is left alone', messages: live(12, 0), offsetMs: 0, estimateMs: [-400, -200] },
    { name: 'an offset under 5 s is estimated but not applied', messages: live(12, 3_000), offsetMs: 0, estimateMs: [2_600, 2_800] },
    { name: 'noisy latency with slow deliveries', messages: live(15, 30_000, noisy), offsetMs: -1, estimateMs: [28_900, 29_900] },
    {
      name: 'buffered uploads mixed in do not move it',
      messages: [
        ...live(6, -20_000),
        buffered(t0 + 55_000, 20 * 60_000, -20_000, 600),
        buffered(t0 + 55_200, 19 * 60_000, -20_000, 12),
        ...Array.from({ length: 8 }, (_, i) => buffered(t0 + 55_400 + i * 200, (18 - i) * 60_000, -20_000)),
        ...live(6, -20_000, () => 300, 10_000, t0 + 60_000),
      ],
      offsetMs: -1,
      estimateMs: [-20_400, -20_200],
    },
    { name: 'too few samples: nothing applied', messages: live(3, 30_000), offsetMs: 0 },
    {
      name: 'a buffered upload first is no evidence against the live messages after it',
      messages: [buffered(t0, 30 * 60_000, 0, 40), ...live(8, 12_000, () => 300, 10_000, t0 + 1_000)],
      offsetMs: -1,
      estimateMs: [11_600, 11_800],
    },
  ];
  it.each(cases)('$name', ({ messages, offsetMs, estimateMs }) => {
    const clock = updateClock(undefined, messages);
    if (estimateMs) {
      expect(clock.estimateMs).toBeGreaterThanOrEqual(estimateMs[0]);
      expect(clock.estimateMs).toBeLessThanOrEqual(estimateMs[1]);
    } else {
      expect(clock.estimateMs).toBeUndefined();
    }
    expect(clock.offsetMs).toBe(offsetMs === -1 ? clock.estimateMs : offsetMs);
  });

  it('gives the same result one message per batch as in one batch (the state carries between invocations)', () => {
    const messages = live(20, -30_000, noisy);
    let state: ClockState | undefined;
    for (const m of messages) state = structuredClone(updateClock(state, [m]));
    expect(state).toEqual(updateClock(undefined, messages));
  });

  it('keeps a bounded window of recent samples', () => {
    const clock = updateClock(undefined, live(100, 30_000));
    expect(clock.samples.length).toBeLessThanOrEqual(15);
    expect(clock.samples.at(-1)![0]).toBe(t0 + 99 * 10_000 + 300);
  });

  it('keeps the last estimate when the window has run dry (the bus was off)', () => {
    const morning = updateClock(undefined, live(10, 30_000));
    const later = updateClock(
      morning,
      live(2, 30_000, () => 300, 10_000, t0 + 6 * 3_600_000),
    );
    expect(later.offsetMs).toBe(morning.offsetMs);
    expect(later.samples).toHaveLength(2);
  });

  it('follows a clock that was set right during the day', () => {
    let clock = updateClock(undefined, live(15, 30_000));
    clock = updateClock(
      clock,
      live(15, 0, () => 300, 10_000, t0 + 200_000),
    );
    expect(clock.offsetMs).toBe(0);
  });

  it('does not flap around the limit: a correction in force stays above 4 s', () => {
    const applied = updateClock(undefined, live(15, 5_600));
    expect(applied.offsetMs).toBeGreaterThan(5_000);
    const drifted = updateClock(
      applied,
      live(15, 4_800, () => 300, 10_000, t0 + 200_000),
    );
    expect(drifted.offsetMs).toBe(drifted.estimateMs);
    expect(updateClock(undefined, live(15, 4_800)).offsetMs).toBe(0);
  });
});

describe('estimateClockOffset', () => {
  it('needs a cluster holding half of the samples', () => {
    expect(estimateClockOffset([0, 20_000, 40_000, 60_000, 80_000, 100_000])).toBeUndefined();
    expect(estimateClockOffset([-30_000, -29_900, -29_700, -29_500, -29_800, 600_000])).toBe(29_800);
  });
});
