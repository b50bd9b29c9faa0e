/**
 * Drives a simulated day into its sinks at a chosen speed, reporting progress and ending with a summary.
 * Used by `npm run sim`, `npm start` and the benchmarks.
 */
import type { Clock } from '../shared/domain/ports/clock.js';
import type { TruthRecord } from './core/events.js';
import { simulateFleet, type FleetOptions } from './core/fleet.js';
import type { MessageSink, SinkReport, TruthSink } from './output/sink.js';

export interface RunOptions extends FleetOptions {
  /** Simulated seconds per wall second; Infinity runs as fast as possible. */
  speed: number;
  /**
   * The clock that paces the run (the local stack's simulated clock, so the fleet and the stack share one
   * time); absent: wall time since the run started, scaled by `speed`.
   */
  clock?: Clock;
  sink: MessageSink;
  truth?: TruthSink;
  /** Called after each window of messages went to the sink, with the simulated time it reached. */
  onWindow?: (simTimeMs: number) => void;
  /** Called about once a second of wall time (and at the end). */
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface Progress {
  simTimeMs: number;
  startMs: number;
  endMs: number;
  activeBuses: number;
  messages: number;
  messagesPerS: number;
}

export interface RunSummary {
  buses: number;
  plannedTrips: number;
  messages: number;
  messagesByKind: Record<string, number>;
  gpsRecords: number;
  trips: Record<string, number>;
  faults: Record<string, number>;
  taps: number;
  delivery: SinkReport;
  wallSeconds: number;
}

export async function runSimulation(opts: RunOptions): Promise<RunSummary> {
  const run = simulateFleet({ ...opts, windowS: opts.windowS ?? (Number.isFinite(opts.speed) ? 5 : 60) });
  const wallStart = performance.now();
  const summary: Omit<RunSummary, 'delivery' | 'wallSeconds'> = {
    buses: run.plan.duties.length,
    plannedTrips: run.plan.duties.reduce((n, d) => n + d.trips.length, 0),
    messages: 0,
    messagesByKind: {},
    gpsRecords: 0,
    trips: {},
    faults: {},
    taps: 0,
  };
  let lastReport = 0;
  for (const w of run.windows) {
    if (opts.signal?.aborted) break;
    if (Number.isFinite(opts.speed)) {
      // Paced: a window is released once its time has passed, as a bus sends what it measured, never before.
      const nowMs = opts.clock ? opts.clock.now() : run.startMs + (performance.now() - wallStart) * opts.speed;
      const dueMs = (w.endMs - nowMs) / opts.speed;
      if (dueMs > 0) await new Promise((r) => setTimeout(r, dueMs));
    }
    await opts.sink.write(w.messages);
    if (opts.truth) await opts.truth.write(w.truth);
    count(summary, w.messages, w.truth);
    opts.onWindow?.(w.endMs);
    const now = performance.now();
    if (opts.onProgress && now - lastReport > 1000) {
      lastReport = now;
      opts.onProgress({
        simTimeMs: w.endMs,
        startMs: run.startMs,
        endMs: run.endMs,
        activeBuses: w.activeBuses,
        messages: summary.messages,
        messagesPerS: summary.messages / ((now - wallStart) / 1000),
      });
    }
  }
  const delivery = await opts.sink.close();
  await opts.truth?.close();
  return { ...summary, delivery, wallSeconds: (performance.now() - wallStart) / 1000 };
}

function count(s: Omit<RunSummary, 'delivery' | 'wallSeconds'>, messages: readonly { kind: string; body: unknown }[], truth: readonly TruthRecord[]): void {
  for (const m of messages) {
    s.messages++;
    s.messagesByKind[m.kind] = (s.messagesByKind[m.kind] ?? 0) + 1;
    const body = m.body as { records?: unknown[] } | string;
    if (m.kind === 'gps' && typeof body !== 'string' && Array.isArray(body.records)) s.gpsRecords += body.records.length;
  }
  for (const r of truth) {
    if (r.type === 'trip') s.trips[r.classification] = (s.trips[r.classification] ?? 0) + 1;
    else if (r.type === 'fault') s.faults[r.fault] = (s.faults[r.fault] ?? 0) + 1;
    else if (r.type === 'tap') s.taps++;
  }
}
