/**
 * The API benchmark's timeline: requests per second of the run by the second they were sent, with their p50, p99
 * and max, beside what the API's process did in that second (its event loop's longest delay, its GC pauses). A
 * stall shows as one second whose max is the stall, requests queued behind it in the next. Pure, so its test
 * holds the bucketing and the printing.
 */

/** One answered request: when it was sent (epoch ms) and how long it took. */
export interface TimedRequest {
  sentMs: number;
  latencyMs: number;
}

/** What the API's process measured in one second (epoch second). */
export interface ProcessSecond {
  second: number;
  /** Longest event loop delay seen in that second, ms. */
  loopMaxMs: number;
  /** Time spent in GC pauses, ms, and the longest one. */
  gcMs: number;
  gcMaxMs: number;
}

export interface TimelineSecond {
  /** Epoch second. */
  second: number;
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Requests bucketed by the epoch second they were sent in, every second from the first to the last. */
export function timelineOf(requests: readonly TimedRequest[]): TimelineSecond[] {
  if (!requests.length) return [];
  const bySecond = new Map<number, number[]>();
  for (const r of requests) {
    const s = Math.floor(r.sentMs / 1000);
    const list = bySecond.get(s);
    if (list) list.push(r.latencyMs);
    else bySecond.set(s, [r.latencyMs]);
  }
  const seconds = [...bySecond.keys()];
  const first = Math.min(...seconds);
  const last = Math.max(...seconds);
  const out: TimelineSecond[] = [];
  for (let s = first; s <= last; s++) {
    const sorted = (bySecond.get(s) ?? []).sort((a, b) => a - b);
    out.push({ second: s, count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: round(sorted.at(-1) ?? 0) });
  }
  return out;
}

/** Nearest-rank percentile of sorted values, ms to 0.1. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * The timeline as text, one line per second from the run's start: requests sent, their p50/p99/max, then the
 * API process's loop delay and GC of that second, and the load generator's loop delay; a line is marked `<<`
 * when its max passes `markMs`.
 */
export function formatTimeline(seconds: readonly TimelineSecond[], api: readonly ProcessSecond[], loader: readonly ProcessSecond[], markMs = 50): string {
  const apiBySecond = new Map(api.map((a) => [a.second, a]));
  const loaderBySecond = new Map(loader.map((a) => [a.second, a]));
  const start = seconds[0]?.second ?? 0;
  const n = (v: number | undefined, w: number) => (v === undefined ? '-' : String(Math.round(v))).padStart(w);
  const lines = ['   s  reqs   p50   p99    max | api loop  gc ms (max) | loader loop'];
  for (const s of seconds) {
    const a = apiBySecond.get(s.second);
    const gc = a ? `${n(a.gcMs, 6)} ${`(${Math.round(a.gcMaxMs)})`.padStart(5)}` : n(undefined, 12);
    lines.push(
      `${n(s.second - start, 4)} ${n(s.count, 5)} ${n(s.p50Ms, 5)} ${n(s.p99Ms, 5)} ${n(s.maxMs, 6)} | ${n(a?.loopMaxMs, 8)} ${gc} | ` +
        `${n(loaderBySecond.get(s.second)?.loopMaxMs, 11)}${s.maxMs > markMs ? '  <<' : ''}`,
    );
  }
  return lines.join('\n');
}
