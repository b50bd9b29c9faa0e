/**
 * The GTFS specification's sample feed end to end: imported and stored in DynamoDB Local, an hour of it
 * simulated on the network read back, and its journeys reconstructed against the simulator's truth. Its
 * frequency trips are announced as AVL units announce them (template trip_id and start time), its clock is
 * America/Los_Angeles, and its service ended in 2010: the day is fixed, and nothing goes through the broker
 * (whose ingest would rightly refuse 2007 positions as too old). The hour is an afternoon one: its telemetry is
 * stored under the next service day of Ho Chi Minh City, the deployment's, yet belongs to the feed's day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutyMessageSchema, gpsRecordSchema, type DutyMessage, type GpsRecord } from '../../shared/catalogue/index.js';
import type { JourneyRecord } from '../../shared/domain/journeys/journey-record.js';
import { recomputeBusDay } from '../../shared/domain/journeys/recompute.js';
import { journeyRecomputer } from '../../shared/adapters/journeys.js';
import { DynamoJourneyRepository } from '../../shared/adapters/dynamodb/journey-repository.js';
import { chunkGpsPoints } from '../../shared/domain/telemetry/gps-chunks.js';
import { serviceDayOf } from '../../shared/kernel/time/service-day.js';
import { recordingLogger } from '../support/recording-logger.js';
import { createTripOrder } from '../../shared/domain/trip-orders/lifecycle.js';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { planDay, tripOrderOf } from '../../simulator/core/day-plan.js';
import type { OutboundMessage, TruthRecord } from '../../simulator/core/events.js';
import { faultProfiles } from '../../simulator/core/faults.js';
import { runSimulation } from '../../simulator/run.js';
import { GOOGLE_SAMPLE_FEED_ZIP } from '../fixtures/gtfs/google-sample-feed.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// A Tuesday of the feed's full-week service (Monday 2007-06-04 is removed in calendar_dates.txt).
const DAY = '2007-06-05';
const SEED = 11;
const COMPUTED_AT = Date.parse('2007-06-06T12:00:00Z');

let stack: TestStack;
let network: Network;
let fromMs: number;
let toMs: number;
const sent: OutboundMessage[] = [];
const truth: TruthRecord[] = [];
const trips: JourneyRecord[] = [];
let gps: Map<string, GpsRecord[]>;

beforeAll(async () => {
  stack = await startTestStack();
  const imported = await loadGtfs(GOOGLE_SAMPLE_FEED_ZIP);
  await stack.network.importNetwork(imported.network, 'google-sample-feed.zip');
  network = (await stack.network.loadNetwork())!;
  fromMs = serviceTimeToEpochMs(DAY, 16 * 3600, network.timezone);
  toMs = serviceTimeToEpochMs(DAY, 17 * 3600, network.timezone);
  await runSimulation({
    network,
    serviceDay: DAY,
    seed: SEED,
    speed: Number.POSITIVE_INFINITY,
    profile: faultProfiles.default,
    fromMs,
    toMs,
    sink: { write: async (m) => void sent.push(...m), close: async () => ({ delivered: sent.length, failed: 0, failures: {} }) },
    truth: { write: async (r) => void truth.push(...r), close: async () => undefined },
  });

  // Duty events go through the contract and the telemetry table, as ingest stores them; positions stay in memory.
  gps = new Map<string, GpsRecord[]>();
  const duty = new Map<string, (DutyMessage & { receivedAt: number })[]>();
  // What the contract refuses (the fault profile's malformed messages) is left out, as ingest would.
  for (const m of sent) {
    if (typeof m.body === 'string') continue;
    if (m.kind === 'gps') {
      for (const r of (m.body.records as unknown[] | undefined) ?? []) {
        const fix = gpsRecordSchema.safeParse(r);
        if (fix.success) (gps.get(m.busId) ?? gps.set(m.busId, []).get(m.busId)!).push(fix.data);
      }
    }
    const event = m.kind === 'duty' ? dutyMessageSchema.safeParse(m.body) : undefined;
    if (event?.success) (duty.get(m.busId) ?? duty.set(m.busId, []).get(m.busId)!).push({ ...event.data, receivedAt: m.sendAtMs });
  }
  await stack.telemetry.write([...duty].map(([busId, dutyEvents]) => ({ busId, gpsChunks: [], taps: [], wifi: [], dutyEvents })));

  const plan = planDay(network, DAY, { seed: SEED });
  for (const d of plan.duties) {
    const order = {
      ...createTripOrder(
        { ...tripOrderOf(d, DAY), staff: [], issue: true },
        { role: 'operator', id: 'u', operatorId: d.operatorId },
        COMPUTED_AT,
        d.tripOrderId,
      ),
      status: 'approved' as const,
    };
    trips.push(
      ...(await recomputeBusDay(d.busId, DAY, {
        network,
        now: () => COMPUTED_AT,
        store: { replaceBusDay: async () => undefined },
        inputs: {
          gps: async (busId, from, to) => (gps.get(busId) ?? []).filter((f) => f.ts >= from && f.ts < to),
          duty: (busId, from, to) => stack.telemetry.dutyBetween(busId, from, to),
          taps: async () => [],
          wifi: async () => [],
          orders: async () => [order],
          operatorOf: async () => d.operatorId,
        },
      })),
    );
  }
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('an hour of the GTFS sample feed', () => {
  it('reads the stored network in its own time zone', () => {
    expect(network.timezone).toBe('America/Los_Angeles');
    expect(new Date(fromMs).toISOString()).toBe('2007-06-05T23:00:00.000Z'); // 16:00 Pacific daylight time
  });

  it('announces frequency runs by template trip_id and start time, which are stored', async () => {
    const starts = sent.flatMap((m) => (m.kind === 'duty' && typeof m.body !== 'string' && m.body.event === 'trip_start' ? [m.body] : []));
    expect(starts.some((b) => b.tripId === 'CITY1' && b.startTime === '16:10:00')).toBe(true);
    const bus = sent.find((m) => m.kind === 'duty' && typeof m.body !== 'string' && m.body.tripId === 'CITY1')!.busId;
    const stored = await stack.telemetry.listBetween(bus, 'duty', fromMs, toMs);
    expect(stored.some((e) => e.event === 'trip_start' && e.tripId === 'CITY1' && typeof e.startTime === 'string')).toBe(true);
  });

  it('reconstructs the runs of frequency trips under their own ids', () => {
    const runs = trips.filter((t) => t.announcedTripId !== undefined);
    expect(runs.length).toBeGreaterThanOrEqual(8);
    for (const t of runs) {
      expect(t.tripId.startsWith(`${t.announcedTripId}@`), t.tripId).toBe(true);
      expect(t.source).toBe('duty');
    }
    // Only the simulator's own extra trips, which no timetable knows, are unknown to the network.
    const extra = new Set(truth.flatMap((r) => (r.type === 'trip' && r.classification === 'unscheduled' ? [r.tripId] : [])));
    for (const t of trips.filter((x) => x.unscheduledReason)) expect(extra.has(t.tripId), t.tripId).toBe(true);
  });

  it('finds most true stop visits of the hour, at the right time', () => {
    const found = new Map(trips.flatMap((t) => t.visits.map((v) => [`${t.tripId}|${v.stopSequence}`, v] as const)));
    const inHour = truth.filter((r) => r.type === 'stop_visit' && !r.skipped && r.arrivalMs! >= fromMs + 2 * 60_000 && r.arrivalMs! <= toMs - 2 * 60_000);
    expect(inHour.length).toBeGreaterThan(30);
    let hits = 0;
    const errorsS: number[] = [];
    for (const r of inHour) {
      if (r.type !== 'stop_visit') continue;
      const v = found.get(`${r.tripId}|${r.stopSequence}`);
      if (v?.status !== 'visited') continue;
      hits++;
      errorsS.push(Math.abs(v.arrivalMs! - r.arrivalMs!) / 1000);
    }
    expect(hits / inHour.length).toBeGreaterThan(0.9);
    expect(errorsS.sort((a, b) => a - b)[Math.floor(errorsS.length / 2)]!).toBeLessThan(15);
  });

  it('classifies the trips run inside the hour as the simulator ran them', () => {
    const byId = new Map(trips.map((t) => [t.tripId, t]));
    const ran = truth.filter((r) => r.type === 'trip' && r.actualStartMs! >= fromMs && r.actualEndMs! <= toMs);
    expect(ran.length).toBeGreaterThanOrEqual(5);
    for (const r of ran) if (r.type === 'trip') expect(byId.get(r.tripId)?.classification, r.tripId).toBe(r.classification);
  });

  it('reconstructs a trip the network does not have as unscheduled, logged and counted once', async () => {
    // A bus that announces an id no timetable has, driving what a simulated bus drove on one of its trips.
    const ran = truth.find((r) => r.type === 'trip' && r.actualStartMs! >= fromMs && r.actualEndMs! <= toMs)!;
    if (ran.type !== 'trip') throw new Error('no trip in the hour');
    const track = gps
      .get(ran.busId)!
      .filter((f) => f.ts >= ran.actualStartMs! - 60_000 && f.ts <= ran.actualEndMs! + 60_000)
      .sort((a, b) => a.ts - b.ts);
    const busId = 'GHOST-1';
    const dutyEvents = [
      { v: 1 as const, msgId: 'g1', busId, ts: ran.actualStartMs! - 1000, event: 'trip_start' as const, tripId: 'NOT-IN-FEED', receivedAt: ran.actualStartMs! },
      { v: 1 as const, msgId: 'g2', busId, ts: ran.actualEndMs! + 1000, event: 'trip_end' as const, tripId: 'NOT-IN-FEED', receivedAt: ran.actualEndMs! },
    ];
    expect(await stack.telemetry.write([{ busId, gpsChunks: chunkGpsPoints(track), taps: [], wifi: [], dutyEvents }])).toEqual(new Map());
    const logger = recordingLogger();
    const counted: number[] = [];
    const journeys = journeyRecomputer(stack.doc, stack.config.tableNames, logger, stack.clock, { onUnknownTrips: (n) => counted.push(n) });
    const first = await journeys.busDay(busId, DAY);
    await journeys.busDay(busId, DAY);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      tripId: 'NOT-IN-FEED',
      classification: 'unscheduled',
      unscheduledReason: 'unknown-trip-id',
      patternId: ran.patternId,
      source: 'duty',
    });
    expect(first[0]!.performed.stopsVisited).toBeGreaterThanOrEqual(ran.stopsVisited - 1);
    expect(logger.entries.filter((e) => e.level === 'warn' && e.extra.tripId === 'NOT-IN-FEED')).toHaveLength(1);
    expect(counted).toEqual([1]);
  });

  it("recomputes the network's service day of a trip end, not the deployment's", async () => {
    const ran = truth.find((r) => r.type === 'trip' && r.actualStartMs! >= fromMs && r.actualEndMs! <= toMs)!;
    if (ran.type !== 'trip') throw new Error('no trip in the hour');
    // An afternoon in Los Angeles is the next day in Ho Chi Minh City.
    expect(serviceDayOf(ran.actualEndMs!)).not.toBe(DAY);
    const journeys = journeyRecomputer(stack.doc, stack.config.tableNames, recordingLogger(), stack.clock);
    expect(await journeys.busDaysAt(ran.busId, [ran.actualEndMs!, ran.actualEndMs! - 60_000])).toEqual([DAY]);
    const stored = await new DynamoJourneyRepository(stack.doc, stack.config.tableNames.journeys).list({ serviceDay: DAY, busId: ran.busId });
    expect(stored.map((t) => t.tripId)).toContain(ran.tripId);
  });
});
