/**
 * The local HTTP API of the API benchmark in a process of its own, as on AWS the API functions run apart from
 * the ingest function: the same server and handlers `npm start` runs, on the stack's DynamoDB Local, tables and
 * clock, so ingest batches do not hold requests back on one event loop. Answers its URL, and its CPU time when
 * asked, over IPC.
 */
import { randomBytes } from 'node:crypto';
import { allApiRoutes } from '../../shared/api/index.js';
import { createApiDeps } from '../../shared/adapters/api-deps.js';
import { loadConfig } from '../../shared/adapters/config.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
import { localRouteHandlers } from '../../infra/local/api-functions.js';
import { devIssuer } from '../../infra/local/dev-issuer.js';
import { startLocalHttpServer } from '../../infra/local/http-server.js';
import { ScaledClock, type ClockDescription } from '../../infra/local/scaled-clock.js';
import { recordProcessSeconds } from './process-seconds.js';

export interface ApiServerOptions {
  dynamodbEndpoint: string;
  tablePrefix: string;
  cardHashKey: string;
  clock: ClockDescription;
}

/**
 * Asked `cpu`, the process's CPU time so far (user + system, µs): the benchmark divides it by the requests served;
 * asked `seconds`, what its event loop and GC did each second (the timeline's right-hand side).
 */
export type ApiServerCommand = { cmd: 'start'; options: ApiServerOptions } | { cmd: 'cpu' } | { cmd: 'seconds' };

const seconds = recordProcessSeconds();

// Stopped by the benchmark: exits cleanly, so a CPU profile asked for is written.
process.once('SIGTERM', () => process.exit(0));

process.on('message', (m: ApiServerCommand) => {
  if (m.cmd === 'seconds') {
    process.send!({ seconds: seconds() });
    return;
  }
  if (m.cmd === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ cpuUs: user + system });
    return;
  }
  start(m.options).then(
    (url) => process.send!({ url }),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});

async function start(opts: ApiServerOptions): Promise<string> {
  const clock = ScaledClock.from(opts.clock);
  const config = loadConfig({
    ...process.env,
    BUSFLOW_DYNAMODB_ENDPOINT: opts.dynamodbEndpoint,
    BUSFLOW_TABLE_PREFIX: opts.tablePrefix,
    BUSFLOW_CARD_HASH_KEY: opts.cardHashKey,
    BUSFLOW_CURSOR_KEY: randomBytes(32).toString('base64url'),
  });
  // The benchmark issues no trip orders: no assignment is ever published.
  const api = await createApiDeps(config, silentLogger, { clock, assignments: { publishAssignment: async () => undefined } });
  const server = await startLocalHttpServer({
    port: 0,
    routes: allApiRoutes,
    handlerFor: localRouteHandlers(api),
    issuer: await devIssuer(),
    logger: silentLogger,
    clock,
  });
  return server.url;
}
