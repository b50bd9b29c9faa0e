import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { fixedClock } from '../../shared/domain/ports/clock.js';
import type { TruthRecord } from '../../simulator/core/events.js';
import { faultProfiles } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { MqttSink } from '../../simulator/output/mqtt-sink.js';
import { runSimulation } from '../../simulator/run.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { prepareSampleDay } from '../support/simulated-day.js';

const day = '2026-11-26';
const BUSES = 10;
/** Operational faults only: what reconciliation judges, without the data faults that make lines need review. */
const profile = {
  ...faultProfiles.none,
  lateDepartureRate: 0.25,
  lateDepartureMaxMinutes: 15,
  skippedStopRate: 0.03,
  missedTripRate: 0.08,
  shortTurnRate: 0.1,
  unscheduledPerBusDay: 0.5,
};
const clock = fixedClock(0);
const truth: TruthRecord[] = [];
let stack: TestStack;
let network: Network;
let centre: string;

async function call(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(`${stack.http!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text.slice(0, 300)}`).toBe(200);
  return JSON.parse(text);
}

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  const endMs = serviceTimeToEpochMs(day, 9.5 * 3600, network.timezone);
  clock.set(endMs);
  stack = await startTestStack({ http: true, network, clock });
  centre = await stack.http!.issuer.sign({ role: 'centre' });
  const { identity } = await prepareSampleDay(stack, network, day, { seed: 5, buses: BUSES });
  await runSimulation({
    network,
    serviceDay: day,
    seed: 5,
    buses: BUSES,
    speed: Number.POSITIVE_INFINITY,
    profile,
    sink: new MqttSink({ url: stack.broker.url, identity }),
    truth: { write: async (r) => void truth.push(...r), close: async () => undefined },
    fromMs: serviceTimeToEpochMs(day, 5.5 * 3600, network.timezone),
    toMs: endMs,
  });
  await stack.settle();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a reconciled morning', () => {
  it("classes ≥ 99 % of the morning's planned trips as the simulator's ground truth has them", async () => {
    const { runs } = await call('POST', '/v1/reconciliations', centre, { serviceDay: day });
    expect(runs.length).toBeGreaterThan(0);
    const lines = new Map<string, any>();
    for (const r of runs) {
      const view = await call('GET', `/v1/reconciliations/${day}/${r.operatorId}`, centre);
      for (const l of view.version.statement.lines) if (l.planned?.tripId) lines.set(`${l.planned.tripOrderId}|${l.planned.tripId}`, l);
    }
    const orders = (await call('GET', `/v1/trip-orders?serviceDay=${day}&limit=200`, centre)).items as any[];
    const orderId = new Map(orders.map((o) => [o.orderNumber, o.id]));
    // The planned trips the morning decided: run and ended, or missed, well before the clock.
    const decidedBy = serviceTimeToEpochMs(day, 9 * 3600, network.timezone);
    const decided = truth.flatMap((t) =>
      t.type === 'trip' &&
      t.tripOrderId &&
      t.plannedDepartureMs !== undefined &&
      t.plannedDepartureMs < decidedBy &&
      (t.classification === 'missed' || (t.actualEndMs ?? Infinity) < decidedBy)
        ? [t]
        : [],
    );
    expect(decided.length).toBeGreaterThan(20);
    const kinds = new Set(decided.map((t) => (t.type === 'trip' ? t.classification : '')));
    expect(kinds.size).toBeGreaterThan(2);
    const journeys = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/v1/journeys?serviceDay=${day}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, centre);
      for (const j of page.items) journeys.set(`${j.busId}|${j.tripId}`, j.classification);
      cursor = page.nextCursor;
    } while (cursor);
    const mismatches: string[] = [];
    for (const t of decided) {
      if (t.type !== 'trip') continue;
      const line = lines.get(`${orderId.get(t.tripOrderId)}|${t.tripId}`);
      if (line?.class !== t.classification)
        mismatches.push(
          `${t.tripId}: truth ${t.classification}, statement ${line?.class ?? 'no line'}, stops ${JSON.stringify(line?.evidence?.stops ? { ...line.evidence.stops, unobservedStopIds: undefined } : undefined)}, journey ${line?.evidence?.performedTrip?.tripId} classed ${journeys.get(`${t.busId}|${t.tripId}`)} by the journeys stage`,
        );
    }
    expect(1 - mismatches.length / decided.length, mismatches.join('\n')).toBeGreaterThanOrEqual(0.99);
    // Unscheduled runs of the morning are flagged, not paid.
    const unscheduled = [...lines.values()].filter((l) => l.kind === 'unscheduled');
    expect(unscheduled.every((l) => l.flagged && l.amountVnd === 0)).toBe(true);
  }, 60_000);
});
