/** A local stack for one test file: its own tables on the run's DynamoDB Local, its own broker on a free port. */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { inject } from 'vitest';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../infra/local/local-stack.js';
import { registerBus } from '../../infra/local/register-bus.js';
import { recordingLogger } from './recording-logger.js';
import type { Network } from '../../shared/gtfs/model.js';
import type { Clock } from '../../shared/domain/ports/clock.js';
import { testClock } from './test-clock.js';

export const TEST_CARD_KEY = 'test-card-hash-key-0123456789abcdef';

export interface TestStack extends LocalStack {
  logger: ReturnType<typeof recordingLogger>;
  /** Registers a bus and connects it with its own credentials. */
  connectBus(busId: string, operatorId?: string): Promise<MqttClient>;
  /** Publishes with QoS 1 and resolves once the broker acknowledged. */
  publish(client: MqttClient, topic: string, payload: string | object): Promise<void>;
  /** Waits until everything accepted so far is ingested. */
  settle(): Promise<void>;
}

export interface TestStackOptions {
  /** Start the HTTP API (on a free port) with a fresh token issuer. */
  http?: boolean;
  /** Import this network before the API starts. */
  network?: Network;
  /** The stack's clock; default: the fixed test day (test-clock.ts), running with wall time. */
  clock?: Clock;
  /** Further local stack settings (router shards, instrumented ingest dependencies, ...). */
  stack?: Partial<Pick<LocalStackOptions, 'routerShards' | 'instrument' | 'onInvoke' | 'routerMaxPending' | 'console'>>;
}

export async function startTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const logger = recordingLogger();
  const stack = await startLocalStack({
    logger,
    clock: opts.clock ?? testClock(),
    // The test day lies in the past: DynamoDB Local would expire what the tests write.
    expireItems: false,
    cardHashKey: TEST_CARD_KEY,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    mqttPort: 0,
    tablePrefix: `t${randomUUID().slice(0, 8)}-`,
    ...(opts.http ? { httpPort: 0 } : {}),
    ...(opts.network ? { network: { network: opts.network, source: 'test' } } : {}),
    ...opts.stack,
  });
  const clients: MqttClient[] = [];
  return {
    ...stack,
    logger,
    async connectBus(busId, operatorId = 'OP1') {
      const { secret } = await registerBus(stack.vehicles, { busId, operatorId, plate: '51B-123.45' });
      const client = await mqtt.connectAsync(stack.broker.url, { clientId: busId, username: busId, password: secret, reconnectPeriod: 0 });
      clients.push(client);
      return client;
    },
    async publish(client, topic, payload) {
      await client.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1 });
    },
    settle: () => stack.router.drain(),
    async stop() {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
      await stack.stop();
    },
  };
}
