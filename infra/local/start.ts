/**
 * `npm start`: the local stack — DynamoDB Local, the MQTT broker, the router and the ingest handler — with a
 * live summary, until Ctrl-C. Nothing outlives it: DynamoDB Local's java ends with it.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { createLogger } from '../../shared/adapters/logger.js';
import { PrerequisiteError } from './dynamodb-local.js';
import { PortInUse } from './free-port.js';
import { startLocalStack, type LocalStack } from './local-stack.js';
import { publishExample } from './publish-example.js';
import { describeNetworkAndContracts, runLocalFleet } from './local-fleet.js';
import { loadGtfs } from '../../shared/gtfs/model.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { registerBus } from './register-bus.js';
import { LOCAL_DIR, localCardHashKey, removeEndpoints, writeEndpoints } from './state-file.js';

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
    faults: { type: 'string', default: 'default' },
    network: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const USAGE = `npm start -- [--data DIR] [--mqtt-port 1883] [--dynamodb-port 8000] [--http-port 3000] [--table-prefix busflow-]
                [--contracts FILE.json]
                [--no-sim] [--buses 40] [--speed 60] [--faults default] [--network GTFS]
  --data DIR   keep DynamoDB Local's data in DIR across restarts (default: in memory)
  --no-sim     only the stack; no simulated fleet
  --buses, --speed, --faults, --network   the simulated fleet (see npm run sim -- --help)`;

const TABLE_WIDTH = 12;

async function main(): Promise<void> {
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) throw new PrerequisiteError(`Node.js 20 or newer is needed; this is ${process.version}.`);
  const logger = createLogger('busflow-local');
  const source = values.network ?? SAMPLE_NETWORK_DIR;
  const { network, issues } = await loadGtfs(source);
  const stack = await startLocalStack({
    logger,
    cardHashKey: localCardHashKey(),
    mqttPort: Number(values['mqtt-port']),
    dynamodbPort: Number(values['dynamodb-port']),
    httpPort: Number(values['http-port']),
    issuerDir: LOCAL_DIR,
    tablePrefix: values['table-prefix'],
    network: { network, source },
    ...(values.data ? { dataDir: resolve(values.data) } : {}),
  });
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping the local stack…`);
    clearInterval(ticker);
    removeEndpoints();
    await stack.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('Ctrl-C'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  writeEndpoints({ pid: process.pid, dynamodbEndpoint: stack.dynamodbEndpoint, mqttUrl: stack.broker.url, tablePrefix: values['table-prefix'] });
  const demo = await registerBus(stack.vehicles, { busId: 'DEMO-001', operatorId: 'OP1', plate: '51B-000.01' });
  printBanner(stack, demo.secret);
  const ticker = setInterval(() => printSummary(stack), 10_000);
  await describeNetworkAndContracts(stack, network, issues.filter((i) => i.severity === 'error').length, values.network, values.contracts);
  if (!values['no-sim']) {
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    process.once('SIGTERM', () => controller.abort());
    void runLocalFleet(stack, network, {
      buses: Number(values.buses),
      speed: values.speed === 'max' ? Number.POSITIVE_INFINITY : Number(values.speed),
      faults: values.faults!,
      signal: controller.signal,
    }).catch((err: Error) => console.error(`simulated fleet stopped: ${err.message}`));
  }
}

function printBanner(stack: LocalStack, demoSecret: string): void {
  const t = stack.config.tableNames;
  console.log(`
BusFlow local stack is up.
  HTTP API        ${stack.http?.url}/v1   (OpenAPI: ${stack.http?.url}/v1/openapi.json; a token: npm run token -- --role centre, or --role operator --operator SGB)
  MQTT broker     ${stack.broker.url}   (per-bus credentials; register buses with npm run bus:add)
  DynamoDB Local  ${stack.dynamodbEndpoint}   (any region and keys; e.g. aws dynamodb scan --endpoint-url ${stack.dynamodbEndpoint} --table-name ${t.vehicles})
  Tables          ${Object.entries(t).map(([k, v]) => `${k.padEnd(TABLE_WIDTH)}${v}`).join('\n                  ')}

A demo bus DEMO-001 (operator OP1) is registered. Publish a position as it:
  ${publishExample(stack.broker.url, 'DEMO-001', demoSecret)}
Register your own: npm run bus:add -- BUS-001 --operator OP1 --plate 51B-123.45
Ctrl-C stops everything.
`);
}

let last = '';
function printSummary(stack: LocalStack): void {
  const i = stack.ingested;
  const r = stack.router.stats;
  const line = `stored: ${i.gpsStored} positions, ${i.taps} taps, ${i.wifi} wifi, ${i.dutyEvents} duty; rejected ${i.rejects}; duplicates ${i.gpsDuplicates}; router: ${r.delivered} delivered, ${r.pending} pending, ${r.retried} retried, ${r.deadLettered} dead-lettered, ${r.refused} refused`;
  if (line !== last) console.log(`[${new Date().toISOString()}] ${line}`);
  last = line;
}

main().catch((err: Error) => {
  console.error(err instanceof PrerequisiteError || err instanceof PortInUse ? `Cannot start: ${err.message}` : err);
  removeEndpoints();
  process.exit(1);
});
