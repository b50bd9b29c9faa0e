/**
 * `npm start`: the local stack — DynamoDB Local, the MQTT broker, the router, the ingest and API functions and
 * the scheduled jobs — with a simulated fleet driving a service day from its start, a live view, and the full
 * JSON logs in a file, until Ctrl-C. Nothing outlives it: DynamoDB Local's java ends with it.
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { systemClock, fixedClock, type Clock } from '../../shared/domain/ports/clock.js';
import { serviceDayOf } from '../../shared/kernel/time/service-day.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { PrerequisiteError } from './dynamodb-local.js';
import { PortInUse } from './free-port.js';
import { startLocalStack, type LocalStack } from './local-stack.js';
import { publishExample } from './publish-example.js';
import { describeNetworkAndContracts, runLocalFleet, type FleetClock } from './local-fleet.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import type { Progress } from '../../simulator/run.js';
import { registerBus } from './register-bus.js';
import { networkFailureLine } from './network-failure.js';
import { NetworkImportError } from '../../shared/adapters/dynamodb/network-repository.js';
import { LOCAL_DIR, localCardHashKey, removeEndpoints, writeEndpoints } from './state-file.js';
import { createFileLogger, type FileLogger } from './file-logger.js';
import { formatLiveView, localHhmm } from './live-view.js';
import { ScaledClock } from './scaled-clock.js';
import type { DayEndResult } from '../../functions/job-close-service-day/close-day.js';
import { buildConsole } from '../../web/build.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    'mqtt-port': { type: 'string', default: '1883' },
    'dynamodb-port': { type: 'string', default: '8000' },
    'http-port': { type: 'string', default: '3000' },
    contracts: { type: 'string' },
    'table-prefix': { type: 'string', default: 'busflow-' },
    'no-sim': { type: 'boolean', default: false },
    buses: { type: 'string', default: '40' },
    speed: { type: 'string', default: '60' },
    from: { type: 'string', default: '05:00' },
    faults: { type: 'string', default: 'default' },
    network: { type: 'string' },
    tiles: { type: 'string' },
    'tiles-attribution': { type: 'string' },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});

const USAGE = `npm start -- [--data DIR] [--mqtt-port 1883] [--dynamodb-port 8000] [--http-port 3000] [--table-prefix busflow-]
                [--contracts FILE.json] [--verbose]
                [--no-sim] [--buses 40] [--speed 60] [--from 05:00] [--faults default] [--network GTFS]
                [--tiles URL] [--tiles-attribution TEXT]
  --data DIR   keep DynamoDB Local's data in DIR across restarts (default: in memory)
  --verbose    the JSON logs on the terminal too (they always go to .busflow/logs/)
  --no-sim     only the stack, on the system clock; no simulated fleet
  --from HH:MM where the simulated service day starts (the stack's clock starts there)
  --buses, --speed, --faults, --network   the simulated fleet (see npm run sim -- --help)
  --tiles URL  the console map's tile server (https://…/{z}/{x}/{y}.png; default: none, a plain background)`;

const TABLE_WIDTH = 16;
const VIEW_EVERY_MS = 10_000;

function parseHhmm(v: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(v);
  if (!m || Number(m[1]) > 27 || Number(m[2]) > 59) throw new PrerequisiteError(`--from takes a service time HH:MM (e.g. 05:00), got "${v}".`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60;
}

async function main(): Promise<void> {
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) throw new PrerequisiteError(`Node.js 20 or newer is needed; this is ${process.version}.`);
  const source = values.network ?? SAMPLE_NETWORK_DIR;
  const { network, issues } = await loadGtfs(source).catch((err: unknown) => {
    throw new NetworkImportError(networkFailureLine(source, err), { cause: err });
  });
  const sim = !values['no-sim'];
  const speed = values.speed === 'max' ? Number.POSITIVE_INFINITY : Number(values.speed);
  if (!(speed > 0)) throw new PrerequisiteError(`--speed takes a positive number or max, got "${values.speed}".`);

  // One clock for the whole stack: the simulated one while a fleet runs (it stands at the start of the service
  // day until the buses leave), the system clock otherwise.
  const serviceDay = serviceDayOf(Date.now(), network.timezone);
  const fromMs = serviceTimeToEpochMs(serviceDay, parseHhmm(values.from!), network.timezone);
  const fleetClock: FleetClock | undefined = sim ? (Number.isFinite(speed) ? new ScaledClock(fromMs, speed) : fixedClock(fromMs)) : undefined;
  const clock: Clock = fleetClock ?? systemClock;

  const logger = createFileLogger({
    path: join(LOCAL_DIR, 'logs', `busflow-${new Date().toISOString().replace(/[:.]/g, '-')}.log`),
    service: 'busflow-local',
    clock,
    ...(values.verbose ? { echo: process.stdout } : {}),
  });
  let fleet: Progress | undefined;
  // The console is built at every start, so it always matches the code; esbuild takes well under a second.
  const web = buildConsole();
  const stack = await startLocalStack({
    logger,
    clock,
    cardHashKey: localCardHashKey(),
    mqttPort: Number(values['mqtt-port']),
    dynamodbPort: Number(values['dynamodb-port']),
    httpPort: Number(values['http-port']),
    issuerDir: LOCAL_DIR,
    tablePrefix: values['table-prefix'],
    network: { network, source },
    schedules: {
      onRun: (_name, result) => {
        const r = result as DayEndResult;
        console.log(
          `Day-end job (${localHhmm(clock.now(), network.timezone)}): service day ${r.serviceDay}: ${r.trips} trips performed stored (GET /v1/journeys), ${r.closed} trip orders closed.`,
        );
      },
    },
    ...(values.data ? { dataDir: resolve(values.data) } : {}),
    console: {
      dir: web.outDir,
      config: {
        auth: { kind: 'dev' },
        ...(values.tiles ? { tileUrl: values.tiles } : {}),
        ...(values['tiles-attribution'] ? { tileAttribution: values['tiles-attribution'] } : {}),
      },
    },
  });
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping the local stack…`);
    clearInterval(ticker);
    removeEndpoints();
    await stack.stop();
    await logger.close();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('Ctrl-C'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const publishEndpoints = () =>
    writeEndpoints({
      pid: process.pid,
      dynamodbEndpoint: stack.dynamodbEndpoint,
      mqttUrl: stack.broker.url,
      tablePrefix: values['table-prefix']!,
      ...(fleetClock instanceof ScaledClock ? { clock: fleetClock.describe() } : {}),
    });
  publishEndpoints();
  const demo = await registerBus(stack.vehicles, { busId: 'DEMO-001', operatorId: 'OP1', plate: '51B-000.01' });
  printBanner(
    stack,
    demo.secret,
    logger,
    sim
      ? `simulated: service day ${serviceDay} from ${values.from} local, ${Number.isFinite(speed) ? `${speed}× real time once the buses leave` : 'as fast as the fleet runs'}`
      : 'the system clock',
  );

  let lastView = '';
  const ticker = setInterval(() => {
    const view = formatLiveView({
      nowMs: clock.now(),
      timeZone: network.timezone,
      simulated: sim,
      ingested: stack.ingested,
      router: stack.router.stats,
      warnings: logger.tally(),
      logPath: logger.path,
      ...(fleet ? { fleet } : {}),
    });
    // The clock line changes every tick; print only when something else did.
    const body = view.slice(view.indexOf('\n'));
    if (body !== lastView) console.log(view);
    lastView = body;
  }, VIEW_EVERY_MS);
  await describeNetworkAndContracts(stack, network, issues.filter((i) => i.severity === 'error').length, values.network, values.contracts);
  if (fleetClock) {
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    process.once('SIGTERM', () => controller.abort());
    void runLocalFleet(stack, network, {
      buses: Number(values.buses),
      speed,
      faults: values.faults!,
      serviceDay,
      fromMs,
      clock: fleetClock,
      signal: controller.signal,
      onProgress: (p) => {
        if (!fleet) publishEndpoints(); // the clock started: the command-line tools now read the simulated time
        fleet = p;
      },
    })
      .then(() => {
        fleet = undefined;
        if (controller.signal.aborted || !stack.scheduler) return;
        const next = stack.scheduler.nextRun('closeServiceDay');
        const inWallS = fleetClock instanceof ScaledClock ? Math.max(0, Math.round((next - clock.now()) / speed / 1000)) : undefined;
        console.log(
          `The simulated day is over at ${localHhmm(clock.now(), network.timezone)}; the day-end job runs at ${localHhmm(next, network.timezone)} stack time${inWallS === undefined ? '' : ` (in about ${Math.ceil(inWallS / 60)} min)`}, or now with npm run trip-orders:close.`,
        );
      })
      .catch((err: Error) => console.error(`simulated fleet stopped: ${err.message}`));
  }
}

function printBanner(stack: LocalStack, demoSecret: string, logger: FileLogger, clock: string): void {
  const t = stack.config.tableNames;
  console.log(`
BusFlow local stack is up.
  Web console     ${stack.http?.url}/   (live map; stop board at /board/STOP-ID; sign in with "Đăng nhập (thử nghiệm)")
  HTTP API        ${stack.http?.url}/v1   (OpenAPI: ${stack.http?.url}/v1/openapi.json; a token: npm run token -- --role centre, or --role operator --operator SGB)
  MQTT broker     ${stack.broker.url}   (per-bus credentials; register buses with npm run bus:add)
  DynamoDB Local  ${stack.dynamodbEndpoint}   (any region and keys; e.g. aws dynamodb scan --endpoint-url ${stack.dynamodbEndpoint} --table-name ${t.vehicles})
  Tables          ${Object.entries(t)
    .map(([k, v]) => `${k.padEnd(TABLE_WIDTH)}${v}`)
    .join('\n                  ')}
  Clock           ${clock}
  Logs            ${logger.path}   (JSON lines; --verbose shows them here too)

A demo bus DEMO-001 (operator OP1) is registered. Publish a position as it:
  ${publishExample(stack.broker.url, 'DEMO-001', demoSecret)}
Register your own: npm run bus:add -- BUS-001 --operator OP1 --plate 51B-123.45
Ctrl-C stops everything.
`);
}

main().catch((err: Error) => {
  const known = err instanceof PrerequisiteError || err instanceof PortInUse || err instanceof NetworkImportError;
  console.error(known ? `Cannot start: ${err.message}` : err);
  removeEndpoints();
  process.exit(1);
});
