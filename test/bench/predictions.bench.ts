/**
 * `npm run bench:predictions` — how well BusFlow predicts arrivals. A simulated day of the sample network
 * (traffic variation, default faults) is fed in the order the stack receives it: fixes → matched progress
 * (journeys stage 2, fix by fix) → stop visits (journeys stage 3, on the recent track) → travel-time history.
 * After each 30 s window, the buses that moved have their predictions cached as the ingest path caches them
 * (`cacheWritesOfBus`: their trip and their next one from their orders), and every 30 s of simulated time every
 * trip-stop pair ahead of a bus is sampled as a request reads it (`servedArrivalAt`: the cache, the schedule, the
 * missed trips left out) — what is served — beside the schedule-only baseline and each predictor compared, and
 * scored against the simulator's ground truth with the ETA Accuracy Benchmark (IBI Group), MAE and p90 by horizon,
 * and availability. Progress on stderr; last line JSON (the served figures).
 */
import type { GpsRecord } from '../../shared/catalogue/index.js';
import { DEFAULT_MATCH_CONFIG, emptyTrack, matchFix, type TrackState } from '../../shared/domain/journeys/match.js';
import { detectStopVisits } from '../../shared/domain/journeys/stop-visits.js';
import { scheduleDelayPredictor, learnedTravelTimePredictor, type Predictor } from '../../shared/domain/predictions/predictors.js';
import { cacheChanges, type WrittenEntries } from '../../shared/domain/predictions/cache-changes.js';
import {
  cacheWritesOfBus,
  servedArrivalAt,
  servedPredictor,
  SERVING_CONFIG,
  type BusOnTrips,
  type CacheWrite,
  type CachedArrival,
} from '../../shared/domain/predictions/serving.js';
import { predictTripOfVehicle } from '../../shared/domain/predictions/stop-arrivals.js';
import { emptyHistory, learnFromVisits } from '../../shared/domain/predictions/travel-time-history.js';
import type { LiveVehicle, ScheduledTrip } from '../../shared/domain/predictions/types.js';
import { vehicleState } from '../../shared/domain/predictions/vehicle-state.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import type { Network, Pattern } from '../../shared/gtfs/model.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { measurePolyline, type MeasuredPolyline } from '../../shared/kernel/geo/polyline.js';
import { planDay, type VehicleDuty } from '../../simulator/core/day-plan.js';
import type { OutboundMessage, TruthRecord } from '../../simulator/core/events.js';
import { parseFaultProfile } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { runSimulation } from '../../simulator/run.js';

const DAY = process.env.BENCH_PREDICTIONS_DATE ?? '2026-11-26';
const BUSES = process.env.BENCH_PREDICTIONS_BUSES ? Number(process.env.BENCH_PREDICTIONS_BUSES) : undefined;
const SEED = 7;
const DEBUG = process.env.BENCH_PREDICTIONS_DEBUG === '1';
const TICK_MS = 30_000;
/** A bus's batch as the ingest path gets it: the cost model's message every 10 s, each cached on its own. */
const BATCH_S = 10;
const SAMPLE_AHEAD_MS = 40 * 60_000;
/** The predictors compared use what is served: its minimum layover (1 min) and stale limit. */
const ARRIVALS = SERVING_CONFIG;

const PREDICTORS = ['baseline', 'p1', 'p2', 'p3', 'served'] as const;
type Source = (typeof PREDICTORS)[number];

const BUCKETS = [
  { name: 'b0_3', fromS: 0, toS: 180, earlyS: 30, lateS: 90 },
  { name: 'b3_6', fromS: 180, toS: 360, earlyS: 60, lateS: 150 },
  { name: 'b6_10', fromS: 360, toS: 600, earlyS: 60, lateS: 210 },
  { name: 'b10_15', fromS: 600, toS: 900, earlyS: 90, lateS: 270 },
] as const;
const HORIZONS = [
  [0, 5],
  [5, 10],
  [10, 20],
  [20, 40],
] as const;

interface Bus {
  duty: VehicleDuty;
  tripIndex: number;
  tripId?: string;
  tripEndedMs?: number;
  track?: TrackState;
  /** Fixes matched on the next trip's pattern while waiting for it (a trip_start may be lost). */
  tentative?: TrackState;
  line?: MeasuredPolyline;
  pattern?: Pattern;
  progress?: { tsMs: number; distanceM: number };
  lastTs: number;
  /** First fix: a bus waiting for its first trip is on layover from then. */
  firstTs?: number;
  /** Fixes or duty events since its predictions were last cached. */
  moved?: boolean;
  /** What its entries in the cache hold (the ingest path keeps it on the bus's state). */
  written: WrittenEntries;
  /** The trips it had entries for in the cache as it was written before (every stop of its trips, every batch). */
  everyStopTripIds: string[];
}

/** A sampled prediction: when, and the time each source predicted. */
interface Sample {
  nowMs: number;
  kind: string;
  realtime: boolean;
  /** NaN: not served (a missed trip left out). */
  ms: Record<Source, number>;
}

class Score {
  readonly hits = BUCKETS.map(() => ({ ok: 0, n: 0 }));
  readonly errors = HORIZONS.map((): number[] => []);
  add(ttaS: number, errS: number) {
    if (Number.isNaN(errS)) return;
    BUCKETS.forEach((b, i) => {
      if (ttaS >= b.fromS && ttaS < b.toS) {
        this.hits[i]!.n++;
        if (errS >= -b.earlyS && errS <= b.lateS) this.hits[i]!.ok++;
      }
    });
    HORIZONS.forEach(([from, to], i) => {
      if (ttaS >= from * 60 && ttaS < to * 60) this.errors[i]!.push(Math.abs(errS));
    });
  }
  eta() {
    const pct = this.hits.map((h) => (h.n ? (100 * h.ok) / h.n : 0));
    const r1 = (x: number) => Math.round(x * 10) / 10;
    return { overall: r1(pct.reduce((a, b) => a + b, 0) / pct.length), b0_3: r1(pct[0]!), b3_6: r1(pct[1]!), b6_10: r1(pct[2]!), b10_15: r1(pct[3]!) };
  }
  horizon(i: number) {
    const e = [...this.errors[i]!].sort((a, b) => a - b);
    return { maeS: Math.round(e.reduce((a, b) => a + b, 0) / Math.max(1, e.length)), p90S: Math.round(e[Math.floor(0.9 * (e.length - 1))] ?? 0), n: e.length };
  }
}

function scheduledTrips(network: Network, midnightMs: number): Map<string, ScheduledTrip> {
  const out = new Map<string, ScheduledTrip>();
  for (const trip of network.trips.values()) {
    out.set(trip.tripId, {
      tripId: trip.tripId,
      routeId: trip.routeId,
      patternId: trip.patternId,
      ...(trip.frequency && !trip.frequency.exactTimes ? { frequencyBased: true } : {}),
      stops: trip.stopTimes.map((st, i) => ({
        stopId: st.stopId,
        stopSequence: i + 1,
        distanceM: st.distanceM,
        scheduledArrivalMs: midnightMs + st.arrivalS * 1000,
        scheduledDepartureMs: midnightMs + st.departureS * 1000,
      })),
    });
  }
  return out;
}

async function main(): Promise<void> {
  const started = performance.now();
  const { network } = await loadGtfs(SAMPLE_NETWORK_DIR);
  const midnightMs = serviceTimeToEpochMs(DAY, 0, network.timezone);
  const trips = scheduledTrips(network, midnightMs);
  const tripOf = (id: string) => trips.get(id);
  const plan = planDay(network, DAY, { seed: SEED, ...(BUSES ? { maxBuses: BUSES } : {}) });
  const lines = new Map<string, MeasuredPolyline>();
  const lineOf = (p: Pattern) => {
    let l = lines.get(p.shapeId);
    if (!l) {
      l = measurePolyline(network.shapes.get(p.shapeId)!.points);
      lines.set(p.shapeId, l);
    }
    return l;
  };
  const buses = new Map<string, Bus>(plan.duties.map((d) => [d.busId, { duty: d, tripIndex: -1, lastTs: 0, written: {}, everyStopTripIds: [] }]));
  // The trip orders' planned departures (a trip not started by then and the late limit is missed).
  const plannedDepartureMs = new Map(plan.duties.flatMap((d) => d.trips.map((t) => [t.tripId, Date.parse(t.plannedDepartureAt)] as const)));
  /** The arrivals cache as the stops' items hold it: `${stopId}|${tripId}` → entry. */
  const cache = new Map<string, CachedArrival>();
  const history = emptyHistory();
  const predictors: Record<'p1' | 'p2' | 'p3', Predictor> = {
    p1: scheduleDelayPredictor(),
    p2: learnedTravelTimePredictor(history),
    p3: learnedTravelTimePredictor(history, { patternRatioWeight: 1 }),
  };
  const pending = new Map<string, Sample[]>();
  const scores = Object.fromEntries(PREDICTORS.map((s) => [s, new Score()])) as Record<Source, Score>;
  const debug = new Map<string, Score>();
  let availableMinutes = 0;
  let pairMinutes = 0;

  const learn = (bus: Bus, all: boolean) => {
    if (!bus.track || !bus.pattern || !bus.tripId || !bus.progress) return;
    const trip = trips.get(bus.tripId)!;
    const fromMs = all ? 0 : bus.progress.tsMs - 8 * 60_000;
    const tail = bus.track.out.filter((m) => m.ts >= fromMs);
    const firstKept = tail.find((m) => m.kept);
    if (!firstKept) return;
    const visits = detectStopVisits(bus.pattern, tail).filter((v) => {
      const d = bus.pattern!.stops[v.stopSequence - 1]!.distanceM;
      return all || (d > firstKept.distanceM + 50 && d < bus.progress!.distanceM - 100);
    });
    learnFromVisits(history, {
      tripId: bus.tripId,
      patternId: bus.pattern.patternId,
      visits,
      scheduledSegmentS: (seq) => {
        const a = trip.stops[seq - 1];
        const b = trip.stops[seq];
        return a && b ? (b.scheduledArrivalMs - a.scheduledDepartureMs) / 1000 : 60;
      },
    });
  };

  const startTrip = (bus: Bus, tripId: string, tsMs: number) => {
    if (bus.tripId && bus.tripEndedMs === undefined) learn(bus, true);
    const pattern = network.patterns.get(network.trips.get(tripId)!.patternId)!;
    bus.tripId = tripId;
    delete bus.tripEndedMs;
    delete bus.tentative;
    bus.tripIndex = bus.duty.trips.findIndex((t) => t.tripId === tripId);
    bus.pattern = pattern;
    bus.line = lineOf(pattern);
    bus.track = emptyTrack();
    bus.progress = { tsMs, distanceM: pattern.stops[0]!.distanceM };
  };

  /**
   * A lost trip_start (the journeys' trip assignment infers such trips the same way): a bus waiting for its next
   * trip whose fixes follow that trip's pattern away from the terminal has started it.
   */
  const inferTripStart = (bus: Bus, fix: GpsRecord) => {
    const next = bus.duty.trips[bus.tripIndex + 1];
    if (!next || fix.ts < Date.parse(next.plannedDepartureAt) - 10 * 60_000) return;
    const pattern = network.patterns.get(next.patternId)!;
    const line = lineOf(pattern);
    bus.tentative ??= emptyTrack();
    matchFix(bus.tentative, fix, line, line.lengthM, DEFAULT_MATCH_CONFIG);
    const last = bus.tentative.last;
    if (last && last.fix === fix && last.distanceM > pattern.stops[0]!.distanceM + 150) {
      const track = bus.tentative;
      startTrip(bus, next.tripId, fix.ts);
      bus.track = track;
      bus.progress = { tsMs: fix.ts, distanceM: last.distanceM };
    }
  };

  const onMessage = (m: OutboundMessage) => {
    const bus = buses.get(m.busId);
    if (!bus || typeof m.body === 'string') return;
    const body = m.body;
    bus.moved = true;
    if (m.kind === 'gps') writeCost.gpsMessages++;
    if (m.kind === 'duty') {
      const event = body.event;
      if (event === 'trip_start' && typeof body.tripId === 'string') {
        const tripId = network.trips.has(body.tripId) ? body.tripId : `${body.tripId}@${String(body.startTime)}`;
        const trip = network.trips.get(tripId);
        // Already inferred from its fixes.
        if (!trip || (bus.tripId === tripId && bus.tripEndedMs === undefined)) return;
        startTrip(bus, tripId, Number(body.ts));
      } else if (event === 'trip_end' && bus.tripId && bus.tripEndedMs === undefined) {
        learn(bus, true);
        bus.tripEndedMs = Number(body.ts);
        delete bus.tentative;
      }
      return;
    }
    if (m.kind !== 'gps' || !Array.isArray(body.records)) return;
    for (const fix of [...(body.records as GpsRecord[])].sort((a, b) => a.ts - b.ts)) {
      if (fix.ts <= bus.lastTs) continue;
      bus.lastTs = fix.ts;
      bus.firstTs ??= fix.ts;
      if (!bus.track || !bus.line || !bus.pattern || bus.tripEndedMs !== undefined) {
        // Standing at a terminal: alive, not moving along a trip, unless it left on its next trip unannounced.
        bus.progress = { tsMs: fix.ts, distanceM: bus.progress?.distanceM ?? 0 };
        inferTripStart(bus, fix);
        continue;
      }
      matchFix(bus.track, fix, bus.line, bus.line.lengthM, DEFAULT_MATCH_CONFIG);
      const last = bus.track.last;
      if (last && last.fix === fix) bus.progress = { tsMs: fix.ts, distanceM: last.distanceM };
    }
  };

  const vehicleOf = (bus: Bus): LiveVehicle | undefined => {
    if (!bus.progress) return undefined;
    const next = bus.duty.trips[bus.tripIndex + 1]?.tripId;
    // Before its first trip, on layover since it was first seen (the stack: since it signed on).
    const endedMs = bus.tripEndedMs ?? (bus.tripId ? undefined : bus.firstTs);
    return {
      busId: bus.duty.busId,
      progress: bus.progress,
      ...(bus.tripId ? { tripId: bus.tripId } : {}),
      ...(endedMs === undefined ? {} : { tripEndedMs: endedMs }),
      ...(next ? { nextTripId: next } : {}),
    };
  };

  /**
   * The cache's writes counted two ways: as built (`cacheChanges`: an item per stop and trip, within the horizon,
   * what changed) and as it was before (every stop of the bus's trips at every batch, each billed by its stop's
   * item holding the entries of every trip through the stop, here its entries of the day).
   */
  const writeCost = { batches: 0, gpsMessages: 0, built: new WriteCount(), everyStop: new WriteCount() };
  const stopItems = new Map<string, Map<string, number>>();
  const everyStopCost = (writes: readonly CacheWrite[], nowMs: number) => {
    for (const w of writes) {
      const item = stopItems.get(w.stopId) ?? new Map<string, number>();
      stopItems.set(w.stopId, item);
      const before = [...item.values()].reduce((a, b) => a + b, 0);
      if (w.entry) item.set(w.tripId, attributeBytes(`T#${w.tripId}`, w.entry));
      else item.delete(w.tripId);
      const after = [...item.values()].reduce((a, b) => a + b, 0);
      // An UpdateItem is billed by the larger of the item before and after it.
      writeCost.everyStop.add(Math.max(before, after) + itemBytes({ stopId: w.stopId, expiresAt: nowMs / 1000, updatedMs: nowMs }));
    }
  };

  /** What the ingest path caches for a bus that moved: its trip, its next one, the trips it no longer runs cleared. */
  const served = servedPredictor(history);
  const cacheBus = (bus: Bus, nowMs: number) => {
    const vehicle = vehicleOf(bus);
    if (!vehicle) return;
    const next = bus.duty.trips[bus.tripIndex + 1];
    const on: BusOnTrips = {
      vehicle,
      ...(bus.tripId ? { current: trips.get(bus.tripId)! } : {}),
      ...(next ? { next: { trip: trips.get(next.tripId)!, plannedDepartureMs: Date.parse(next.plannedDepartureAt) } } : {}),
    };
    writeCost.batches++;
    const desired = cacheWritesOfBus({ ...on, cachedBefore: Object.keys(bus.written).map((id) => trips.get(id)!) }, nowMs, served);
    if (desired.length > 0) {
      const { writes, written } = cacheChanges(desired, bus.written, vehicle.progress.tsMs, nowMs);
      for (const w of writes) {
        if (w.entry) cache.set(`${w.stopId}|${w.tripId}`, w.entry);
        else cache.delete(`${w.stopId}|${w.tripId}`);
        const key = { stopId: w.stopId, tripId: w.tripId };
        writeCost.built.add(w.entry ? itemBytes({ ...key, entry: w.entry, expiresAt: nowMs / 1000, updatedMs: nowMs }) : itemBytes(key));
      }
      bus.written = written;
    }
    // As before: every stop of its trips, rewritten.
    const everyStop = cacheWritesOfBus({ ...on, cachedBefore: bus.everyStopTripIds.map((id) => trips.get(id)!) }, nowMs, served);
    if (everyStop.length === 0) return;
    everyStopCost(everyStop, nowMs);
    bus.everyStopTripIds = [...new Set(everyStop.flatMap((w) => (w.entry ? [w.tripId] : [])))];
  };

  const sample = (nowMs: number) => {
    for (const bus of buses.values()) {
      const v = vehicleOf(bus);
      if (!v) continue;
      const live = nowMs - v.progress.tsMs <= ARRIVALS.staleAfterMs;
      const candidates = [v.tripEndedMs === undefined ? v.tripId : undefined, v.nextTripId].filter((t): t is string => t !== undefined);
      for (const tripId of candidates) {
        const trip = trips.get(tripId)!;
        const byPredictor: Partial<Record<Source, number[]>> = {};
        let fromIndex = tripId === v.tripId ? vehicleState(trip, v.busId, v.progress).nextStopIndex : 1;
        for (const name of ['p1', 'p2', 'p3'] as const) {
          const p = live ? predictTripOfVehicle(trip, v, { nowMs, tripOf, predictor: predictors[name] }, ARRIVALS) : undefined;
          if (!p) continue;
          fromIndex = p.fromIndex;
          byPredictor[name] = p.arrivalsMs;
        }
        for (let i = Math.max(1, fromIndex); i < trip.stops.length; i++) {
          const stop = trip.stops[i]!;
          const scheduled = stop.scheduledArrivalMs;
          const p1 = byPredictor.p1?.[i - fromIndex] ?? scheduled;
          const p2 = byPredictor.p2?.[i - fromIndex] ?? scheduled;
          const p3 = byPredictor.p3?.[i - fromIndex] ?? scheduled;
          if (Math.min(p2, scheduled) - nowMs > SAMPLE_AHEAD_MS) break;
          // As a request reads it: the stop's cached entry of the trip, or the schedule, or nothing (missed).
          const servedNow = servedArrivalAt(
            trip,
            i,
            cache.get(`${stop.stopId}|${tripId}`),
            nowMs,
            { plannedDepartureMs: plannedDepartureMs.get(tripId) },
            ARRIVALS,
          );
          const key = `${tripId}|${stop.stopSequence}`;
          const list = pending.get(key) ?? [];
          if (list.length === 0) pending.set(key, list);
          list.push({
            nowMs,
            kind: `${live ? (tripId === v.tripId && v.tripEndedMs === undefined ? 'current' : 'next') : 'stale'}`,
            realtime: servedNow?.predicted === true,
            ms: { baseline: scheduled, p1, p2, p3, served: servedNow?.predictedMs ?? Number.NaN },
          });
        }
      }
    }
  };

  const onTruth = (records: readonly TruthRecord[]) => {
    for (const r of records) {
      if (r.type !== 'stop_visit' || r.stopSequence < 2) continue;
      const key = `${r.tripId}|${r.stopSequence}`;
      const list = pending.get(key) ?? [];
      pending.delete(key);
      if (r.skipped || r.arrivalMs === undefined) continue;
      const arrivalMs = r.arrivalMs;
      const covered = new Set<number>();
      for (const s of list) {
        const ttaS = (arrivalMs - s.nowMs) / 1000;
        if (ttaS < 0) continue;
        if (s.realtime && ttaS < 900) covered.add(Math.floor(ttaS / 60));
        for (const source of PREDICTORS) scores[source].add(ttaS, (arrivalMs - s.ms[source]) / 1000);
        if (DEBUG) {
          const k = `${s.kind} h${Math.floor((s.nowMs - midnightMs) / 3_600_000 / 3) * 3}`;
          if (!debug.has(k)) debug.set(k, new Score());
          debug.get(k)!.add(ttaS, (arrivalMs - s.ms.served) / 1000);
        }
      }
      // Availability counts the minutes the bus was already signed on (a prediction could exist).
      const bus = buses.get(r.busId);
      if (bus?.progress && trips.has(r.tripId)) {
        pairMinutes += 15;
        availableMinutes += covered.size;
      }
    }
  };

  let nextTick = 0;
  let nextLearn = 0;
  let nextReport = 0;
  await runSimulation({
    network,
    serviceDay: DAY,
    seed: SEED,
    speed: Number.POSITIVE_INFINITY,
    profile: parseFaultProfile('default'),
    windowS: BATCH_S,
    ...(BUSES ? { buses: BUSES } : {}),
    sink: {
      write: async (messages) => {
        for (const m of messages) onMessage(m);
      },
      close: async () => ({ delivered: 0, failed: 0, failures: {} }),
    },
    truth: { write: async (records) => onTruth(records), close: async () => undefined },
    onWindow: (endMs) => {
      for (const bus of buses.values()) {
        if (!bus.moved) continue;
        bus.moved = false;
        cacheBus(bus, endMs);
      }
      if (endMs >= nextTick) {
        nextTick = endMs + TICK_MS;
        sample(endMs);
      }
      if (endMs >= nextLearn) {
        nextLearn = endMs + 60_000;
        for (const bus of buses.values()) if (bus.tripEndedMs === undefined) learn(bus, false);
      }
      if (endMs >= nextReport) {
        nextReport = endMs + 3_600_000;
        process.stderr.write(`${new Date(endMs + 7 * 3_600_000).toISOString().slice(11, 16)} local, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
      }
    },
  });

  if (DEBUG)
    for (const [k, sc] of [...debug].sort())
      console.error(k.padEnd(14), JSON.stringify(sc.eta()), HORIZONS.map((_, i) => `${sc.horizon(i).maeS}/${sc.horizon(i).n}`).join(' '));
  const availability = Math.round((10_000 * availableMinutes) / Math.max(1, pairMinutes)) / 100;
  const eta = Object.fromEntries(PREDICTORS.map((s) => [s, scores[s].eta()])) as Record<Source, ReturnType<Score['eta']>>;
  // The predictor the served path uses must be the best of those compared (ties go to the simpler one).
  const best = (['p1', 'p2', 'p3'] as const).reduce((b, s) => (eta[s].overall > eta[b].overall ? s : b));
  const SERVED = 'served';
  const label: Record<Source, string> = {
    baseline: 'schedule only',
    p1: 'P1 schedule + delay',
    p2: 'P2 learned + Kalman',
    p3: 'P3 P2 + pattern-wide',
    served: 'served (P3, cached)',
  };
  console.log(`\nArrival predictions on the sample network, ${DAY} (seed ${SEED}, ${plan.duties.length} buses, default faults)\n`);
  console.log(`  ETA accuracy (%)        ${'overall'.padStart(8)}${'0-3'.padStart(8)}${'3-6'.padStart(8)}${'6-10'.padStart(8)}${'10-15'.padStart(8)}`);
  for (const s of PREDICTORS) {
    const e = eta[s];
    console.log(`  ${label[s].padEnd(24)}${[e.overall, e.b0_3, e.b3_6, e.b6_10, e.b10_15].map((x) => x.toFixed(1).padStart(8)).join('')}`);
  }
  console.log('  target                    ≥ 85.0  each ≥ 80\n');
  console.log(`  MAE / p90 (s)           ${HORIZONS.map(([a, b]) => `${a}-${b} min`.padStart(14)).join('')}`);
  for (const s of PREDICTORS)
    console.log(`  ${label[s].padEnd(24)}${HORIZONS.map((_, i) => `${scores[s].horizon(i).maeS} / ${scores[s].horizon(i).p90S}`.padStart(14)).join('')}`);
  console.log(`  samples                 ${HORIZONS.map((_, i) => String(scores.baseline.horizon(i).n).padStart(14)).join('')}`);
  console.log(`\n  availability ${availability} % (target ≥ 99 %); best compared: ${label[best]}; ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  const perBatch = (w: WriteCount) => ({
    writesPerBatch: Math.round((100 * w.writes) / Math.max(1, writeCost.batches)) / 100,
    bytesPerWrite: Math.round(w.bytes / Math.max(1, w.writes)),
    wruPerBatch: Math.round((100 * w.wru) / Math.max(1, writeCost.batches)) / 100,
  });
  const cacheWrites = {
    batches: writeCost.batches,
    gpsMessages: writeCost.gpsMessages,
    built: perBatch(writeCost.built),
    everyStop: perBatch(writeCost.everyStop),
  };
  console.log(`  arrivals cache, per batch of a bus (${BATCH_S} s; ${writeCost.batches} batches, ${writeCost.gpsMessages} GPS messages of one fix)`);
  console.log(`  ${''.padEnd(24)}${'writes'.padStart(10)}${'bytes/write'.padStart(14)}${'WRU'.padStart(10)}`);
  for (const [name, w] of [
    ['every stop, stop items', cacheWrites.everyStop],
    ['as built', cacheWrites.built],
  ] as const)
    console.log(`  ${name.padEnd(24)}${String(w.writesPerBatch).padStart(10)}${String(w.bytesPerWrite).padStart(14)}${String(w.wruPerBatch).padStart(10)}`);
  console.log('');
  const horizons = HORIZONS.map(([fromMin, toMin], i) => {
    const maeS = scores[SERVED].horizon(i).maeS;
    const baselineMaeS = scores.baseline.horizon(i).maeS;
    return { fromMin, toMin, maeS, baselineMaeS, ratio: Math.round((100 * maeS) / Math.max(1, baselineMaeS)) / 100 };
  });
  console.log(
    JSON.stringify({
      bench: 'predictions',
      etaAccuracy: eta[SERVED],
      baselineEtaAccuracy: { overall: eta.baseline.overall },
      availability,
      horizons,
      cacheWrites,
    }),
  );
}

/** Writes, their item bytes and the write request units they bill (1 per KB of item, rounded up). */
class WriteCount {
  writes = 0;
  bytes = 0;
  wru = 0;
  add(itemSize: number) {
    this.writes++;
    this.bytes += itemSize;
    this.wru += Math.max(1, Math.ceil(itemSize / 1024));
  }
}

/** DynamoDB's size of a value: strings by their UTF-8 bytes, numbers about a byte per two digits, maps and lists 3 bytes and a byte an element. */
function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return 1 + Math.ceil(String(Math.abs(value)).replace('.', '').replace(/^0+/, '').length / 2);
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueBytes(v), 0);
  return 3 + Object.entries(value as Record<string, unknown>).reduce((n, [k, v]) => n + 1 + attributeBytes(k, v), 0);
}

/** An attribute's size: its name and its value. */
function attributeBytes(name: string, value: unknown): number {
  return Buffer.byteLength(name) + valueBytes(value);
}

/** An item's size: the sum of its attributes'. */
function itemBytes(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((n, [k, v]) => n + attributeBytes(k, v), 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
