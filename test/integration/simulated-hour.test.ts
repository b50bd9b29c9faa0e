/**
 * A simulated hour of the sample network, published by the simulator over MQTT (one connection per bus) to the
 * local stack: what lands in DynamoDB is exactly what the simulator sent, less what its truth says it broke on
 * purpose, and each broken message is in the rejects with the code its kind of breakage calls for. The
 * expectations are built from the messages sent and the truth alone, never with the pipeline's own schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    network,
    serviceDay,
    seed: 3,
    buses: 8,
    speed: Number.POSITIVE_INFINITY,
    sink: tee,
    truth: truthSink,
    profile: parseFaultProfile('malformedRate=0.02'),
    fromMs,
    toMs: serviceTimeToEpochMs(serviceDay, 8 * 3600, network.timezone),
  });
  await stack.settle();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

interface MalformedFault {
  busId: string;
  msgId: string;
  kind: string;
  variant: 'truncated_json' | 'wrong_type' | 'missing_msgId';
  field?: string;
}

/** The messages the simulator broke on purpose, as its truth tells them. */
function malformedFaults(): MalformedFault[] {
  return truth.flatMap((r) => (r.type === 'fault' && r.fault === 'malformed' ? [{ busId: r.busId, ...(r.detail as Omit<MalformedFault, 'busId'>) }] : []));
}

/**
 * The elements (GPS records or taps) of every message sent, as sent, except what the truth says was broken: the
 * whole message when its JSON was cut or its msgId removed, the first element when that element's type was changed.
 */
function intactElements(kind: 'gps' | 'gate'): { busId: string; element: Record<string, unknown> }[] {
  const broken = new Map(malformedFaults().map((f) => [`${f.busId}|${f.msgId}`, f]));
  const listName = kind === 'gps' ? 'records' : 'taps';
  const out: { busId: string; element: Record<string, unknown> }[] = [];
  for (const m of sent) {
    if (m.kind !== kind) continue;
    const fault = broken.get(`${m.busId}|${m.msgId}`);
    if (fault && fault.variant !== 'wrong_type') continue;
    const elements = (m.body as Record<string, unknown>)[listName] as Record<string, unknown>[];
    out.push(...elements.slice(fault ? 1 : 0).map((element) => ({ busId: m.busId, element })));
  }
  return out;
}

/** The reject code and field each kind of breakage must produce (the MQTT contract, docs/mqtt-contract.md). */
function expectedReject(f: MalformedFault): { busId: string; code: string; field?: string } {
  switch (f.variant) {
    case 'truncated_json':
      return { busId: f.busId, code: 'malformed-json' };
    case 'missing_msgId':
      return { busId: f.busId, code: 'schema', field: 'msgId' };
    case 'wrong_type':
      return { busId: f.busId, code: 'schema', ...(f.field ? { field: f.field } : {}) };
  }
}

describe('a simulated hour through the local stack', () => {
  it('delivered every message the simulator sent', () => {
    expect(summary.delivery.failed).toBe(0);
    expect(summary.delivery.delivered).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(1000);
  });

  it('stores every tap sent intact, once, as it was sent, and no other', async () => {
    const expected = new Map(intactElements('gate').map(({ element }) => [element.tapId as string, element]));
    const buses = [...new Set(sent.map((m) => m.busId))];
    const stored = new Map<string, Record<string, unknown>>();
    for (const busId of buses) for (const item of await stack.telemetry.list(busId, serviceDay, 'tap')) stored.set(item.tapId as string, item);
    expect(expected.size).toBeGreaterThan(100);
    expect(new Set(stored.keys())).toEqual(new Set(expected.keys()));
    for (const [tapId, tap] of stored) {
      const sentTap = expected.get(tapId)!;
      expect({ ts: tap.ts, amountVnd: tap.amountVnd, product: tap.product, medium: tap.medium }, tapId).toEqual({
        ts: sentTap.ts,
        amountVnd: sentTap.amountVnd,
        product: sentTap.product,
        medium: sentTap.medium,
      });
    }
    // Every stored tap of the hour really happened (a message sent in the hour may carry a tap from just before it).
    const truthTaps = new Set(truth.flatMap((r) => (r.type === 'tap' ? [r.tap.tapId] : [])));
    const inHour = [...stored].filter(([, tap]) => (tap.ts as number) >= fromMs + 60_000);
    expect(inHour.length).toBeGreaterThan(100);
    for (const [id] of inHour) expect(truthTaps.has(id), id).toBe(true);
  });

  it('stores each position sent intact once, as it was sent, whatever the duplicates and offline uploads', async () => {
    const expectedByBus = new Map<string, Map<number, Record<string, unknown>>>();
    for (const { busId, element } of intactElements('gps')) {
      (expectedByBus.get(busId) ?? expectedByBus.set(busId, new Map()).get(busId)!).set(element.ts as number, element);
    }
    expect([...expectedByBus.values()].reduce((n, byTs) => n + byTs.size, 0)).toBeGreaterThan(1000);
    for (const [busId, expected] of expectedByBus) {
      const stored = await stack.telemetry.readGps(busId, Math.min(...expected.keys()), Math.max(...expected.keys()));
      expect(
        stored.map((p) => p.ts),
        busId,
      ).toEqual([...expected.keys()].sort((a, b) => a - b));
      for (const p of stored) {
        const sentFix = expected.get(p.ts)!;
        expect(p.lat, `${busId} ${p.ts}`).toBeCloseTo(sentFix.lat as number, 6);
        expect(p.lon, `${busId} ${p.ts}`).toBeCloseTo(sentFix.lon as number, 6);
        expect(p.doorOpen, `${busId} ${p.ts}`).toBe(sentFix.doorOpen);
      }
    }
    expect(sent.some((m) => m.kind === 'gps' && typeof m.body !== 'string' && (m.body.records as unknown[]).length > 1)).toBe(true);
  });

  it('puts each malformed message in rejects with the code its breakage calls for, and nothing else', async () => {
    const malformed = malformedFaults();
    expect(new Set(malformed.map((f) => f.variant))).toEqual(new Set(['truncated_json', 'wrong_type', 'missing_msgId']));
    const rejects = await stack.rejects.list(TEST_SERVICE_DAY);
    const expected = malformed.map(expectedReject);
    // The codes come from what the simulator broke: none missing, none other.
    expect(new Set(rejects.map((r) => r.code))).toEqual(new Set(expected.map((e) => e.code)));
    // Each broken message has its reject on its bus, naming the field when one field was broken.
    const unmatched = [...rejects];
    for (const e of expected) {
      const i = unmatched.findIndex((r) => r.busId === e.busId && r.code === e.code && (e.field === undefined || r.field === e.field));
      expect(i, JSON.stringify(e)).toBeGreaterThanOrEqual(0);
      unmatched.splice(i, 1);
    }
    expect(unmatched).toEqual([]);
  });
});
