/**
 * Journeys through the whole local stack: orders approved through the API, a simulated morning published over
 * MQTT, journeys recomputed by the ingest function as trips end, served by the API and exported as TIDES CSV.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGtfs, type Network } from '../../shared/gtfs/model.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { serviceDayOf } from '../../shared/domain/time/service-day.js';
import { FARE_TRANSACTIONS_COLUMNS, PASSENGER_EVENTS_COLUMNS, STOP_VISITS_COLUMNS, TRIPS_PERFORMED_COLUMNS } from '../../shared/domain/journeys/tides.js';
import { journeyRecomputer } from '../../shared/adapters/journeys.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
import { planDay, tripOrderOf } from '../../simulator/core/day-plan.js';
import type { TruthRecord } from '../../simulator/core/events.js';
import { faultProfiles } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { MqttSink } from '../../simulator/output/mqtt-sink.js';
import { runSimulation } from '../../simulator/run.js';
import { registerBus } from '../../infra/local/register-bus.js';
import { submitTripOrders } from '../../infra/local/local-fleet.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

let stack: TestStack;
let network: Network;
let centre: string;
const truth: TruthRecord[] = [];
const day = serviceDayOf(Date.now());
const BUSES = 4;

async function get(path: string, token: string): Promise<{ status: number; text: string; json: any }> {
  const res = await fetch(`${stack.http!.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  stack = await startTestStack({ http: true, network });
  centre = await stack.http!.issuer.sign({ role: 'centre' });
  const contracts = JSON.parse(readFileSync(join(SAMPLE_NETWORK_DIR, 'contracts.json'), 'utf8'));
  await stack.http!.api.contracts.put(contracts.contracts);
  const plan = planDay(network, day, { seed: 2, maxBuses: BUSES });
  const secrets = new Map<string, string>();
  for (const d of plan.duties) secrets.set(d.busId, (await registerBus(stack.vehicles, { busId: d.busId, operatorId: d.operatorId, plate: d.plate })).secret);
  await submitTripOrders(stack.http!, plan.duties.map((d) => tripOrderOf(d, day)));
  await runSimulation({
    network, serviceDay: day, seed: 2, buses: BUSES, speed: Number.POSITIVE_INFINITY, profile: faultProfiles.none,
    sink: new MqttSink({ url: stack.broker.url, identity: async (busId) => ({ kind: 'password', secret: secrets.get(busId)! }) }),
    truth: { write: async (r) => void truth.push(...r), close: async () => undefined },
    fromMs: serviceTimeToEpochMs(day, 6 * 3600, network.timezone),
    toMs: serviceTimeToEpochMs(day, 8 * 3600, network.timezone),
  });
  await stack.settle();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('journeys', () => {
  it('are recomputed by ingestion as trips end, and match what really happened', async () => {
    const res = await get(`/v1/journeys?serviceDay=${day}`, centre);
    expect(res.status).toBe(200);
    const trips: any[] = res.json.items;
    const ended = new Set(truth.flatMap((r) => (r.type === 'trip' && r.actualEndMs && r.actualEndMs < serviceTimeToEpochMs(day, 7.9 * 3600, network.timezone) && r.actualStartMs! > serviceTimeToEpochMs(day, 6 * 3600, network.timezone) ? [r.tripId] : [])));
    expect(ended.size).toBeGreaterThan(2);
    const byTrip = new Map(trips.map((t) => [t.tripId, t]));
    let visited = 0;
    let found = 0;
    for (const r of truth) {
      if (r.type !== 'stop_visit' || !ended.has(r.tripId) || r.skipped) continue;
      visited++;
      const v = byTrip.get(r.tripId)?.visits.find((x: any) => x.stopSequence === r.stopSequence);
      if (v?.status === 'visited' && Math.abs(v.arrivalMs - r.arrivalMs!) < 30_000) found++;
    }
    expect(found / visited).toBeGreaterThan(0.95);
    for (const id of ended) expect(byTrip.get(id)?.classification, id).toBe('completed');
    expect(trips.some((t) => t.visits.some((v: any) => v.boardings > 0 && v.revenueVnd > 0))).toBe(true);
    const delayed = trips.flatMap((t) => t.visits.filter((v: any) => v.delayS !== undefined));
    expect(delayed.length).toBeGreaterThan(10);
    for (const v of delayed) expect(v.delayS).toBe(Math.round((v.arrivalMs - v.scheduledArrivalMs) / 1000) + 0);
  });

  it('recomputes idempotently: the same trips, never duplicated visits', async () => {
    const recompute = journeyRecomputer(stack.doc, stack.config.tableNames, silentLogger);
    const strip = (items: any[]) => items.map(({ computedAt: _c, ...t }) => t).sort((a, b) => a.tripId.localeCompare(b.tripId));
    await recompute.serviceDay(day);
    const before = strip((await get(`/v1/journeys?serviceDay=${day}`, centre)).json.items);
    await recompute.serviceDay(day);
    const after = strip((await get(`/v1/journeys?serviceDay=${day}`, centre)).json.items);
    expect(after).toEqual(before);
    expect(new Set(after.map((t: any) => `${t.busId}|${t.tripId}`)).size).toBe(after.length);
  });

  it('lets an operator read only its own journeys', async () => {
    const sgb = await stack.http!.issuer.sign({ role: 'operator', operatorId: 'SGB' });
    const mine = await get(`/v1/journeys?serviceDay=${day}`, sgb);
    expect(mine.status).toBe(200);
    expect(mine.json.items.every((t: any) => t.operatorId === 'SGB')).toBe(true);
    const theirs = await get(`/v1/journeys?serviceDay=${day}&operatorId=HTX15`, sgb);
    expect(theirs.status).toBe(403);
  });

  it('serves the day’s quality and the watch list', async () => {
    const q = await get(`/v1/quality?serviceDay=${day}`, centre);
    expect(q.status).toBe(200);
    expect(q.json.planned).toBeGreaterThan(0);
    expect(q.json.onTimeShare).toBeGreaterThan(0);
    expect(q.json.wifiAvailability).toBeGreaterThan(0.9);
    expect(Object.values(q.json.ridership.byRoute).reduce((a: number, b) => a + (b as number), 0)).toBeGreaterThan(0);
    const w = await get(`/v1/quality/watch-list?endDay=${day}&days=3`, centre);
    expect(w.status).toBe(200);
    expect(w.json.days).toHaveLength(3);
    expect(w.json.operatorsByViolations.length).toBeGreaterThan(0);
    expect((await get(`/v1/quality/watch-list?endDay=${day}&days=2`, centre)).json.field).toBe('days');
  });

  it('names the bad parameter', async () => {
    const bad = await get('/v1/journeys?serviceDay=yesterday', centre);
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('serviceDay');
    const table = await get(`/v1/journeys/tides/fare_transactionz?serviceDay=${day}`, centre);
    expect(table.status).toBe(400);
    expect(table.json.field).toBe('table');
  });

  it('exports TIDES trips_performed and stop_visits with their exact columns', async () => {
    const trips = await get(`/v1/journeys/tides/trips_performed?serviceDay=${day}`, centre);
    expect(trips.status).toBe(200);
    const lines = trips.text.trim().split('\r\n');
    expect(lines[0]).toBe(TRIPS_PERFORMED_COLUMNS.join(','));
    const count = (await get(`/v1/journeys?serviceDay=${day}`, centre)).json.items.length;
    expect(lines).toHaveLength(count + 1);
    const visits = await get(`/v1/journeys/tides/stop_visits?serviceDay=${day}`, centre);
    const vLines = visits.text.trim().split('\r\n');
    expect(vLines[0]).toBe(STOP_VISITS_COLUMNS.join(','));
    expect(vLines.slice(1).every((l) => /,(Scheduled|Skipped|Missing)$/.test(l))).toBe(true);
    const events = (await get(`/v1/journeys/tides/passenger_events?serviceDay=${day}`, centre)).text.trim().split('\r\n');
    expect(events[0]).toBe(PASSENGER_EVENTS_COLUMNS.join(','));
    expect(events.some((l) => l.includes(',Passenger boarded,'))).toBe(true);
    const fares = (await get(`/v1/journeys/tides/fare_transactions?serviceDay=${day}`, centre)).text.trim().split('\r\n');
    expect(fares[0]).toBe(FARE_TRANSACTIONS_COLUMNS.join(','));
    expect(fares.length).toBeGreaterThan(10);
    expect(fares.join('\n')).not.toMatch(/9704\d{12}/); // card numbers never leave in clear
  });
});
