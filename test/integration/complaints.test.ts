/**
 * Complaints on a simulated morning with harsh faults, through the local API on DynamoDB Local: a complaint about
 * a stop the simulator's ground truth says a bus skipped comes back confirmed with that visit as evidence; one
 * about a stop where the bus stopped comes back bus-stopped; one about a route with no bus in the window, no-data;
 * an operator reads only the complaints that concern it; the quality view counts the upheld ones per operator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { fixedClock } from '../../shared/domain/ports/clock.js';
import type { TruthRecord } from '../../simulator/core/events.js';
import { faultProfiles } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { simulateSampleMorning } from '../support/simulated-day.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

type StopVisitTruth = Extract<TruthRecord, { type: 'stop_visit' }>;

let stack: TestStack;
let network: Network;
let centre: string;
const truth: TruthRecord[] = [];
const day = '2026-11-26';
const BUSES = 6;
const SEED = 5;
const MIN = 60_000;
const clock = fixedClock(0);
const local = (hours: number) => serviceTimeToEpochMs(day, hours * 3600, network.timezone);

async function api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${stack.http!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

const complain = async (body: Record<string, unknown>) => {
  const res = await api('POST', '/v1/complaints', centre, body);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
};

/** Truth visits of trips that ran wholly inside the simulated morning, at stops other passes of the route leave alone. */
function alone(visits: StopVisitTruth[], all: StopVisitTruth[]): StopVisitTruth[] {
  return visits.filter(
    (v) =>
      v.passedMs > local(6.25) &&
      v.passedMs < local(7.75) &&
      !all.some((o) => o !== v && o.routeId === v.routeId && o.stopId === v.stopId && Math.abs(o.passedMs - v.passedMs) <= 20 * MIN),
  );
}

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  clock.set(local(8));
  stack = await startTestStack({ http: true, network, clock });
  centre = await stack.http!.issuer.sign({ role: 'centre' });
  truth.push(
    ...(await simulateSampleMorning(stack, network, day, { seed: SEED, buses: BUSES, profile: faultProfiles.harsh, fromMs: local(6), toMs: local(8), clock })),
  );
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('complaints checked against the journeys', () => {
  const visits = () => truth.filter((r): r is StopVisitTruth => r.type === 'stop_visit');
  const recorded: any[] = [];

  it('confirms a complaint about a stop the bus skipped, with that visit as evidence', async () => {
    const skips = alone(
      visits().filter((v) => v.skipped),
      visits(),
    );
    expect(skips.length).toBeGreaterThan(3);
    let confirmed = 0;
    for (const skip of skips) {
      // The passenger reports the time a few minutes off, as people do.
      const c = await complain({ kind: 'skipped-stop', routeId: skip.routeId, stopId: skip.stopId, at: new Date(skip.passedMs + 4 * MIN).toISOString() });
      recorded.push(c);
      const pass = c.evidence.find((p: any) => p.busId === skip.busId && p.tripId === skip.tripId && p.stopSequence === skip.stopSequence);
      if (c.verdict !== 'confirmed-skipped' || pass?.status !== 'skipped') continue;
      confirmed++;
      expect(Math.abs(Date.parse(pass.passedAt) - skip.passedMs)).toBeLessThan(MIN);
      expect(pass.zone.radiusM).toBe(40);
      expect(pass.closestApproach.distanceM).toBeLessThan(150);
      expect(c.confirmedOperatorIds).toContain(pass.operatorId);
      const stopName = network.stops.get(skip.stopId)!.name;
      expect(c.summary.vi).toContain(`tuyến ${skip.routeId} đi qua trạm ${stopName} lúc `);
      expect(c.summary.vi).toContain('mà không dừng');
      expect(c.summary.en).toContain(`of route ${skip.routeId} passed stop ${stopName} at `);
      expect(c.summary.en).toContain('without stopping');
    }
    // The journeys find 95 % of harsh skips (docs/performance.md): most complaints are upheld.
    expect(confirmed / skips.length).toBeGreaterThanOrEqual(0.75);
  }, 60_000);

  it('answers bus-stopped about a stop where the bus stopped and dwelled', async () => {
    const served = alone(
      visits().filter((v) => !v.skipped && v.departureMs! - v.arrivalMs! >= 15_000),
      visits(),
    ).slice(0, 8);
    expect(served.length).toBeGreaterThan(3);
    let stopped = 0;
    for (const v of served) {
      const c = await complain({ kind: 'skipped-stop', routeId: v.routeId, stopId: v.stopId, at: new Date(v.arrivalMs! - 3 * MIN).toISOString() });
      recorded.push(c);
      const pass = c.evidence.find((p: any) => p.busId === v.busId && p.tripId === v.tripId && p.stopSequence === v.stopSequence);
      if (c.verdict !== 'bus-stopped' || pass?.finding !== 'stopped') continue;
      stopped++;
      // Harsh faults skew device clocks by up to 30 s.
      expect(Math.abs(Date.parse(pass.arrivalAt) - v.arrivalMs!)).toBeLessThan(60_000);
      expect(pass.dwellS).toBeGreaterThan(5);
      expect(c.confirmedOperatorIds).toEqual([]);
    }
    expect(stopped / served.length).toBeGreaterThanOrEqual(0.75);
  }, 60_000);

  it('answers no-data about a route with no bus in the window', async () => {
    const v = visits()[0]!;
    // Before the simulated morning began: no bus of the route ran.
    const c = await complain({ kind: 'skipped-stop', routeId: v.routeId, stopId: v.stopId, at: new Date(local(5.25)).toISOString() });
    recorded.push(c);
    expect(c.verdict).toBe('no-data');
    expect(c.evidence).toEqual([]);
    expect(c.summary.vi).toMatch(/^Không có dữ liệu: không có xe nào của tuyến /);
  });

  it('refuses a complaint in the future, about an unknown stop or plate, or naming nobody, with the failing field', async () => {
    const v = visits()[0]!;
    const base = { kind: 'skipped-stop', routeId: v.routeId, stopId: v.stopId, at: new Date(local(7)).toISOString() };
    for (const [body, field] of [
      [{ ...base, at: new Date(local(8.5)).toISOString() }, 'at'],
      [{ ...base, stopId: 'NO-SUCH-STOP' }, 'stopId'],
      [{ ...base, routeId: undefined, plate: '99Z-999.99' }, 'plate'],
      [{ ...base, routeId: undefined }, 'routeId'],
    ] as const) {
      const res = await api('POST', '/v1/complaints', centre, body);
      expect(res.status).toBe(400);
      expect(res.json.field).toBe(field);
    }
    const operator = await stack.http!.issuer.sign({ role: 'operator', operatorId: 'SGB' });
    expect((await api('POST', '/v1/complaints', operator, base)).status).toBe(403);
  });

  it('lets an operator read only the complaints about its own buses or routes', async () => {
    const byOperator = new Map<string, any[]>();
    for (const c of recorded) for (const op of c.operatorIds) byOperator.set(op, [...(byOperator.get(op) ?? []), c]);
    expect(byOperator.size).toBeGreaterThan(1);
    const [ours, theirs] = [...byOperator.keys()] as [string, string];
    const token = await stack.http!.issuer.sign({ role: 'operator', operatorId: ours });
    const foreign = recorded.find((c) => !c.operatorIds.includes(ours))!;
    expect(foreign).toBeDefined();
    expect((await api('GET', `/v1/complaints/${foreign.id}`, token)).status).toBe(404);
    const own = byOperator.get(ours)![0];
    expect((await api('GET', `/v1/complaints/${own.id}`, token)).json).toEqual(own);
    const listed = await api('GET', `/v1/complaints?serviceDay=${day}&limit=200`, token);
    expect(listed.json.items.map((c: any) => c.id).sort()).toEqual(
      byOperator
        .get(ours)!
        .map((c) => c.id)
        .sort(),
    );
    expect((await api('GET', `/v1/complaints?serviceDay=${day}&operatorId=${theirs}`, token)).status).toBe(403);
    // The centre sees them all, and filters by verdict.
    const all = await api('GET', `/v1/complaints?serviceDay=${day}&limit=200`, centre);
    expect(all.json.items).toHaveLength(recorded.length);
    const upheld = await api('GET', `/v1/complaints?serviceDay=${day}&verdict=confirmed-skipped&limit=200`, centre);
    expect(upheld.json.items.map((c: any) => c.id).sort()).toEqual(
      recorded
        .filter((c) => c.verdict === 'confirmed-skipped')
        .map((c) => c.id)
        .sort(),
    );
  });

  it('counts the upheld complaints per operator in the quality view', async () => {
    const expected: Record<string, number> = {};
    for (const c of recorded) for (const op of c.confirmedOperatorIds) expected[op] = (expected[op] ?? 0) + 1;
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    const q = await api('GET', `/v1/quality?serviceDay=${day}`, centre);
    expect(q.json.confirmedComplaintsByOperator).toEqual(expected);
    const [op] = Object.keys(expected);
    const token = await stack.http!.issuer.sign({ role: 'operator', operatorId: op! });
    expect((await api('GET', `/v1/quality?serviceDay=${day}`, token)).json.confirmedComplaintsByOperator).toEqual({ [op!]: expected[op!] });
  });
});
