/** How the command-line tools reach the running `npm start` stack's DynamoDB (or the one given with --dynamodb). */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig, type Config } from '../../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../../shared/adapters/dynamodb/client.js';
import { systemClock, type Clock } from '../../../shared/domain/ports/clock.js';
import { ScaledClock } from '../scaled-clock.js';
import { readEndpoints, type LocalEndpoints } from '../state-file.js';

export interface StackConnection {
  config: Config;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  running?: LocalEndpoints;
  /** The running stack's clock (its simulated time when a fleet runs), else the system clock. */
  clock: Clock;
}

/** Runs `use` with a connection to the stack, then closes it; says how to start one when none runs (exit code 1). */
export async function withRunningStack(dynamodbOverride: string | undefined, use: (c: StackConnection) => Promise<number>): Promise<number> {
  const running = readEndpoints();
  const endpoint = dynamodbOverride ?? running?.dynamodbEndpoint;
  if (!endpoint) {
    console.error('No local stack is running: start it with `npm start` (or pass --dynamodb URL).');
    return 1;
  }
  const config = loadConfig({ ...process.env, BUSFLOW_DYNAMODB_ENDPOINT: endpoint, ...(running ? { BUSFLOW_TABLE_PREFIX: running.tablePrefix } : {}) });
  const client = createDynamoClient(config);
  try {
    const clock = running?.clock ? ScaledClock.from(running.clock) : systemClock;
    return await use({ config, client, doc: createDocumentClient(client), clock, ...(running ? { running } : {}) });
  } finally {
    client.destroy();
  }
}
