/**
 * A simulated hour of the sample network, published by the simulator over MQTT (one connection per bus) to the
 * local stack: what lands in DynamoDB is exactly what the contract lets through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateListSchema, gpsListSchema, gpsRecordSchema, tapSchema } from '../../shared/catalogue/index.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import type { OutboundMessage, TruthRecord } from '../../simulator/core/events.js';
import { parseFaultProfile } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { registeringIdentities } from '../../infra/local/local-identities.js';
import { MqttSink } from '../../simulator/output/mqtt-sink.js';
import type { MessageSink, TruthSink } from '../../simulator/output/sink.js';
import { runSimulation, type RunSummary } from '../../simulator/run.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { TEST_SERVICE_DAY } from '../support/test-clock.js';

let stack: TestStack;
const sent: OutboundMessage[] = [];
const truth: TruthRecord[] = [];
let summary: RunSummary;
let fromMs: number;
const serviceDay = TEST_SERVICE_DAY;

beforeAll(async () => {
  stack = await startTestStack();
  const { network } = await loadGtfs(SAMPLE_NETWORK_DIR);
  const mqttSink = new MqttSink({ url: stack.broker.url, identity: registeringIdentities(stack.vehicles) });
  const tee: MessageSink = {
    write: async (messages) => {
      sent.push(...messages);
      await mqttSink.write(messages);
    },
    close: () => mqttSink.close(),
  };
  const truthSink: TruthSink = { write: async (r) => void truth.push(...r), close: async () => undefined };
  fromMs = serviceTimeToEpochMs(serviceDay, 7 * 3600, network.timezone);
  summary = await runSimulation({
    network, serviceDay, seed: 3, buses: 8, speed: Number.POSITIVE_INFINITY, sink: tee, truth: truthSink,
    profile: parseFaultProfile('malformedRate=0.02'),
    fromMs,
    toMs: serviceTimeToEpochMs(serviceDay, 8 * 3600, network.timezone),
  });
  await stack.settle();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** What the MQTT contract lets through, judged independently of the pipeline with the catalogue's schemas. */
function acceptedTapIds(): Set<string> {
  const ids = new Set<string>();
  for (const m of sent) {
    if (m.kind !== 'gate') continue;
    const list = gateListSchema.safeParse(m.body);
    if (!list.success) continue;
    for (const tap of list.data.taps) {
      const parsed = tapSchema.safeParse(tap);
      if (parsed.success) ids.add(parsed.data.tapId);
    }
  }
  return ids;
}

describe('a simulated hour through the local stack', () => {
  it('delivered every message the simulator sent', () => {
    expect(summary.delivery.failed).toBe(0);
    expect(summary.delivery.delivered).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(1000);
  });

  it('stores every tap the contract accepts, once, and no other', async () => {
    const buses = [...new Set(sent.map((m) => m.busId))];
    const stored = new Map<string, number>();
    for (const busId of buses) for (const item of await stack.telemetry.list(busId, serviceDay, 'tap')) stored.set(item.tapId as string, item.ts as number);
    expect(new Set(stored.keys())).toEqual(acceptedTapIds());
    // Every stored tap of the hour really happened (a message sent in the hour may carry a tap from just before it).
    const truthTaps = new Set(truth.flatMap((r) => (r.type === 'tap' ? [r.tap.tapId] : [])));
    const inHour = [...stored].filter(([, ts]) => ts >= fromMs + 60_000);
    expect(inHour.length).toBeGreaterThan(100);
    for (const [id] of inHour) expect(truthTaps.has(id), id).toBe(true);
  });

  it('stores each accepted position once, whatever the duplicates and offline uploads', async () => {
    const expectedByBus = new Map<string, Set<number>>();
    for (const m of sent) {
      if (m.kind !== 'gps') continue;
      const list = gpsListSchema.safeParse(m.body);
      if (!list.success) continue;
      for (const r of list.data.records) {
        const parsed = gpsRecordSchema.safeParse(r);
        if (parsed.success) (expectedByBus.get(m.busId) ?? expectedByBus.set(m.busId, new Set()).get(m.busId)!).add(parsed.data.ts);
      }
    }
    for (const [busId, expected] of expectedByBus) {
      const stored = await stack.telemetry.readGps(busId, Math.min(...expected), Math.max(...expected));
      expect(stored.map((p) => p.ts)).toEqual([...expected].sort((a, b) => a - b));
    }
    expect(sent.some((m) => m.kind === 'gps' && typeof m.body !== 'string' && (m.body.records as unknown[]).length > 1)).toBe(true);
  });

  it('puts the malformed messages in rejects with their reason', async () => {
    const malformed = truth.filter((r) => r.type === 'fault' && r.fault === 'malformed');
    expect(malformed.length).toBeGreaterThan(0);
    const rejects = await stack.rejects.list(TEST_SERVICE_DAY);
    expect(rejects.length).toBeGreaterThanOrEqual(malformed.length);
    expect(new Set(rejects.map((r) => r.code))).toEqual(new Set(['malformed-json', 'schema'].filter((c) => rejects.some((r) => r.code === c))));
  });
});
