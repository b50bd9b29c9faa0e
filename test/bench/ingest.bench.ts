/**
 * `npm run bench:ingest` — telemetry ingestion, measured in one run on this machine:
 *  (a) raw ceiling: the very items the pipeline wrote, written straight to DynamoDB Local with BatchWriteItem;
 *  (b) end to end: N buses (default 3,000), each its own MQTT connection and credentials, publishing GPS
 *      through broker → router → ingest handler until stored and the vehicle's position is queryable.
 * Prints a table and, last, one line of JSON.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KinesisStreamEvent, KinesisStreamBatchResponse } from 'aws-lambda';
import { ruleEnvelopeSchema } from '../../shared/catalogue/index.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { batchPut, batchGet, type OwnedItem } from '../../shared/adapters/dynamodb/batch.js';
import { createTables } from '../../shared/adapters/dynamodb/tables-admin.js';
import { DynamoTelemetryRepository } from '../../shared/adapters/dynamodb/telemetry-repository.js';
import { loadConfig } from '../../shared/adapters/config.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
import type { BusTelemetry, VehicleAdvance } from '../../shared/domain/telemetry/ports.js';
import { forEachLimit } from '../../shared/kernel/util/concurrency.js';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { DynamoVehicleRepository } from '../../shared/adapters/dynamodb/vehicle-repository.js';
import { registerBus } from '../../infra/local/register-bus.js';
import type { FleetCommand, FleetReply } from './fleet-worker.js';

const BUSES = Number(process.env.BENCH_BUSES ?? 3000);
const LATENCY_RATE = Number(process.env.BENCH_LATENCY_RATE ?? 1000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 30);
const THROUGHPUT_RATE = Number(process.env.BENCH_THROUGHPUT_RATE ?? 9000);
const THROUGHPUT_SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 20);
const RECORDS_PER_MESSAGE = Number(process.env.BENCH_RECORDS_PER_MESSAGE ?? 1);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 15);

const log = (s: string) => process.stderr.write(`${s}\n`);

async function main(): Promise<void> {
  const db = await startDynamoDbLocal();
  let phase = 'setup';
  const latenciesMs: number[] = [];
  const captured: { telemetry: BusTelemetry[]; advances: VehicleAdvance[] } = { telemetry: [], advances: [] };
  let lastInvokeAt = 0;

  const onInvoke = (event: KinesisStreamEvent, response: KinesisStreamBatchResponse) => {
    const done = Date.now();
    lastInvokeAt = done;
    if (phase !== 'latency') return;
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    for (const r of event.Records) {
      if (failed.has(r.kinesis.sequenceNumber)) continue;
      const env = ruleEnvelopeSchema.parse(JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString()));
      const body = JSON.parse(Buffer.from(env.payload, 'base64').toString()) as { records: { ts: number }[] };
      // The newest record's ts is the publish instant (same clock): latency = published → stored and queryable.
      latenciesMs.push(done - body.records[body.records.length - 1]!.ts);
    }
  };

  const stack = await startLocalStack({
    logger: silentLogger,
    cardHashKey: 'bench-card-hash-key-0123456789abcdef',
    dynamodbEndpoint: db.endpoint,
    mqttPort: 0,
    tablePrefix: 'e2e-',
    onInvoke,
    instrument: (deps) => ({
      ...deps,
      telemetry: {
        readGps: (...a) => deps.telemetry.readGps(...a),
        storedGpsTimestamps: (...a) => deps.telemetry.storedGpsTimestamps(...a),
        write: async (t) => {
          if (phase === 'throughput') captured.telemetry.push(...t);
          return deps.telemetry.write(t);
        },
      },
      vehicles: {
        getMany: (ids) => deps.vehicles.getMany(ids),
        advance: async (a) => {
          if (phase === 'throughput') captured.advances.push(...a);
          return deps.vehicles.advance(a);
        },
      },
    }),
  });
  const fleet = fork(fileURLToPath(new URL('./fleet-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROFILE_FLEET ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = (cmd: FleetCommand) =>
    new Promise<FleetReply>((resolve, reject) => {
      fleet.once('message', (m: FleetReply) => resolve(m));
      fleet.once('exit', (code) => reject(new Error(`fleet exited with ${code}`)));
      fleet.send(cmd);
    });

  try {
    log(`registering ${BUSES} buses…`);
    const buses: { busId: string; secret: string }[] = [];
    await forEachLimit(
      Array.from({ length: BUSES }, (_, i) => `BUS-${String(i + 1).padStart(4, '0')}`),
      32,
      async (busId) => void buses.push(await registerBus(stack.vehicles, { busId, operatorId: `OP${(busId.length % 5) + 1}`, plate: '51B-000.00' })),
    );
    const connected = await ask({ cmd: 'connect', url: stack.broker.url, buses });
    log(`${BUSES} MQTT connections in ${connected.type === 'connected' ? connected.ms : '?'} ms`);

    // Both sides are measured on a warm JVM: DynamoDB Local is several times slower until its JIT has compiled.
    phase = 'warmup';
    log('warming up…');
    await ask({ cmd: 'run', recordsPerS: 3000, durationS: WARMUP_SECONDS, recordsPerMessage: RECORDS_PER_MESSAGE, phase });
    await stack.router.drain();

    phase = 'latency';
    log(`latency: ${LATENCY_RATE} records/s for ${LATENCY_SECONDS} s…`);
    await ask({ cmd: 'run', recordsPerS: LATENCY_RATE, durationS: LATENCY_SECONDS, recordsPerMessage: RECORDS_PER_MESSAGE, phase });
    await stack.router.drain();

    phase = 'throughput';
    log(`throughput: offering ${THROUGHPUT_RATE} records/s for ${THROUGHPUT_SECONDS} s…`);
    const storedBefore = stack.ingested.gpsStored;
    const run = await ask({ cmd: 'run', recordsPerS: THROUGHPUT_RATE, durationS: THROUGHPUT_SECONDS, recordsPerMessage: RECORDS_PER_MESSAGE, phase });
    if (run.type !== 'done') throw new Error('fleet did not run');
    await stack.router.drain();
    const e2eSeconds = (lastInvokeAt - run.firstMs) / 1000;
    const storedE2e = stack.ingested.gpsStored - storedBefore;
    phase = 'verify';

    // Queryable: every bus's vehicle item holds the last position it published.
    const vehicles = await stack.vehicles.getMany(buses.map((b) => b.busId));
    const stale = Object.entries(run.lastTsByBus).filter(([busId, ts]) => vehicles.get(busId)?.position?.ts !== ts).length;

    // (a) raw ceiling: the same items, straight into fresh tables.
    const rawConfig = loadConfig({ BUSFLOW_DYNAMODB_ENDPOINT: db.endpoint, BUSFLOW_TABLE_PREFIX: 'raw-' });
    const rawClient = createDynamoClient(rawConfig);
    const rawDoc = createDocumentClient(rawClient);
    await createTables(rawClient, rawConfig.tableNames);
    const repo = new DynamoTelemetryRepository(rawDoc, rawConfig.tableNames.telemetry);
    const items: OwnedItem[] = captured.telemetry.flatMap((t) => repo.itemsOf(t));
    const rawRecords = captured.telemetry.reduce((n, t) => n + t.gpsChunks.reduce((m, c) => m + c.points.length, 0), 0);
    const now = new Date().toISOString();
    for (const a of captured.advances) {
      items.push({
        owner: a.busId,
        table: rawConfig.tableNames.vehicles,
        item: { busId: a.busId, version: a.expectedVersion + 1, position: a.position, updatedAt: now },
      });
    }
    // Key order as the pipeline wrote them; a vehicle written many times is written many times here too.
    const rawStart = Date.now();
    const batches: OwnedItem[][] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    await forEachLimit(batches, 8, async (batch) => {
      const failed = await batchPut(
        rawDoc,
        batch,
        { [rawConfig.tableNames.telemetry]: ['pk', 'sk'], [rawConfig.tableNames.vehicles]: ['busId'] },
        { concurrency: 1 },
      );
      if (failed.size) throw new Error('raw writes failed');
    });
    const rawSeconds = (Date.now() - rawStart) / 1000;

    // What a conditional write costs here: the same vehicle advances, as the pipeline sends them, on the raw table.
    const telemetryOnly = items.filter((i) => i.table === rawConfig.tableNames.telemetry);
    const condVehicles = new DynamoVehicleRepository(rawDoc, rawConfig.tableNames.vehicles);
    const rawState = await condVehicles.getMany([...new Set(captured.advances.map((a) => a.busId))]);
    const condStart = Date.now();
    const condFailures = await condVehicles.advance([
      ...new Map(captured.advances.map((a) => [a.busId, { ...a, expectedVersion: rawState.get(a.busId)?.version ?? 0 }])).values(),
    ]);
    const condSeconds = (Date.now() - condStart) / 1000;
    const condWrites = new Set(captured.advances.map((a) => a.busId)).size - condFailures.size;
    const putOnlyStart = Date.now();
    await batchPut(rawDoc, telemetryOnly, { [rawConfig.tableNames.telemetry]: ['pk', 'sk'] });
    const putOnlySeconds = (Date.now() - putOnlyStart) / 1000;
    const putItemsPerS = telemetryOnly.length / putOnlySeconds;
    const condItemsPerS = condWrites / condSeconds;
    // Best ratio any pipeline can reach that writes these items and one conditional vehicle write per bus and batch.
    const ratioBound = rawSeconds / (telemetryOnly.length / putItemsPerS + captured.advances.length / condItemsPerS);
    const check = await batchGet(
      rawDoc,
      rawConfig.tableNames.vehicles,
      buses.slice(0, 10).map((b) => ({ busId: b.busId })),
    );
    if (check.length === 0 && captured.advances.length) throw new Error('raw vehicle items missing');
    rawClient.destroy();

    const rawItemsPerS = items.length / rawSeconds;
    const rawRecordsPerS = rawRecords / rawSeconds;
    const e2eRecordsPerS = storedE2e / e2eSeconds;
    const sorted = [...latenciesMs].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
    const result = {
      bench: 'ingest',
      buses: BUSES,
      recordsPerMessage: RECORDS_PER_MESSAGE,
      rawItemsPerS: round(rawItemsPerS),
      rawRecordsPerS: round(rawRecordsPerS),
      e2eRecordsPerS: round(e2eRecordsPerS),
      ratio: round(e2eRecordsPerS / rawRecordsPerS, 3),
      conditionalWritesPerS: round(condItemsPerS),
      ratioBound: round(ratioBound, 3),
      p50Ms: round(pct(50)),
      p95Ms: round(pct(95)),
      p99Ms: round(pct(99)),
      latencyRecordsPerS: LATENCY_RATE,
      latencySamples: sorted.length,
      staleVehicles: stale,
    };
    const rows: [string, string][] = [
      ['buses (MQTT connections)', String(BUSES)],
      ['records per message', String(RECORDS_PER_MESSAGE)],
      ['(a) raw BatchWriteItem items/s', result.rawItemsPerS.toLocaleString('en')],
      ['(a) raw records/s', result.rawRecordsPerS.toLocaleString('en')],
      [
        '(b) end-to-end records/s',
        `${result.e2eRecordsPerS.toLocaleString('en')}  (${storedE2e} records in ${e2eSeconds.toFixed(1)} s, offered ${THROUGHPUT_RATE}/s)`,
      ],
      ['ratio (b)/(a)', String(result.ratio)],
      ['conditional vehicle writes/s (same items)', result.conditionalWritesPerS.toLocaleString('en')],
      ['ratio bound with one such write per bus+batch', String(result.ratioBound)],
      [`latency at ${LATENCY_RATE} records/s p50`, `${result.p50Ms} ms`],
      [`latency at ${LATENCY_RATE} records/s p95`, `${result.p95Ms} ms`],
      [`latency at ${LATENCY_RATE} records/s p99`, `${result.p99Ms} ms  (${sorted.length} samples)`],
      ['vehicles not at their last position', String(stale)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(`\nIngest benchmark (${new Date().toISOString()})\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`);
    console.log(JSON.stringify(result));
  } finally {
    fleet.send({ cmd: 'stop' } satisfies FleetCommand);
    await new Promise((r) => fleet.once('exit', r));
    await stack.stop();
    await db.stop();
  }
}

function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
