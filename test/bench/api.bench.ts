/**
 * `npm run bench:api` — the public API under load while the fleet runs: the local stack (DynamoDB Local, the broker,
 * the router feeding the ingest handler; the HTTP server with the API handlers in a process of its own, as the API
 * functions run apart from ingest on AWS; 127.0.0.1 only, free ports), the sample network, and 300
 * buses each with its own MQTT connection, starting a trip under way at 08:00 (or about to leave, its bus at the
 * terminal) and publishing its scheduled position every 5 s through the broker during the whole load, so the
 * ingest path predicts and caches arrivals as it would in service. Then autocannon offers a fixed rate (default
 * 200 requests/s) mixed over a stop's arrivals (with and without routeId, every stop), nearby stops, stop search
 * (Vietnamese names with and without diacritics), a route's vehicles, one bus, and both GTFS-Realtime feeds, with
 * the network's and the fleet's real ids. Prints a timeline per second (requests, p50/p99/max, what the API's and the
 * load generator's processes did), a table per kind of request and, last, one line of JSON.
 * Target: p99 < 50 ms, zero errors (transport errors and any answer other than 2xx).
 */
import { fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ScaledClock } from '../../infra/local/scaled-clock.js';
import { startLocalStack, type LocalStack } from '../../infra/local/local-stack.js';
import { registerBus } from '../../infra/local/register-bus.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
import { serviceRunsOn } from '../../shared/gtfs/calendar.js';
import type { Network, Trip } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { forEachLimit } from '../../shared/kernel/util/concurrency.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { API_REQUEST_KINDS, apiRequestMix, type MixSample } from './api-mix.js';
import type { LoadOptions, LoadResult } from './api-load-worker.js';
import type { ApiServerCommand } from './api-server-worker.js';
import type { FleetBus, FleetCommand, FleetReply } from './fleet-worker.js';
import { formatTimeline, type ProcessSecond } from './timeline.js';

const BUSES = Number(process.env.BENCH_BUSES ?? 300);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const GPS_INTERVAL_S = Number(process.env.BENCH_GPS_INTERVAL_S ?? 5);
/** Seconds of fleet and load before the measured run: the network loads and indexes, the first predictions land. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 15);
/**
 * BENCH_SHARED_LOOP=1: the API in the stack's process, on the event loop of the broker, router and ingest handler, as
 * `npm start` runs it; by default it has a process of its own, as the API functions run apart from ingest on AWS.
 */
const SHARED_LOOP = process.env.BENCH_SHARED_LOOP === '1';
const TABLE_PREFIX = 'bench-api-';
const CARD_HASH_KEY = 'bench-card-hash-key-0123456789abcdef';
/** Longest wait after the warm-up for the ingest's first predictions. */
const CATCH_UP_S = Number(process.env.BENCH_CATCH_UP_SECONDS ?? 90);
const DAY = '2026-03-10';
const AT_S = 8 * 3600;

const log = (s: string) => process.stderr.write(`${s}\n`);

/** A trip for each bus: those under way at `atS` first, then those about to leave (their bus at the terminal). */
function runningTrips(network: Network, day: string, atS: number): Trip[] {
  const open = [...network.trips.values()].filter((t) => {
    const service = network.services.get(t.serviceId);
    return service !== undefined && serviceRunsOn(service, day) && t.stopTimes.at(-1)!.arrivalS > atS;
  });
  const startsIn = (t: Trip) => Math.max(0, t.stopTimes[0]!.departureS - atS);
  return open.sort((a, b) => startsIn(a) - startsIn(b) || a.tripId.localeCompare(b.tripId)).slice(0, BUSES);
}

/** The fleet: each bus registered (its MQTT secret), on its trip, with the trip's shape and timed schedule. */
async function fleetOf(stack: LocalStack, network: Network): Promise<FleetBus[]> {
  const midnightMs = serviceTimeToEpochMs(DAY, 0, network.timezone);
  const trips = runningTrips(network, DAY, AT_S);
  const buses: FleetBus[] = [];
  await forEachLimit(
    trips.map((trip, i) => ({ trip, i })),
    16,
    async ({ trip, i }) => {
      const busId = `BENCH-${String(i + 1).padStart(3, '0')}`;
      const { secret } = await registerBus(stack.vehicles, { busId, operatorId: 'OP1', plate: `51B-${String(i).padStart(3, '0')}.00` });
      const schedule = trip.stopTimes.flatMap((st): [number, number][] => [
        [midnightMs + st.arrivalS * 1000, st.distanceM],
        [midnightMs + st.departureS * 1000, st.distanceM],
      ]);
      const shape = network.shapes.get(trip.shapeId)!.points.map(({ lat, lon }) => ({ lat, lon }));
      buses.push({ busId, secret, trip: { tripId: trip.tripId, shape, schedule } });
    },
  );
  return buses.sort((a, b) => a.busId.localeCompare(b.busId));
}

/** The ids the mix asks: every stop (with the routes its trips serve), every route, every bus of the fleet. */
function mixSample(network: Network, busIds: string[]): MixSample {
  const routesAtStop = new Map<string, Set<string>>();
  for (const trip of network.trips.values())
    for (const st of trip.stopTimes) (routesAtStop.get(st.stopId) ?? routesAtStop.set(st.stopId, new Set()).get(st.stopId)!).add(trip.routeId);
  return {
    stops: [...network.stops.values()].map((s) => ({
      stopId: s.stopId,
      name: s.name,
      lat: s.lat,
      lon: s.lon,
      routeIds: [...(routesAtStop.get(s.stopId) ?? [])].sort(),
    })),
    routeIds: [...network.routes.keys()].sort(),
    busIds,
  };
}

type Child = ReturnType<typeof fork>;

function child(file: string, children: Set<Child>, execArgv: string[] = []): Child {
  const c = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
}

/** One answer of a child to one message; rejects if it exits first. */
function ask<T>(c: Child, message: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child process exited with ${code}`));
    c.once('exit', onExit);
    c.once('message', (m: T) => {
      c.off('exit', onExit);
      resolve(m);
    });
    c.send(message as object);
  });
}

function sumCpu({ user, system }: NodeJS.CpuUsage): number {
  return user + system;
}

function table(r: LoadResult): string {
  const rows = [...API_REQUEST_KINDS.filter((k) => r.byKind[k]).map((k) => ({ kind: k, ...r.byKind[k]! })), { kind: 'overall', ...r.overall }];
  const head = ['request', 'count', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx'];
  const cells = rows.map((x) => [x.kind, String(x.count), String(x.p50Ms), String(x.p99Ms), String(x.maxMs), String(x.non2xx)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => (i ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { network } = await loadGtfs(SAMPLE_NETWORK_DIR);
  const clock = new ScaledClock(serviceTimeToEpochMs(DAY, AT_S, network.timezone), 1);
  clock.start();
  let stack: LocalStack | undefined;
  const children = new Set<Child>();
  const stop = async () => {
    for (const c of children) c.kill();
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
      cardHashKey: CARD_HASH_KEY,
      mqttPort: 0,
      ...(SHARED_LOOP ? { httpPort: 0 } : {}),
      tablePrefix: TABLE_PREFIX,
      network: { network, source: 'bench' },
    });
    // BENCH_PROFILE_API=DIR: a CPU profile of the API's process, written to DIR when the benchmark ends.
    const profile = process.env.BENCH_PROFILE_API ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_API}`] : [];
    const apiServer = SHARED_LOOP ? undefined : child('./api-server-worker.ts', children, profile);
    const options = { dynamodbEndpoint: stack.dynamodbEndpoint, tablePrefix: TABLE_PREFIX, cardHashKey: CARD_HASH_KEY, clock: clock.describe() };
    const url = apiServer ? (await ask<{ url: string }>(apiServer, { cmd: 'start', options } satisfies ApiServerCommand)).url : stack.http!.url;
    // CPU time of the API's process, µs (the whole stack's process when the API shares it).
    const cpuUs = async () =>
      apiServer ? (await ask<{ cpuUs: number }>(apiServer, { cmd: 'cpu' } satisfies ApiServerCommand)).cpuUs : sumCpu(process.cpuUsage());
    const buses = await fleetOf(stack, network);
    const fleet = child('./fleet-worker.ts', children);
    await ask<FleetReply>(fleet, { cmd: 'connect', url: stack.broker.url, buses } satisfies FleetCommand);
    const driving = await ask<FleetReply>(fleet, { cmd: 'drive', clock: clock.describe(), intervalS: GPS_INTERVAL_S } satisfies FleetCommand);
    log(`${driving.type === 'driving' ? driving.buses : 0} buses on their trips, publishing every ${GPS_INTERVAL_S} s; API at ${url}`);
    const progress = setInterval(() => {
      const r = stack?.router.stats;
      if (r) log(`  ingest: ${r.accepted} messages taken, ${r.delivered} delivered, ${r.pending} pending, ${stack?.ingested.gpsStored} fixes stored`);
    }, 10_000);

    // autocannon in a child process of its own (the load generator must not share the server's event loop), the
    // same one for the warm-up and the measure, so its own start is not timed.
    const loader = child('./api-load-worker.ts', children);
    const load = (opts: LoadOptions) => ask<LoadResult>(loader, opts);
    const requests = apiRequestMix(
      mixSample(
        network,
        buses.map((b) => b.busId),
      ),
      Math.max(2000, RATE * 10),
    );
    // BENCH_ONLY=kind[,kind]: only those kinds, to see which one costs.
    const only = process.env.BENCH_ONLY?.split(',');
    const mix = only ? requests.filter((r) => only.includes(r.kind)) : requests;
    // Warm-up at the same rate: the network loads and indexes once, the first predictions are cached.
    await load({ url, connections: CONNECTIONS, overallRate: RATE, durationS: WARMUP_SECONDS, requests: mix });
    // The measure starts once the ingest has stored two rounds of fixes, so every bus is matched and its arrivals predicted.
    const predictedBy = Date.now() + CATCH_UP_S * 1000;
    const predicted = () => stack!.ingested.gpsStored >= 2 * buses.length;
    while (!predicted() && Date.now() < predictedBy) await new Promise((r) => setTimeout(r, 500));
    if (!predicted()) log(`  the ingest has stored only ${stack.ingested.gpsStored} fixes after ${CATCH_UP_S} s more: measuring anyway`);
    const board = (await (await fetch(`${url}/v1/gtfs-rt/vehicle-positions?format=json`)).json()) as { entity: unknown[] };
    const onRoute = (await (await fetch(`${url}/v1/vehicles?routeId=${encodeURIComponent(network.routes.keys().next().value!)}`)).json()) as {
      items: { tripId?: string }[];
    };
    log(`vehicle positions published: ${board.entity.length}; on the first route, ${onRoute.items.filter((v) => v.tripId).length} buses on a trip`);

    const ingestedBefore = { ...stack.ingested };
    const routerBefore = { ...stack.router.stats };
    // How long work on the stack's event loop (broker, router, ingest batches; and requests when shared) is held back.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const cpuBefore = await cpuUs();
    const r = await load({ url, connections: CONNECTIONS, overallRate: RATE, durationS: SECONDS, requests: mix });
    loopDelay.disable();
    const apiCpuMsPerRequest = Math.round((await cpuUs()) - cpuBefore) / 1000 / Math.max(1, r.total);
    const ingested = stack.ingested.gpsStored - ingestedBefore.gpsStored;
    const router = stack.router.stats;
    const ingest =
      `ingest during the load: ${router.accepted - routerBefore.accepted} messages taken, ${router.delivered - routerBefore.delivered} delivered, ` +
      `${ingested} fixes stored, ${stack.ingested.failedBuses - ingestedBefore.failedBuses} bus batches failed, ${router.pending} pending at the end`;
    const apiSeconds = apiServer ? (await ask<{ seconds: ProcessSecond[] }>(apiServer, { cmd: 'seconds' } satisfies ApiServerCommand)).seconds : [];
    const halted = await ask<FleetReply>(fleet, { cmd: 'halt' } satisfies FleetCommand);
    const rps = Math.round(r.total / r.durationS);
    const errors = r.transportErrors + r.overall.non2xx;
    console.log(
      `\nAPI benchmark (${new Date().toISOString()}): ${buses.length} buses publishing every ${GPS_INTERVAL_S} s (` +
        `${halted.type === 'halted' ? `${halted.acked}/${halted.messages}` : '?'} messages acked), ${RATE} requests/s offered from ${CONNECTIONS} connections for ${SECONDS} s\n${ingest}\n`,
    );
    // Per second: a stall is one second whose max is the stall, with the requests queued behind it next.
    if (process.env.BENCH_TIMELINE !== '0') console.log(`${formatTimeline(r.timeline, apiSeconds, r.loaderSeconds)}\n`);
    console.log(table(r));
    console.log(
      `\n${rps} requests/s served; transport errors ${r.transportErrors}; non-2xx ${r.overall.non2xx}${r.failures.length ? ` (${r.failures.join(', ')})` : ''}`,
    );
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    const load1 = loadavg().map((l) => l.toFixed(1));
    console.log(
      `API process CPU ${apiCpuMsPerRequest.toFixed(2)} ms per request${SHARED_LOOP ? ' (with the ingest in the same process)' : ''}; ` +
        `stack's event loop delay${SHARED_LOOP ? ' (API on it)' : ''} p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms; ` +
        `load average ${load1.join(' ')} on ${availableParallelism()} cores\n`,
    );
    console.log(JSON.stringify({ bench: 'api', rps, p50Ms: r.overall.p50Ms, p99Ms: r.overall.p99Ms, errors }));
    fleet.send({ cmd: 'stop' } satisfies FleetCommand);
    clearInterval(progress);
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
