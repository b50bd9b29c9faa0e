/**
 * The load generator of the API benchmark in its own process, as clients are remote from the server: runs
 * autocannon with the options and the request mix it is sent over IPC, and sends back the figures per kind of
 * request and overall. Each connection starts at its own place in the mix, so they do not all ask the same ids.
 */
import autocannon, { type Client, type Options } from 'autocannon';
import type { MixRequest } from './api-mix.js';

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
}

process.once('message', (opts: LoadOptions) => {
  run(opts).then(
    (result) => process.send!(result, () => process.exit(0)),
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
  let clients = 0;
  const options: Options = {
    url: opts.url,
    connections: opts.connections,
    duration: opts.durationS,
    timeout: 10,
    requests,
    setupClient: (client: Client) => {
      const offset = Math.floor((clients++ * requests.length) / opts.connections);
      client.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
    },
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
  };
  const instance = autocannon(options);
  instance.on('response', (_client: Client, _status: number, _bytes: number, responseTimeMs: number) => {
    if (!answered) return;
    const list = latencies.get(answered.kind);
    if (list) list.push(responseTimeMs);
    else latencies.set(answered.kind, [responseTimeMs]);
    answered = undefined;
  });
  const r = await instance;
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
  return { total: r.requests.total, durationS: r.duration, overall, byKind, transportErrors: r.errors + r.timeouts, failures };
}

function figures(list: number[], non2xx: number): KindFigures {
  const sorted = [...list].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: round(sorted.at(-1) ?? 0), non2xx };
}

/** Nearest-rank percentile of sorted values, ms to 0.1. */
function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
