/**
 * A database that stops answering: DynamoDB Local's java is paused (SIGSTOP) while real MQTT clients keep
 * publishing, then continued (SIGCONT). Every message published is stored exactly once afterwards; a bus that
 * connects during the freeze is refused "server unavailable" within the credential timeout instead of waiting
 * forever, and gets in once the database answers again. The router's backlog is kept small here so that the
 * refusal of publishes past its bound (no PUBACK: the device sends again) is exercised too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { randomUUID } from 'node:crypto';
import { telemetryTopic } from '../../shared/catalogue/index.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { startLocalStack, type LocalStack } from '../../infra/local/local-stack.js';
import { registerBus } from '../../infra/local/register-bus.js';
import { recordingLogger } from '../support/recording-logger.js';
import { TEST_CARD_KEY } from '../support/test-stack.js';
import { testClock } from '../support/test-clock.js';

/** The stack's clock, on the test day: the buses stamp their fixes with it, as live devices with a good clock do. */
const clock = testClock();

const AUTH_TIMEOUT_MS = 1500;
const BUSES = 8;
const PUBLISH_EVERY_MS = 50;
const FREEZE_MS = 6000;
const MAX_PENDING = 300;

const logger = recordingLogger();
let db: DynamoDbLocal | undefined;
let stack: LocalStack | undefined;
let frozen = false;
const clients: MqttClient[] = [];

const freeze = () => {
  process.kill(db!.pid, 'SIGSTOP');
  frozen = true;
};
const thaw = () => {
  if (frozen && db) process.kill(db.pid, 'SIGCONT');
  frozen = false;
};

beforeAll(async () => {
  // Its own DynamoDB Local: pausing the run's shared one would stall the other test files.
  db = await startDynamoDbLocal();
  stack = await startLocalStack({
    logger,
    clock,
    // The test day lies in the past: DynamoDB Local would expire what the test writes.
    expireItems: false,
    cardHashKey: TEST_CARD_KEY,
    dynamodbEndpoint: db.endpoint,
    mqttPort: 0,
    tablePrefix: `t${randomUUID().slice(0, 8)}-`,
    authTimeoutMs: AUTH_TIMEOUT_MS,
    routerMaxPending: MAX_PENDING,
  });
});

afterAll(async () => {
  thaw();
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await stack?.stop();
  await db?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('DynamoDB stops answering', () => {
  it('loses nothing, refuses new connections in time, and stores everything once after it answers again', { timeout: 60_000 }, async () => {
    const s = stack!;
    const secrets = new Map<string, string>();
    for (let i = 0; i < BUSES; i++) {
      const busId = `FRZ-${i}`;
      secrets.set(busId, (await registerBus(s.vehicles, { busId, operatorId: 'OP1', plate: '51B-123.45' })).secret);
    }
    const late = await registerBus(s.vehicles, { busId: 'FRZ-LATE', operatorId: 'OP1', plate: '51B-123.46' });
    for (const [busId, password] of secrets) {
      const client = await mqtt.connectAsync(s.broker.url, { clientId: busId, username: busId, password, reconnectPeriod: 250 });
      // Refusals surface as client errors; the client reconnects and sends its unacknowledged messages again.
      client.on('error', () => undefined);
      clients.push(client);
    }

    const base = clock.now();
    const publishedTs = new Map<string, number[]>([...secrets.keys()].map((b) => [b, []]));
    let published = 0;
    let acked = 0;
    let republished = 0;
    let seq = 0;
    // As a device does: a publish the client library gives up on (its connection was closed while it was queued)
    // is sent again; one the broker acknowledged is done.
    const send = (client: MqttClient, topic: string, payload: string) =>
      client.publish(topic, payload, { qos: 1 }, (err) => {
        if (!err) return void acked++;
        republished++;
        setTimeout(() => send(client, topic, payload), 100);
      });
    const ticker = setInterval(() => {
      seq++;
      for (const client of clients) {
        const busId = client.options.clientId!;
        // Live fixes, 50 ms apart: what a bus measured just now (a steady lag would read as a wrong device clock).
        const ts = clock.now();
        publishedTs.get(busId)!.push(ts);
        published++;
        const message = { v: 1, msgId: `${busId}-${seq}`, busId, records: [{ ts, lat: 10.77, lon: 106.69, speedKmh: 20, heading: 90 }] };
        send(client, telemetryTopic(busId, 'gps'), JSON.stringify(message));
      }
    }, PUBLISH_EVERY_MS);

    try {
      await sleep(1500);
      freeze();
      const publishedBeforeFreeze = published;
      const freezeStarted = Date.now();

      // A bus connecting now is told "server unavailable" within the timeout, not left waiting for its CONNACK.
      const connectStarted = Date.now();
      await expect(
        mqtt.connectAsync(s.broker.url, { clientId: 'FRZ-LATE', username: 'FRZ-LATE', password: late.secret, reconnectPeriod: 0, connectTimeout: 20_000 }),
      ).rejects.toThrow(/Server unavailable/i);
      const refusedAfterMs = Date.now() - connectStarted;
      // Refused, not left hanging: well before the client's own 20 s connect timeout, with room for a loaded machine.
      expect(refusedAfterMs).toBeLessThan(AUTH_TIMEOUT_MS + 8000);

      await sleep(FREEZE_MS - (Date.now() - freezeStarted));
      const publishedDuringFreeze = published - publishedBeforeFreeze;
      const pendingAtThaw = s.router.stats.pending;
      const refusedDuringFreeze = s.router.stats.refused;
      thaw();
      const thawed = Date.now();
      await sleep(1000);
      clearInterval(ticker);

      await until(() => acked === published, 30_000, 'every publish to be acknowledged');
      await s.router.drain();
      const drainMs = Date.now() - thawed;

      const lateClient = await mqtt.connectAsync(s.broker.url, { clientId: 'FRZ-LATE', username: 'FRZ-LATE', password: late.secret, reconnectPeriod: 0 });
      clients.push(lateClient);
      expect(lateClient.connected).toBe(true);

      let stored = 0;
      const storedTs = new Map<string, number[]>();
      for (const busId of publishedTs.keys()) {
        const points = await s.telemetry.readGps(busId, base, clock.now() + 1000);
        storedTs.set(
          busId,
          points.map((p) => p.ts),
        );
        stored += points.length;
      }
      console.log(
        `freeze ${FREEZE_MS} ms: ${publishedDuringFreeze} messages published during it (${published} in all), ${pendingAtThaw} held by the router at SIGCONT ` +
          `(bound ${MAX_PENDING}), ${refusedDuringFreeze} publishes refused during it (${s.router.stats.refused} in all), ${stored} stored after, ` +
          `${republished} publishes sent again by the devices, drained ${drainMs} ms after SIGCONT; late connection refused after ${refusedAfterMs} ms`,
      );
      for (const [busId, expected] of publishedTs) {
        expect(storedTs.get(busId)).toEqual(expected);
        expect((await s.vehicles.get(busId))?.position?.ts).toBe(expected.at(-1));
      }
      expect(stored).toBe(published);
      expect(s.ingested.gpsStored).toBe(published);
      expect(refusedDuringFreeze).toBeGreaterThan(0);
      expect(s.router.stats).toMatchObject({ deadLettered: 0, pending: 0 });
      expect(logger.entries).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message: 'mqtt connection refused',
          extra: expect.objectContaining({ busId: 'FRZ-LATE', reason: 'credential check unavailable' }),
        }),
      );
    } finally {
      clearInterval(ticker);
      thaw();
    }
  });
});
