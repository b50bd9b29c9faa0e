/**
 * The load generator of the API benchmark in its own process, as clients are remote from the server: runs
 * autocannon with the options and the request mix it is sent over IPC, and sends back the figures per kind of
 * request and overall, and per second, for each run it is sent. Each connection starts at its own place in the mix,
 * so they do not all ask the same ids.
 */
import autocannon, { type Client, type Options } from 'autocannon';
import type { MixRequest } from './api-mix.js';
import { recordProcessSeconds } from './process-seconds.js';
import { percentile, round, timelineOf, type ProcessSecond, type TimelineSecond, type TimedRequest } from './timeline.js';

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  /** Requests per second over all connections; absent: as fast as they answer. */
  overallRate?: number;
  requests: MixRequest[];
}

export interface KindFigures {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
}

export interface LoadResult {
  total: number;
  durationS: number;
  overall: KindFigures & { p90Ms: number };
  byKind: Record<string, KindFigures>;
  /** Connection errors and timeouts (no answer). */
  transportErrors: number;
  /** A few paths that answered other than 2xx, with their status. */
  failures: string[];
  /** Per second of the run, by the second each request was sent. */
  timeline: TimelineSecond[];
  /** The load generator's own event loop and GC, per second. */
  loaderSeconds: ProcessSecond[];
}

const loaderSeconds = recordProcessSeconds();

// One process for the warm-up and the measured run: a load generator just started (module loading, cold code)
// answers its first requests' timings a second late, which would be counted as the API's latency.
process.on('message', (opts: LoadOptions) => {
  run(opts).then(
    (result) => process.send!(result),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});

async function run(opts: LoadOptions): Promise<LoadResult> {
  const latencies = new Map<string, number[]>();
  const non2xx = new Map<string, number>();
  const failures: string[] = [];
  const timed: TimedRequest[] = [];
  // autocannon tells a request's answer (its status, to the request's onResponse) just before its timing (the
  // 'response' event), in the same tick: the kind is carried from one to the other.
  let answered: { kind: string; status: number } | undefined;
  const requests = opts.requests.map((r) => ({
    method: r.method,
    path: r.path,
    onResponse: (status: number) => {
      answered = { kind: r.kind, status };
      if (status < 200 || status > 299) {
        non2xx.set(r.kind, (non2xx.get(r.kind) ?? 0) + 1);
        if (failures.length < 10) failures.push(`${status} ${r.path}`);
      }
    },
  }));
  // One autocannon instance per connection, started 1/connections s apart. autocannon's rate limit lets each
  // connection send its share of a second's requests back to back, then wait for its own one-second tick: started
  // together, all connections would ask at the same instant each second (200 requests in a burst, which no set of
  // passengers does); staggered, the second's requests spread over it. (Earlier, one instance set up every
  // connection with the whole mix, one after the other, which spread them by accident — and timed the first
  // connections' first requests through the others' setup, ~1 s.) Each connection is given only the requests it
  // can send in the run (its share of the rate for the run's seconds, and one more): the ones it sent before.
  // As autocannon does, no more connections than requests per second: each sends at least one a second.
  const connections = opts.overallRate ? Math.max(1, Math.min(opts.connections, opts.overallRate)) : opts.connections;
  const share = (i: number) => (opts.overallRate ? Math.floor(opts.overallRate / connections) + (i < opts.overallRate % connections ? 1 : 0) : 0);
  const startedMs = Date.now();
  const runs = Array.from({ length: connections }, async (_, i) => {
    await new Promise((resolve) => setTimeout(resolve, (i * 1000) / connections));
    const offset = Math.floor((i * requests.length) / connections);
    const length = share(i) ? Math.min(requests.length, share(i) * (opts.durationS + 1)) : requests.length;
    const options: Options = {
      url: opts.url,
      connections: 1,
      duration: opts.durationS,
      timeout: 10,
      requests: Array.from({ length }, (_, k) => requests[(offset + k) % requests.length]!),
      ...(share(i) ? { overallRate: share(i) } : {}),
    };
    const instance = autocannon(options);
    instance.on('response', (_client: Client, _status: number, _bytes: number, responseTimeMs: number) => {
      if (!answered) return;
      timed.push({ sentMs: Date.now() - responseTimeMs, latencyMs: responseTimeMs });
      const list = latencies.get(answered.kind);
      if (list) list.push(responseTimeMs);
      else latencies.set(answered.kind, [responseTimeMs]);
      answered = undefined;
    });
    return instance;
  });
  const results = await Promise.all(runs);
  const r = {
    total: results.reduce((n, x) => n + x.requests.total, 0),
    // From the first connection's start to the last one's end.
    durationS: (Date.now() - startedMs) / 1000,
    non2xx: results.reduce((n, x) => n + x.non2xx, 0),
    transportErrors: results.reduce((n, x) => n + x.errors + x.timeouts, 0),
  };
  const byKind: Record<string, KindFigures> = {};
  for (const [kind, list] of latencies) byKind[kind] = figures(list, non2xx.get(kind) ?? 0);
  const all = [...latencies.values()].flat();
  const overall = {
    ...figures(all, r.non2xx),
    p90Ms: percentile(
      all.sort((a, b) => a - b),
      90,
    ),
  };
  return { ...r, overall, byKind, failures, timeline: timelineOf(timed), loaderSeconds: loaderSeconds() };
}

function figures(list: number[], non2xx: number): KindFigures {
  const sorted = [...list].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: round(sorted.at(-1) ?? 0), non2xx };
}
