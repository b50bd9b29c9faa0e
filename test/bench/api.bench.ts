/**
 * `npm run bench:api` — the public API under load: the local stack (DynamoDB Local and the HTTP server on
 * 127.0.0.1, free ports), the sample network, 300 live buses stored as vehicle items on trips running at 08:00,
 * then autocannon at a fixed rate (default 200 requests/s) mixed over nearby stops, stop search and both
 * GTFS-Realtime feeds. Prints a table and, last, one line of JSON. Target: p99 < 50 ms, zero errors.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Options } from 'autocannon';
import { ScaledClock } from '../../infra/local/scaled-clock.js';
import { startLocalStack, type LocalStack } from '../../infra/local/local-stack.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
import type { Network, Trip } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { measurePolyline, pointAtDistance } from '../../shared/kernel/geo/polyline.js';
import { forEachLimit } from '../../shared/kernel/util/concurrency.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import type { LoadResult } from './api-load-worker.js';

const BUSES = Number(process.env.BENCH_BUSES ?? 300);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DAY = '2026-03-10';
const AT_S = 8 * 3600;

const log = (s: string) => process.stderr.write(`${s}\n`);

/** A trip for each bus: those under way at `atS` first, then those about to leave (their bus at the terminal). */
function runningTrips(network: Network, atS: number): Trip[] {
  const open = [...network.trips.values()].filter((t) => t.stopTimes.at(-1)!.arrivalS > atS);
  const startsIn = (t: Trip) => Math.max(0, t.stopTimes[0]!.departureS - atS);
  return open.sort((a, b) => startsIn(a) - startsIn(b) || a.tripId.localeCompare(b.tripId)).slice(0, BUSES);
}

/** Where a bus running `trip` on time stands at `atS`: between the stop times around it. */
function scheduledDistanceM(trip: Trip, atS: number): number {
  const sts = trip.stopTimes;
  for (let i = 1; i < sts.length; i++) {
    const a = sts[i - 1]!;
    const b = sts[i]!;
    if (atS <= b.arrivalS)
      return atS <= a.departureS ? a.distanceM : a.distanceM + ((atS - a.departureS) / Math.max(1, b.arrivalS - a.departureS)) * (b.distanceM - a.distanceM);
  }
  return sts.at(-1)!.distanceM;
}

async function storeBuses(stack: LocalStack, network: Network, nowMs: number): Promise<number> {
  const trips = runningTrips(network, AT_S);
  await forEachLimit(
    trips.map((trip, i) => ({ trip, i })),
    16,
    async ({ trip, i }) => {
      const busId = `BENCH-${String(i + 1).padStart(3, '0')}`;
      await stack.vehicles.register({ busId, operatorId: 'OP1', plate: `51B-${String(i).padStart(3, '0')}.00` });
      const line = measurePolyline(network.shapes.get(trip.shapeId)!.points);
      const at = pointAtDistance(line, scheduledDistanceM(trip, AT_S));
      const failed = await stack.vehicles.advance([
        {
          busId,
          expectedVersion: 0,
          position: { ts: nowMs - 5_000, lat: at.lat, lon: at.lon, speedKmh: 18, heading: 90, receivedAt: nowMs - 4_000 },
          duty: { tsMs: nowMs - 600_000, onDuty: true, tripId: trip.tripId },
        },
      ]);
      if (failed.size) throw [...failed.values()][0]!;
    },
  );
  return trips.length;
}

/** The mixed requests: nearby stops around real stops, searches by name parts, both feeds. */
function requestsOf(network: Network): { method: string; path: string }[] {
  const stops = [...network.stops.values()].slice(0, 40);
  const words = [...new Set(stops.flatMap((s) => s.name.split(/\s+/).filter((w) => w.length > 2)))].slice(0, 20);
  const out: { method: string; path: string }[] = [];
  for (let i = 0; i < 40; i++) {
    const s = stops[i % stops.length]!;
    out.push({ method: 'GET', path: `/v1/stops?near=${s.lat.toFixed(5)},${s.lon.toFixed(5)}&radius=500` });
    out.push({ method: 'GET', path: `/v1/stops?q=${encodeURIComponent(words[i % words.length] ?? 'ben')}&limit=10` });
    out.push({ method: 'GET', path: i % 2 ? '/v1/gtfs-rt/vehicle-positions' : '/v1/gtfs-rt/trip-updates' });
  }
  // BENCH_ONLY=near|q|gtfs-rt: one kind alone, to see which one costs.
  const only = process.env.BENCH_ONLY;
  return only ? out.filter((r) => r.path.includes(only)) : out;
}

/** autocannon in a child process; killed if the benchmark ends first. */
function load(opts: Options, children: Set<ReturnType<typeof fork>>): Promise<LoadResult> {
  const child = fork(fileURLToPath(new URL('./api-load-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  return new Promise<LoadResult>((resolve, reject) => {
    child.once('message', (m: LoadResult) => resolve(m));
    child.once('exit', (code) => {
      children.delete(child);
      reject(new Error(`load generator exited with ${code}`));
    });
    child.send(opts);
  });
}

async function main(): Promise<void> {
  const { network } = await loadGtfs(SAMPLE_NETWORK_DIR);
  const clock = new ScaledClock(serviceTimeToEpochMs(DAY, AT_S, network.timezone), 1);
  clock.start();
  let stack: LocalStack | undefined;
  const children = new Set<ReturnType<typeof fork>>();
  const stop = async () => {
    for (const child of children) child.kill();
    const s = stack;
    stack = undefined;
    await s?.stop();
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  try {
    stack = await startLocalStack({
      logger: silentLogger,
      clock,
      expireItems: false,
      cardHashKey: 'bench-card-hash-key-0123456789abcdef',
      mqttPort: 0,
      httpPort: 0,
      tablePrefix: 'bench-api-',
      network: { network, source: 'bench' },
    });
    const buses = await storeBuses(stack, network, clock.now());
    log(`${buses} live buses stored; API at ${stack.http!.url}`);
    const url = stack.http!.url;
    const requests = requestsOf(network);
    // Warm-up: the network loads and indexes once, the first feed build measures the shapes.
    await load({ url, connections: 4, duration: 3, requests }, children);
    const check = (await (await fetch(`${url}/v1/gtfs-rt/vehicle-positions?format=json`)).json()) as { entity: unknown[] };
    log(`vehicle positions published: ${check.entity.length}`);
    const r = await load({ url, connections: CONNECTIONS, overallRate: RATE, duration: SECONDS, timeout: 10, requests }, children);
    const rps = Math.round(r.total / r.durationS);
    console.log('| buses | requests | rps | p50 ms | p90 ms | p99 ms | max ms | errors |');
    console.log('|---|---|---|---|---|---|---|---|');
    console.log(`| ${buses} | ${r.total} | ${rps} | ${r.p50Ms} | ${r.p90Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.errors} |`);
    console.log(JSON.stringify({ bench: 'api', rps, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.errors }));
  } finally {
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
