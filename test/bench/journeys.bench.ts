/**
 * `npm run bench:journeys` — how well BusFlow reconstructs journeys. A simulated day of the sample network
 * (default faults, then harsh) goes through the ingest as the stream would deliver it: each message in the rule
 * envelope stamped with its receipt (when the device sent it, buffered uploads included), in stream batches, through
 * `ingestBatch` itself with in-memory stores, so validation, de-duplication and the clock correction are the
 * Lambda's. The journey pipeline runs on what would be stored (per bus: positions and duty events with corrected
 * ts, plus its approved trip order); the result is scored against the simulator's ground truth. Prints a table
 * per profile; last line JSON.
 */
import { buildRuleEnvelope, telemetryTopic, type GpsRecord } from '../../shared/catalogue/index.js';
import { measurePolyline } from '../../shared/kernel/geo/polyline.js';
import { journeysOfBus, type PatternGeometry, type TripJourney } from '../../shared/domain/journeys/bus-journeys.js';
import { tripCatalogue } from '../../shared/domain/journeys/trip-catalogue.js';
import type { DutyEventLike } from '../../shared/domain/journeys/assign.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
import { ingestBatch, type StreamRecord } from '../../shared/domain/telemetry/ingest-batch.js';
import { defaultPlausibility } from '../../shared/domain/telemetry/plausibility.js';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import type { BusTelemetry, TelemetryStore, VehicleAdvance, VehicleStateStore } from '../../shared/domain/telemetry/ports.js';
import type { VehicleState } from '../../shared/domain/vehicles/vehicle-state.js';
import { planDay } from '../../simulator/core/day-plan.js';
import type { OutboundMessage, TruthRecord } from '../../simulator/core/events.js';
import { parseFaultProfile } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { payloadOf } from '../../simulator/output/sink.js';
import { runSimulation } from '../../simulator/run.js';

const DAY = process.env.BENCH_JOURNEYS_DATE ?? '2026-11-26';
const BUSES = process.env.BENCH_JOURNEYS_BUSES ? Number(process.env.BENCH_JOURNEYS_BUSES) : undefined;
const LATE_AFTER_MS = 5 * 60_000;

interface BusData {
  track: GpsRecord[];
  duty: DutyEventLike[];
}

/** A Lambda batch: at most this many stream records. */
const STREAM_BATCH = 500;

/** What the ingest would store, in memory: the vehicles' state and, per bus, positions and duty events. */
class BenchStores implements VehicleStateStore, TelemetryStore {
  readonly states = new Map<string, VehicleState>();
  readonly buses = new Map<string, BusData & { deviceTs: Set<number> }>();

  bus(busId: string) {
    let b = this.buses.get(busId);
    if (!b) {
      b = { track: [], duty: [], deviceTs: new Set() };
      this.buses.set(busId, b);
    }
    return b;
  }
  async getMany(busIds: readonly string[]) {
    return new Map(busIds.flatMap((id) => (this.states.has(id) ? [[id, this.states.get(id)!] as const] : [])));
  }
  async advance(advances: readonly VehicleAdvance[]) {
    for (const a of advances) {
      const current = this.states.get(a.busId);
      this.states.set(a.busId, {
        ...(current ?? { busId: a.busId }),
        version: a.expectedVersion + 1,
        ...(a.position ? { position: a.position } : {}),
        ...(a.duty ? { duty: a.duty } : {}),
        ...(a.clock ? { clock: a.clock } : {}),
      });
    }
    return new Map<string, Error>();
  }
  async storedGpsTimestamps(busId: string, fromMs: number, toMs: number) {
    return new Set([...this.bus(busId).deviceTs].filter((t) => t >= fromMs && t <= toMs));
  }
  async readGps(busId: string, fromMs: number, toMs: number) {
    return this.bus(busId).track.filter((p) => p.ts >= fromMs && p.ts <= toMs);
  }
  async write(telemetry: readonly BusTelemetry[]) {
    for (const t of telemetry) {
      const b = this.bus(t.busId);
      for (const c of t.gpsChunks) {
        for (const p of c.points) {
          b.track.push(p);
          b.deviceTs.add(p.ts + c.clockOffsetMs);
        }
      }
      b.duty.push(...t.dutyEvents);
    }
    return new Map<string, Error>();
  }
}

async function simulate(network: Network, profile: string) {
  const stores = new BenchStores();
  const truth: TruthRecord[] = [];
  const deps = {
    vehicles: stores,
    telemetry: stores,
    rejects: { put: async () => new Set<number>() },
    pseudonymise: (c: string) => c,
    plausibility: defaultPlausibility,
    logger: silentLogger,
  };
  let seq = 0;
  const sink = {
    write: async (messages: readonly OutboundMessage[]) => {
      // The envelope the IoT rule builds, stamped with the receipt: when the device sent the message.
      const records: StreamRecord[] = messages.map((m) => ({
        id: String(++seq),
        partitionKey: m.busId,
        data: Buffer.from(JSON.stringify(buildRuleEnvelope(telemetryTopic(m.busId, m.kind), Buffer.from(payloadOf(m)), m.sendAtMs))),
        arrivalMs: m.sendAtMs,
      }));
      for (let i = 0; i < records.length; i += STREAM_BATCH) await ingestBatch(records.slice(i, i + STREAM_BATCH), deps);
    },
    close: async () => ({ delivered: 0, failed: 0, failures: {} }),
  };
  await runSimulation({
    network,
    serviceDay: DAY,
    seed: 7,
    speed: Number.POSITIVE_INFINITY,
    profile: parseFaultProfile(profile),
    sink,
    truth: {
      write: async (r) => void truth.push(...r.filter((x) => x.type === 'stop_visit' || x.type === 'trip' || (x.type === 'fault' && x.fault === 'clock_skew'))),
      close: async () => undefined,
    },
    ...(BUSES ? { buses: BUSES } : {}),
  });
  return { buses: stores.buses as Map<string, BusData>, truth, clocks: stores.states };
}

/** How well the buses' clock offsets were estimated: the share of buses whose correction at day end is within 1 s. */
function scoreClocks(truth: readonly TruthRecord[], states: ReadonlyMap<string, VehicleState>): string {
  let right = 0;
  let total = 0;
  for (const r of truth) {
    if (r.type !== 'fault' || r.fault !== 'clock_skew') continue;
    const trueMs = Number(r.detail?.offsetMs ?? 0);
    // Offsets within the limit are left as received: right when nothing was applied.
    const expectedMs = Math.abs(trueMs) > 5_000 ? trueMs : 0;
    const appliedMs = states.get(r.busId)?.clock?.offsetMs ?? 0;
    total++;
    if (Math.abs(appliedMs - expectedMs) <= 1_000) right++;
  }
  return `${right}/${total}`;
}

function reconstruct(network: Network, buses: Map<string, BusData>): TripJourney[] {
  const geometry = new Map<string, PatternGeometry>();
  const geometryOf = (patternId: string): PatternGeometry => {
    let g = geometry.get(patternId);
    if (!g) {
      const p = network.patterns.get(patternId)!;
      g = { patternId, pattern: p, line: measurePolyline(network.shapes.get(p.shapeId)!.points) };
      geometry.set(patternId, g);
    }
    return g;
  };
  const plan = planDay(network, DAY, { seed: 7, ...(BUSES ? { maxBuses: BUSES } : {}) });
  const out: TripJourney[] = [];
  for (const duty of plan.duties) {
    const data = buses.get(duty.busId) ?? { track: [], duty: [] };
    const journeys = journeysOfBus({
      track: data.track,
      duty: data.duty,
      planned: duty.trips.map((t) => ({ tripId: t.tripId, plannedDepartureMs: Date.parse(t.plannedDepartureAt) })),
      patternOfTrip: (tripId) => {
        const trip = network.trips.get(tripId);
        return trip ? geometryOf(trip.patternId) : undefined;
      },
      candidatePatterns: [...network.patterns.values()].filter((p) => p.routeId === duty.routeId).map((p) => geometryOf(p.patternId)),
      catalogue: tripCatalogue(network, DAY),
      lateAfterMs: LATE_AFTER_MS,
      // Scored after the day: every planned trip is due.
      nowMs: serviceTimeToEpochMs(DAY, 27 * 3600, network.timezone),
    });
    out.push(...journeys.map((j) => ({ ...j, busId: duty.busId })));
  }
  return out;
}

function score(truth: TruthRecord[], journeys: TripJourney[]) {
  const predicted = new Map<string, { status: string; arrivalMs?: number }>();
  for (const j of journeys)
    for (const v of j.visits)
      predicted.set(`${j.tripId}|${v.stopSequence}`, { status: v.status, ...(v.arrivalMs === undefined ? {} : { arrivalMs: v.arrivalMs }) });
  let truthVisited = 0,
    predictedVisited = 0,
    bothVisited = 0;
  let truthSkipped = 0,
    predictedSkipped = 0,
    bothSkipped = 0;
  const errors: number[] = [];
  const truthKeys = new Set<string>();
  for (const r of truth) {
    if (r.type !== 'stop_visit') continue;
    const key = `${r.tripId}|${r.stopSequence}`;
    truthKeys.add(key);
    const p = predicted.get(key);
    if (!r.skipped) {
      truthVisited++;
      if (p?.status === 'visited') {
        bothVisited++;
        if (p.arrivalMs !== undefined && r.arrivalMs !== undefined) errors.push(Math.abs(p.arrivalMs - r.arrivalMs) / 1000);
      }
    } else {
      truthSkipped++;
      if (p?.status === 'skipped') bothSkipped++;
    }
  }
  for (const [key, p] of predicted) {
    if (p.status === 'visited') {
      predictedVisited++;
      // A visit the truth does not have at all (a stop of a trip never run) is a false one.
    }
    if (p.status === 'skipped') predictedSkipped++;
    if (!truthKeys.has(key) && p.status === 'visited') void 0;
  }
  const truthTrips = new Map(truth.flatMap((r) => (r.type === 'trip' ? [[r.tripId, r.classification] as const] : [])));
  let tripsRight = 0,
    tripsTotal = 0,
    unscheduledTruth = 0,
    unscheduledFound = 0;
  const confusion: Record<string, number> = {};
  const predictedTrips = new Map(journeys.map((j) => [j.tripId, j.classification]));
  for (const [tripId, cls] of truthTrips) {
    if (cls === 'unscheduled') {
      unscheduledTruth++;
      if (predictedTrips.get(tripId) === 'unscheduled') unscheduledFound++;
      continue;
    }
    tripsTotal++;
    const got = predictedTrips.get(tripId) ?? 'missed';
    if (got === cls) tripsRight++;
    else confusion[`${cls}→${got}`] = (confusion[`${cls}→${got}`] ?? 0) + 1;
  }
  errors.sort((a, b) => a - b);
  const pct = (q: number) => errors[Math.min(errors.length - 1, Math.floor(q * errors.length))] ?? NaN;
  const precision = bothSkipped / Math.max(1, predictedSkipped);
  const recall = bothSkipped / Math.max(1, truthSkipped);
  const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    visitRecall: r4(bothVisited / Math.max(1, truthVisited)),
    visitPrecision: r4(bothVisited / Math.max(1, predictedVisited)),
    arrivalErrP50S: Math.round(pct(0.5) * 10) / 10,
    arrivalErrP95S: Math.round(pct(0.95) * 10) / 10,
    skipPrecision: r4(precision),
    skipRecall: r4(recall),
    skipF1: r4((2 * precision * recall) / Math.max(1e-9, precision + recall)),
    tripClassAccuracy: r4(tripsRight / Math.max(1, tripsTotal)),
    unscheduledDetected: `${unscheduledFound}/${unscheduledTruth}`,
    tripErrors:
      Object.entries(confusion)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none',
    truthVisits: truthVisited,
    truthSkipped,
    trips: tripsTotal,
  };
}

async function main(): Promise<void> {
  const { network } = await loadGtfs(SAMPLE_NETWORK_DIR);
  const results: Record<string, ReturnType<typeof score> & { clocksCorrected: string }> = {};
  for (const profile of ['default', 'harsh']) {
    const started = performance.now();
    const { buses, truth, clocks } = await simulate(network, profile);
    const journeys = reconstruct(network, buses);
    results[profile] = { ...score(truth, journeys), clocksCorrected: scoreClocks(truth, clocks) };
    if (process.env.BENCH_JOURNEYS_DEBUG) {
      const bySource: Record<string, number> = {};
      for (const j of journeys)
        bySource[`${j.source}/${j.classification}/${j.visits.map((v) => v.status[0]).join('')}`.slice(0, 90)] =
          (bySource[`${j.source}/${j.classification}/${j.visits.map((v) => v.status[0]).join('')}`.slice(0, 90)] ?? 0) + 1;
      console.error(Object.entries(bySource).slice(0, 25));
      const b = [...buses.entries()][0]!;
      console.error(b[0], 'fixes', b[1].track.length, 'duty', b[1].duty.map((d) => `${d.event}@${new Date(d.ts).toISOString().slice(11, 19)}`).slice(0, 8));
    }
    process.stderr.write(`${profile}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const rows = Object.keys(results.default!) as (keyof (typeof results)[string])[];
  const targets: Partial<Record<keyof (typeof results)[string], string>> = {
    visitRecall: '≥ 0.99',
    visitPrecision: '≥ 0.99',
    arrivalErrP50S: '≤ 10',
    arrivalErrP95S: '≤ 20',
    skipF1: '≥ 0.95 (harsh 0.93)',
    tripClassAccuracy: '≥ 0.99',
  };
  console.log(`\nJourney accuracy on the sample network, ${DAY} (seed 7)\n`);
  console.log(`  ${'measure'.padEnd(20)}${'default'.padStart(12)}${'harsh'.padStart(12)}   target`);
  for (const k of rows.filter((r) => r !== 'tripErrors'))
    console.log(`  ${k.padEnd(20)}${String(results.default![k]).padStart(12)}${String(results.harsh![k]).padStart(12)}   ${targets[k] ?? ''}`);
  console.log(`\n  trip classification errors (truth→found): default ${results.default!.tripErrors}; harsh ${results.harsh!.tripErrors}`);
  const pick = (r: (typeof results)[string]) => ({
    visitRecall: r.visitRecall,
    visitPrecision: r.visitPrecision,
    arrivalErrP50S: r.arrivalErrP50S,
    arrivalErrP95S: r.arrivalErrP95S,
    skipF1: r.skipF1,
    tripClassAccuracy: r.tripClassAccuracy,
    unscheduledDetected: r.unscheduledDetected,
  });
  console.log(`\n${JSON.stringify({ bench: 'journeys', default: pick(results.default!), harsh: pick(results.harsh!) })}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
