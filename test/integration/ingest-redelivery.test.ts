/**
 * Redelivery as the Kinesis event source does it, on DynamoDB Local: a storage failure for one bus in the middle
 * of a batch sends that bus's first record and every later record of the batch (other buses' too) through the
 * handler again, and everything is still stored once, each vehicle at its last position.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KinesisStreamEvent } from 'aws-lambda';
import { telemetryTopic } from '../../shared/catalogue/index.js';
import type { IngestDeps } from '../../shared/domain/telemetry/ingest-batch.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { TEST_NOW, TEST_SERVICE_DAY } from '../support/test-clock.js';

// The test day; the stack's clock starts there too.
const now = TEST_NOW;
const day = TEST_SERVICE_DAY;
let stack: TestStack;
let release!: () => void;
const gate = new Promise<void>((resolve) => (release = resolve));
const deliveries = new Map<string, number>();
let failuresLeft = 1;

/** Holds the first batch until the test has published everything (so the rest forms one batch), and fails FLAKY's vehicle write once. */
function instrument(deps: IngestDeps): IngestDeps {
  let first = true;
  return {
    ...deps,
    vehicles: {
      getMany: async (busIds) => {
        if (first) {
          first = false;
          await gate;
        }
        return deps.vehicles.getMany(busIds);
      },
      advance: async (advances) => {
        const failed = await deps.vehicles.advance(advances.filter((a) => !(a.busId === 'FLAKY' && failuresLeft > 0)));
        if (advances.some((a) => a.busId === 'FLAKY') && failuresLeft > 0) {
          failuresLeft--;
          failed.set('FLAKY', new Error('throttled'));
        }
        return failed;
      },
    },
  };
}

beforeAll(async () => {
  stack = await startTestStack({
    stack: {
      routerShards: 1,
      instrument,
      onInvoke: (event: KinesisStreamEvent) => {
        for (const r of event.Records) deliveries.set(r.kinesis.sequenceNumber, (deliveries.get(r.kinesis.sequenceNumber) ?? 0) + 1);
      },
    },
  });
});
afterAll(async () => {
  release();
  await stack?.stop();
});

const fix = (ts: number, lat: number) => ({ ts, lat, lon: 106.7, speedKmh: 20, heading: 90 });

describe('redelivery after a partial batch failure', () => {
  it('stores every record once and leaves every vehicle at its last position', async () => {
    const buses = ['STEADY-A', 'FLAKY', 'STEADY-C'];
    const clients = new Map(await Promise.all(['WARM', ...buses].map(async (b) => [b, await stack.connectBus(b)] as const)));
    await stack.publish(clients.get('WARM')!, telemetryTopic('WARM', 'gps'), { v: 1, msgId: 'w', busId: 'WARM', records: [fix(now - 100_000, 10.7)] });
    const published = new Map<string, number[]>(buses.map((b) => [b, []]));
    // Interleaved: FLAKY's first record sits in the middle of the batch, with other buses' records after it.
    for (let i = 0; i < 4; i++) {
      for (const bus of buses) {
        const ts = now - 60_000 + i * 5_000;
        published.get(bus)!.push(ts);
        await stack.publish(clients.get(bus)!, telemetryTopic(bus, 'gps'), {
          v: 1,
          msgId: `${bus}-${i}`,
          busId: bus,
          records: [fix(ts, [10.7, 10.71, 10.72, 10.73][i]!)],
        });
      }
    }
    const tap = { tapId: 'tap-after-failure', ts: now - 30_000, cardId: '9704000011112222', product: 'single', amountVnd: 7000, medium: 'card' };
    await stack.publish(clients.get('STEADY-C')!, telemetryTopic('STEADY-C', 'gate'), { v: 1, msgId: 'g', busId: 'STEADY-C', taps: [tap] });
    release();
    await stack.settle();

    // The Kinesis way: the batch after WARM's was delivered twice from FLAKY's first record on.
    const sequences = [...deliveries.keys()].sort();
    const counts = sequences.map((s) => deliveries.get(s));
    expect(counts).toEqual([1, 1, ...Array<number>(12).fill(2)]);
    expect(stack.router.stats).toMatchObject({ accepted: 14, delivered: 14, retried: 12, deadLettered: 0, pending: 0 });

    for (const bus of buses) {
      const points = await stack.telemetry.readGps(bus, now - 120_000, now);
      expect(points.map((p) => p.ts)).toEqual(published.get(bus));
      const vehicle = await stack.vehicles.get(bus);
      expect(vehicle?.position).toMatchObject({ ts: published.get(bus)!.at(-1), lat: 10.73 });
      expect(vehicle?.version).toBe(1);
    }
    expect(await stack.telemetry.list('STEADY-C', day, 'tap')).toHaveLength(1);
    expect(stack.ingested.gpsStored).toBe(1 + 12);
    expect(await stack.rejects.list(day, 'FLAKY')).toEqual([]);
  });
});
