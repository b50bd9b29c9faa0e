/**
 * The whole backend on one machine: DynamoDB Local with the catalogue's tables, the MQTT broker, and the
 * router that feeds the ingest handler — the same handler code that runs on Lambda.
 */
import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Network } from '../../shared/gtfs/model.js';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { iotRules } from '../../shared/catalogue/index.js';
import { allApiRoutes } from '../../shared/api/index.js';
import { createApiDeps, type ApiDeps } from '../../shared/adapters/api-deps.js';
import { localRouteHandlers } from './api-functions.js';
import { BrokerAssignmentPublisher } from './broker-publisher.js';
import { BrokerStopBoardPublisher } from './board-publisher.js';
import { boardCredentialDigest } from './register-board.js';
import { devIssuer, type DevIssuer } from './dev-issuer.js';
import { startLocalHttpServer } from './http-server.js';
import type { ConsoleFiles } from './console-files.js';
import { loadConfig, type Config } from '../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoNetworkRepository } from '../../shared/adapters/dynamodb/network-repository.js';
import { DynamoRejectRepository } from '../../shared/adapters/dynamodb/reject-repository.js';
import { createTables } from '../../shared/adapters/dynamodb/tables-admin.js';
import { DynamoTelemetryRepository } from '../../shared/adapters/dynamodb/telemetry-repository.js';
import { DynamoVehicleRepository } from '../../shared/adapters/dynamodb/vehicle-repository.js';
import type { Logger } from '../../shared/domain/ports/logger.js';
import { systemClock, type Clock } from '../../shared/domain/ports/clock.js';
import type { IngestDeps, IngestStats } from '../../shared/domain/telemetry/ingest-batch.js';
import { createIngestDeps } from '../../functions/ingest-telemetry/deps.js';
import { createIngestHandler } from '../../functions/ingest-telemetry/ingest-handler.js';
import { startLocalBroker, type LocalBroker } from './broker.js';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { StreamRouter, type DeadLetter } from './stream-router.js';
import { LocalScheduler, type ScheduleName } from './local-scheduler.js';
import { reconcileServiceDay } from '../../functions/job-reconcile-day/reconcile-day.js';
import { runDayEnd } from '../../functions/job-close-service-day/close-day.js';

export interface LocalStackOptions {
  logger: Logger;
  /**
   * The stack's one clock: the ingest and API functions, the router's arrival stamps and the scheduled jobs
   * read it. Absent: the system clock.
   */
  clock?: Clock;
  /** Card pseudonymisation key (≥ 32 characters). */
  cardHashKey: string;
  /** Key that seals pagination cursors (≥ 32 characters); absent: a fresh one. */
  cursorKey?: string;
  /** Use this DynamoDB endpoint instead of starting DynamoDB Local. */
  dynamodbEndpoint?: string;
  /** DynamoDB Local port; 0 or absent: a free one. */
  dynamodbPort?: number;
  /** Persist DynamoDB Local's data here; absent: in memory. */
  dataDir?: string;
  /** MQTT port; 0: a free one. */
  mqttPort: number;
  tablePrefix?: string;
  routerShards?: number;
  /** Records the router holds before telemetry publishes are refused (default 50,000). */
  routerMaxPending?: number;
  /** How long the broker waits for a bus's credential lookup before refusing as "server unavailable". */
  authTimeoutMs?: number;
  /** How long the broker trusts a verified credential without a lookup. */
  credentialCacheTtlMs?: number;
  /** Wraps the ingest dependencies (benchmarks observe what is written through it). */
  instrument?: (deps: IngestDeps) => IngestDeps;
  /** A network to import before the API starts (the API reads trip run times from it). */
  network?: { network: Network; source: string };
  /** HTTP API port; 0: a free one; absent: no HTTP API. */
  httpPort?: number;
  /** Serve the built web console (and its test login) on the HTTP API's port. */
  console?: ConsoleFiles;
  /** Where the local token issuer keeps its key pair; absent: a fresh one (tests). */
  issuerDir?: string;
  /** Called after every handler invocation with the event and the response (benchmarks measure latency). */
  onInvoke?: (event: KinesisStreamEvent, response: KinesisStreamBatchResponse) => void;
  /** Run the catalogue's schedules (the day-end job) on the stack's clock; told after each run. */
  schedules?: { onRun?: (name: ScheduleName, result: unknown) => void };
  /** Tables with TTL on (default), as on AWS; off for tests that live on a fixed day in the past. */
  expireItems?: boolean;
}

export interface LocalStack {
  config: Config;
  clock: Clock;
  dynamodbEndpoint: string;
  broker: LocalBroker;
  router: StreamRouter;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  vehicles: DynamoVehicleRepository;
  telemetry: DynamoTelemetryRepository;
  rejects: DynamoRejectRepository;
  network: DynamoNetworkRepository;
  /** The HTTP API and its token issuer, when asked for. */
  http?: { url: string; issuer: DevIssuer; api: ApiDeps };
  /** Totals of what the ingest handler stored since start. */
  ingested: IngestStats;
  /** The scheduled jobs on the stack's clock, when asked for. */
  scheduler?: LocalScheduler;
  stop(): Promise<void>;
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((err: Error) => opts.logger.error('shutdown step failed', { error: err.message }));
    }
  };
  const clock = opts.clock ?? systemClock;
  try {
    let dynamodbEndpoint = opts.dynamodbEndpoint;
    if (!dynamodbEndpoint) {
      const local: DynamoDbLocal = await startDynamoDbLocal({
        ...(opts.dynamodbPort ? { port: opts.dynamodbPort } : {}),
        ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      });
      cleanups.push(local.stop);
      dynamodbEndpoint = local.endpoint;
    }
    const config = loadConfig({
      ...process.env,
      BUSFLOW_DYNAMODB_ENDPOINT: dynamodbEndpoint,
      BUSFLOW_CARD_HASH_KEY: opts.cardHashKey,
      // Cursors only need to survive the process: a fresh key per run is enough locally.
      BUSFLOW_CURSOR_KEY: opts.cursorKey ?? randomBytes(32).toString('base64url'),
      ...(opts.tablePrefix ? { BUSFLOW_TABLE_PREFIX: opts.tablePrefix } : {}),
    });
    const client = createDynamoClient(config);
    cleanups.push(async () => client.destroy());
    const doc = createDocumentClient(client);
    await createTables(client, config.tableNames, { expireItems: opts.expireItems ?? true });

    const vehicles = new DynamoVehicleRepository(doc, config.tableNames.vehicles);
    const telemetry = new DynamoTelemetryRepository(doc, config.tableNames.telemetry);
    const rejects = new DynamoRejectRepository(doc, config.tableNames.rejects);
    const network = new DynamoNetworkRepository(doc, config.tableNames.network);
    // Boards are told only after records flow, so by then the broker below is up.
    const boards = new BrokerStopBoardPublisher(() => broker.aedes);
    const baseDeps = await createIngestDeps(config, opts.logger, clock, {}, boards);
    const deps = opts.instrument ? opts.instrument(baseDeps) : baseDeps;

    const ingested: IngestStats = {
      records: 0,
      gpsStored: 0,
      gpsDuplicates: 0,
      taps: 0,
      wifi: 0,
      dutyEvents: 0,
      rejects: 0,
      rejectsByCode: {},
      failedBuses: 0,
      journeysRecomputed: 0,
    };
    const handler = createIngestHandler(
      async () => deps,
      (s) => {
        for (const k of Object.keys(ingested) as (keyof IngestStats)[]) if (k !== 'rejectsByCode') ingested[k] += s[k];
        for (const [code, count] of Object.entries(s.rejectsByCode)) ingested.rejectsByCode[code] = (ingested.rejectsByCode[code] ?? 0) + count;
      },
    );
    const router = new StreamRouter({
      handler: opts.onInvoke
        ? async (event) => {
            const response = await handler(event);
            opts.onInvoke!(event, response);
            return response;
          }
        : handler,
      logger: opts.logger,
      // Arrival stamps and record age on the stack's clock, as Kinesis stamps them on AWS's.
      now: () => clock.now(),
      ...(opts.routerShards ? { shards: opts.routerShards } : {}),
      ...(opts.routerMaxPending ? { maxPending: opts.routerMaxPending } : {}),
      onDeadLetter: (letters) => deadLetter(rejects, letters),
    });

    const broker = await startLocalBroker({
      port: opts.mqttPort,
      logger: opts.logger,
      devices: { credentialDigest: async (busId) => (await vehicles.getRegistration(busId))?.localCredentialSha256 },
      boards: { credentialDigest: (stopId) => boardCredentialDigest(doc, config.tableNames.vehicles, stopId) },
      acceptsTelemetry: () => router.admit(),
      ...(opts.authTimeoutMs !== undefined ? { authTimeoutMs: opts.authTimeoutMs } : {}),
      ...(opts.credentialCacheTtlMs !== undefined ? { credentialCacheTtlMs: opts.credentialCacheTtlMs } : {}),
    });
    cleanups.push(() => broker.close());
    cleanups.push(() => router.stop());
    // The router takes what the IoT rules take, and nothing else (not BusFlow's own assignment publishes).
    for (const rule of iotRules) {
      await new Promise<void>((resolve) =>
        broker.aedes.subscribe(
          rule.topicFilter,
          (packet, done) => {
            router.accept(packet.topic, packet.payload as Buffer);
            done();
          },
          resolve,
        ),
      );
    }

    if (opts.network) await network.importNetwork(opts.network.network, opts.network.source);
    let http: LocalStack['http'];
    if (opts.httpPort !== undefined) {
      const issuer = await devIssuer(opts.issuerDir);
      const api = await createApiDeps(config, opts.logger, { assignments: new BrokerAssignmentPublisher(broker.aedes), clock });
      const server = await startLocalHttpServer({
        port: opts.httpPort,
        routes: allApiRoutes,
        handlerFor: localRouteHandlers(api),
        issuer,
        logger: opts.logger,
        clock,
        ...(opts.console ? { console: opts.console } : {}),
      });
      cleanups.push(() => server.close());
      http = { url: server.url, issuer, api };
    }

    let scheduler: LocalScheduler | undefined;
    if (opts.schedules) {
      const s = new LocalScheduler({
        clock,
        logger: opts.logger,
        jobs: {
          closeServiceDay: () => runDayEnd(doc, config.tableNames, opts.logger, clock),
          reconcileDay: () => reconcileServiceDay(doc, config.tableNames, opts.logger, clock),
        },
        ...(opts.schedules.onRun ? { onRun: opts.schedules.onRun } : {}),
      });
      s.start();
      cleanups.push(() => s.stop());
      scheduler = s;
    }

    return {
      config,
      clock,
      dynamodbEndpoint,
      broker,
      router,
      client,
      doc,
      vehicles,
      telemetry,
      rejects,
      network,
      ingested,
      stop,
      ...(http ? { http } : {}),
      ...(scheduler ? { scheduler } : {}),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Records that failed every retry end in the rejects store, as on AWS they end in the ingest DLQ. */
async function deadLetter(rejects: DynamoRejectRepository, letters: DeadLetter[]): Promise<void> {
  const failed = await rejects.put(
    letters.map(({ record, attempts, error }) => ({
      code: 'processing-failed' as const,
      reason: `not stored after ${attempts} attempts: ${error}`,
      busId: record.kinesis.partitionKey,
      receivedAt: Math.round(record.kinesis.approximateArrivalTimestamp * 1000),
      payload: Buffer.from(record.kinesis.data, 'base64'),
    })),
  );
  if (failed.size) throw new Error(`${failed.size} dead letters could not be stored`);
}
