/**
 * `npm run sim -- [options]`: a simulated day of a bus network, published to the local stack (default), to
 * AWS IoT Core, or written to files. See `npm run sim -- --help`. The simulator does not know the local stack:
 * it declares what it needs of it (`LocalTarget`), and the entry in infra/local/cli/sim.ts provides it.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadGtfs } from '../shared/gtfs/load.js';
import { formatIssue } from '../shared/gtfs/issues.js';
import { serviceDayOf } from '../shared/kernel/time/service-day.js';
import { basicIngestTopic, parseStage, type Stage, type TelemetryKind } from '../shared/catalogue/index.js';
import { serviceTimeToEpochMs } from '../shared/gtfs/time.js';
import { parseFaultProfile } from './core/faults.js';
import { planDay, tripOrderOf } from './core/day-plan.js';
import { SAMPLE_NETWORK_DIR } from './networks/index.js';
import { parseSyntheticSpec, syntheticNetwork } from './networks/synthetic.js';
import { CountingSink, type MessageSink } from './output/sink.js';
import { NdjsonMessageSink, NdjsonTruthSink } from './output/ndjson-sink.js';
import { certificateDirectory, MqttSink, type BusIdentity } from './output/mqtt-sink.js';
import { formatProgress, formatSummary } from './output/report.js';
import { runSimulation } from './run.js';

const USAGE = `npm run sim -- [options]
  --network DIR|ZIP     GTFS feed (default: the built-in HCMC sample network)
  --synthetic routes=R,buses=B   a generated city-sized network instead (e.g. routes=270,buses=3000)
  --date YYYY-MM-DD     service day (default: today in Ho Chi Minh City)
  --buses N             at most N buses (spread over the routes)
  --routes a,b          only these routes (route_id or short name)
  --seed S              random seed (default 1): the same seed gives the same day, byte for byte
  --faults PROFILE      none | default | harsh | name=value,… over default (default: default)
  --gps-interval S      seconds between GPS fixes (default 5)
  --speed 1|60|max      simulated seconds per second (default 60)
  --from HH:MM --to HH:MM | --duration MIN   part of the day to emit (local time)
  --out FILE            write messages as NDJSON (.gz compresses) instead of publishing
  --truth FILE          write the ground truth as NDJSON (.gz compresses)
  --orders FILE         write the day's trip orders as JSON
  --target local|iot    publish to the running local stack (default) or to AWS IoT Core
  --endpoint HOST       IoT Core data endpoint (with --target iot)
  --certs DIR           per-bus certificates {busId}.cert.pem / {busId}.private.key (+ AmazonRootCA1.pem)
  --stage dev|prod      the stack's stage (with --target iot, default dev): publish to its Basic Ingest topics
  --plain-topics        with --target iot: publish to bus/{busId}/{kind} through the broker instead`;

/** The running local stack as a target: its broker and an identity for each bus (registered on first use). */
export type LocalTarget = () => Promise<{ mqttUrl: string; identity: (busId: string) => Promise<BusIdentity> }>;

const { values } = parseArgs({
  options: {
    network: { type: 'string' },
    synthetic: { type: 'string' },
    date: { type: 'string' },
    buses: { type: 'string' },
    routes: { type: 'string' },
    seed: { type: 'string', default: '1' },
    faults: { type: 'string', default: 'default' },
    'gps-interval': { type: 'string', default: '5' },
    speed: { type: 'string', default: '60' },
    from: { type: 'string' },
    to: { type: 'string' },
    duration: { type: 'string' },
    out: { type: 'string' },
    truth: { type: 'string' },
    orders: { type: 'string' },
    target: { type: 'string', default: 'local' },
    endpoint: { type: 'string' },
    certs: { type: 'string' },
    stage: { type: 'string' },
    'plain-topics': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

class UsageError extends Error {}

function localTime(serviceDay: string, hhmm: string, timezone: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new UsageError(`time "${hhmm}" must be HH:MM`);
  return serviceTimeToEpochMs(serviceDay, Number(m[1]) * 3600 + Number(m[2]) * 60, timezone);
}

async function main(localTarget: LocalTarget): Promise<number> {
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const { network, issues } = values.synthetic
    ? { network: syntheticNetwork({ ...parseSyntheticSpec(values.synthetic), seed: Number(values.seed) }), issues: [] }
    : await loadGtfs(values.network ?? SAMPLE_NETWORK_DIR);
  for (const issue of issues.filter((i) => i.severity === 'error').slice(0, 20)) console.error(`network: ${formatIssue(issue)}`);
  const serviceDay = values.date ?? serviceDayOf(Date.now(), network.timezone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(serviceDay)) throw new UsageError('--date must be YYYY-MM-DD');
  const speed = values.speed === 'max' ? Number.POSITIVE_INFINITY : Number(values.speed);
  if (!(speed > 0)) throw new UsageError('--speed must be a positive number or max');
  const seed = Number(values.seed);
  const profile = parseFaultProfile(values.faults!);
  const fromMs = values.from ? localTime(serviceDay, values.from, network.timezone) : undefined;
  const toMs = values.to
    ? localTime(serviceDay, values.to, network.timezone)
    : values.duration && fromMs !== undefined
      ? fromMs + Number(values.duration) * 60_000
      : undefined;
  const fleet = {
    network,
    serviceDay,
    seed,
    profile,
    gpsIntervalS: Number(values['gps-interval']),
    ...(values.buses ? { buses: Number(values.buses) } : {}),
    ...(values.routes ? { routes: values.routes.split(',') } : {}),
    ...(fromMs === undefined ? {} : { fromMs }),
    ...(toMs === undefined ? {} : { toMs }),
  };
  if (values.orders) {
    const plan = planDay(network, serviceDay, { seed, ...(fleet.buses ? { maxBuses: fleet.buses } : {}), ...(fleet.routes ? { routes: fleet.routes } : {}) });
    writeFileSync(
      values.orders,
      JSON.stringify(
        plan.duties.map((d) => tripOrderOf(d, serviceDay)),
        null,
        2,
      ),
    );
  }

  let sink: MessageSink;
  if (values.out) sink = new NdjsonMessageSink(values.out);
  else if (values.target === 'iot') {
    if (!values.endpoint || !values.certs) throw new UsageError('--target iot needs --endpoint HOST and --certs DIR');
    let stage: Stage;
    try {
      stage = parseStage(values.stage);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    sink = new MqttSink({
      url: `mqtts://${values.endpoint}:8883`,
      identity: certificateDirectory(values.certs),
      // Basic Ingest: straight to the stage's rules, without IoT Core's messaging charge (docs/cost-model.md).
      ...(values['plain-topics'] ? {} : { topic: (busId: string, kind: TelemetryKind) => basicIngestTopic(busId, kind, stage) }),
    });
  } else if (values.target === 'local') {
    const local = await localTarget();
    sink = new MqttSink({ url: local.mqttUrl, identity: local.identity });
  } else if (values.target === 'count') sink = new CountingSink();
  else throw new UsageError('--target must be local or iot');

  const tty = process.stderr.isTTY;
  let lastPlain = 0;
  const summary = await runSimulation({
    ...fleet,
    speed,
    sink,
    ...(values.truth ? { truth: new NdjsonTruthSink(values.truth) } : {}),
    onProgress: (p) => {
      if (tty) process.stderr.write(`\r${formatProgress(p, network.timezone)}\u001b[K`);
      else if (Date.now() - lastPlain > 10_000) {
        lastPlain = Date.now();
        process.stderr.write(`${formatProgress(p, network.timezone)}\n`);
      }
    },
  });
  if (tty) process.stderr.write('\n');
  console.log(formatSummary(summary));
  return summary.delivery.failed ? 1 : 0;
}

/** Runs the command line; resolves to the process exit code. */
export function runSimCli(localTarget: LocalTarget): Promise<number> {
  return main(localTarget).catch((err: Error) => {
    console.error(err instanceof UsageError ? `${err.message}\n\n${USAGE}` : `sim: ${err.message}`);
    return 2;
  });
}
