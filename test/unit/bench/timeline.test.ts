import { describe, expect, it } from 'vitest';
import { formatTimeline, timelineOf } from '../../bench/timeline.js';

describe('the API benchmark timeline', () => {
  it('buckets requests by the second they were sent, with every second from the first to the last', () => {
    const t0 = 1_000_000;
    const requests = [
      { sentMs: t0 + 10, latencyMs: 4 },
      { sentMs: t0 + 990, latencyMs: 1200 },
      { sentMs: t0 + 500, latencyMs: 2 },
      { sentMs: t0 + 2100, latencyMs: 7 },
    ];
    expect(timelineOf(requests)).toEqual([
      { second: 1000, count: 3, p50Ms: 4, p99Ms: 1200, maxMs: 1200 },
      { second: 1001, count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 },
      { second: 1002, count: 1, p50Ms: 7, p99Ms: 7, maxMs: 7 },
    ]);
    expect(timelineOf([])).toEqual([]);
  });

  it('prints a line per second from the start, marks the slow ones, and shows what each process did then', () => {
    const seconds = [
      { second: 50, count: 200, p50Ms: 2, p99Ms: 20, maxMs: 30 },
      { second: 51, count: 90, p50Ms: 40, p99Ms: 900, maxMs: 1000 },
    ];
    const text = formatTimeline(seconds, [{ second: 51, loopMaxMs: 180.4, gcMs: 12, gcMaxMs: 9 }], [{ second: 50, loopMaxMs: 7, gcMs: 0, gcMaxMs: 0 }]);
    const [head, first, second] = text.split('\n');
    expect(head).toContain('api loop');
    expect(first!.split(/\s+/).filter((c) => c && c !== '|')).toEqual(['0', '200', '2', '20', '30', '-', '-', '7']);
    expect(first).not.toContain('<<');
    expect(second!.split(/\s+/).filter((c) => c && c !== '|')).toEqual(['1', '90', '40', '900', '1000', '180', '12', '(9)', '-', '<<']);
  });
});
