/**
 * The load generator of the API benchmark in its own process, as clients are remote from the server: runs
 * autocannon with the options it is sent over IPC and sends back the figures.
 */
import autocannon, { type Options } from 'autocannon';

export interface LoadResult {
  total: number;
  durationS: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
}

process.once('message', (opts: Options) => {
  autocannon(opts).then(
    (r) => {
      const result: LoadResult = {
        total: r.requests.total,
        durationS: r.duration,
        p50Ms: r.latency.p50,
        p90Ms: r.latency.p90,
        p99Ms: r.latency.p99,
        maxMs: r.latency.max,
        errors: r.errors + r.timeouts + r.non2xx,
      };
      process.send!(result, () => process.exit(0));
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
