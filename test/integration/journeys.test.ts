import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { TRIPS_PERFORMED_COLUMNS } from '../../shared/domain/journeys/tides.js';
import { journeyRecomputer } from '../../shared/adapters/journeys.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
import type { TruthRecord } from '../../simulator/core/events.js';
import { faultProfiles } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { MqttSink } from '../../simulator/output/mqtt-sink.js';
import { runSimulation } from '../../simulator/run.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { describeErrors, TIDES_EXPORTED_TABLES, tidesSchema, validateCsv } from '../support/table-schema.js';
import { fixedClock } from '../../shared/domain/ports/clock.js';
import { prepareSampleDay } from '../support/simulated-day.js';

let stack: TestStack;
let network: Network;
let centre: string;
const truth: TruthRecord[] = [];
const day = '2026-11-26';
const BUSES = 4;
/** The stack's clock: the end of the simulated morning, until a test moves it. */
const clock = fixedClock(0);

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

/** Every trip of a journeys list, page by page (`limit` + `nextCursor`). */
async function allJourneys(query: string, token: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const res = await get(`/v1/journeys?${query}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    expect(res.status, res.text).toBe(200);
    items.push(...res.json.items);
    cursor = res.json.nextCursor;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  clock.set(serviceTimeToEpochMs(day, 8 * 3600, network.timezone));
  stack = await startTestStack({ http: true, network, clock });
  centre = await stack.http!.issuer.sign({ role: 'centre' });
  const { identity } = await prepareSampleDay(stack, network, day, { seed: 2, buses: BUSES });
  await runSimulation({
    network,
    serviceDay: day,
    seed: 2,
    buses: BUSES,
    speed: Number.POSITIVE_INFINITY,
    profile: faultProfiles.none,
    sink: new MqttSink({ url: stack.broker.url, identity }),
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
    const trips = await allJourneys(`serviceDay=${day}`, centre);
    const ended = new Set(
      truth.flatMap((r) =>
        r.type === 'trip' &&
        r.actualEndMs &&
        r.actualEndMs < serviceTimeToEpochMs(day, 7.9 * 3600, network.timezone) &&
        r.actualStartMs! > serviceTimeToEpochMs(day, 6 * 3600, network.timezone)
          ? [r.tripId]
          : [],
      ),
    );
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
    for (const v of delayed) {
      expect(Number.isInteger(v.delayS)).toBe(true);
      expect(Math.abs(v.delayS - (v.arrivalMs - v.scheduledArrivalMs) / 1000)).toBeLessThanOrEqual(0.5);
    }
  });

  it('recomputes idempotently: the same trips, never duplicated visits', async () => {
    const recompute = journeyRecomputer(stack.doc, stack.config.tableNames, silentLogger, clock);
    const strip = (items: any[]) => items.map(({ computedAt: _c, ...t }) => t).sort((a, b) => a.tripId.localeCompare(b.tripId));
    await recompute.serviceDay(day);
    const before = strip(await allJourneys(`serviceDay=${day}`, centre));
    await recompute.serviceDay(day);
    const after = strip(await allJourneys(`serviceDay=${day}`, centre));
    expect(after).toEqual(before);
    expect(new Set(after.map((t: any) => `${t.busId}|${t.tripId}`)).size).toBe(after.length);
  });

  it('lets an operator read only its own journeys', async () => {
    const sgb = await stack.http!.issuer.sign({ role: 'operator', operatorId: 'SGB' });
    const mine = await allJourneys(`serviceDay=${day}`, sgb);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((t: any) => t.operatorId === 'SGB')).toBe(true);
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

  it('pages like the other lists: a cursor of another query is refused', async () => {
    const first = await get(`/v1/journeys?serviceDay=${day}&limit=2`, centre);
    expect(first.json.items).toHaveLength(2);
    const cursor = encodeURIComponent(first.json.nextCursor);
    expect((await get(`/v1/journeys?serviceDay=${day}&limit=2&cursor=${cursor}`, centre)).status).toBe(200);
    const sgb = await stack.http!.issuer.sign({ role: 'operator', operatorId: 'SGB' });
    for (const [query, token] of [
      [`serviceDay=2026-11-27`, centre],
      [`serviceDay=${day}&operatorId=SGB`, centre],
      [`serviceDay=${day}`, sgb],
    ] as const) {
      const other = await get(`/v1/journeys?${query}&cursor=${cursor}`, token);
      expect(other.status, query).toBe(400);
      expect(other.json.field).toBe('cursor');
    }
  });

  it('names the bad parameter', async () => {
    const bad = await get('/v1/journeys?serviceDay=yesterday', centre);
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('serviceDay');
    const table = await get(`/v1/journeys/tides/fare_transactionz?serviceDay=${day}`, centre);
    expect(table.status).toBe(400);
    expect(table.json.field).toBe('table');
  });

  it('exports every TIDES table conforming to the TIDES schemas, without the trips not due yet', async () => {
    const all = await allJourneys(`serviceDay=${day}`, centre);
    const judged = all.filter((t) => t.classification !== 'scheduled');
    const csv: Record<string, string> = {};
    for (const table of TIDES_EXPORTED_TABLES) {
      const res = await get(`/v1/journeys/tides/${table}?serviceDay=${day}`, centre);
      expect(res.status).toBe(200);
      const errors = validateCsv(res.text, tidesSchema(table));
      expect(errors, `${table}:\n${describeErrors(errors)}`).toEqual([]);
      csv[table] = res.text;
    }
    const lines = csv.trips_performed!.trim().split('\r\n');
    expect(lines[0]).toBe(TRIPS_PERFORMED_COLUMNS.join(','));
    expect(lines).toHaveLength(judged.length + 1);
    expect(
      csv
        .stop_visits!.trim()
        .split('\r\n')
        .slice(1)
        .every((l) => /,(Scheduled|Skipped|Missing)$/.test(l)),
    ).toBe(true);
    expect(csv.passenger_events).toContain(',Passenger boarded,');
    expect(csv.fare_transactions!.trim().split('\r\n').length).toBeGreaterThan(10);
    expect(csv.fare_transactions).not.toMatch(/9704\d{12}/); // card numbers never leave in clear
  });

  it('judges only the trips due by the clock: the later ones are scheduled, then missed once the day is over', async () => {
    const morning = await allJourneys(`serviceDay=${day}`, centre);
    const notDue = morning.filter((t) => t.plannedDepartureMs > clock.now());
    expect(notDue.length).toBeGreaterThan(2);
    expect(notDue.every((t) => t.classification === 'scheduled')).toBe(true);
    const q = (await get(`/v1/quality?serviceDay=${day}`, centre)).json;
    const scheduled = morning.filter((t) => t.classification === 'scheduled').length;
    expect(q.scheduled).toBe(scheduled);
    expect(q.trips).toBe(morning.length - scheduled);
    expect(q.missed).toBe(morning.filter((t) => t.classification === 'missed').length);
    expect(q.missed).toBeLessThan(notDue.length);
    const tides = (await get(`/v1/journeys/tides/trips_performed?serviceDay=${day}`, centre)).text;
    for (const t of notDue) expect(tides).not.toContain(`,${t.busId}:${t.tripId},`);

    // The buses ran nothing after 08:00 (the simulation stopped): the day-end job finds those trips missed.
    clock.set(serviceTimeToEpochMs(day, 27 * 3600, network.timezone));
    await journeyRecomputer(stack.doc, stack.config.tableNames, silentLogger, clock).serviceDay(day);
    const after = new Map((await allJourneys(`serviceDay=${day}`, centre)).map((t) => [`${t.busId}|${t.tripId}`, t]));
    for (const t of notDue) expect(after.get(`${t.busId}|${t.tripId}`)?.classification).toBe('missed');
    const end = (await get(`/v1/quality?serviceDay=${day}`, centre)).json;
    expect(end.scheduled).toBe(0);
    expect(end.missed).toBeGreaterThanOrEqual(notDue.length);
    expect(validateCsv((await get(`/v1/journeys/tides/trips_performed?serviceDay=${day}`, centre)).text, tidesSchema('trips_performed'))).toEqual([]);
  });
});
