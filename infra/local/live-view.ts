/**
 * What `npm start` shows while it runs: one short block every few seconds — the stack's time, what was stored
 * and refused, the router's backlog, and warnings condensed by code — instead of a stream of JSON lines.
 */
import type { IngestStats } from '../../shared/domain/telemetry/ingest-batch.js';
import { zoneOffsetMs } from '../../shared/kernel/time/service-day.js';
import type { Progress } from '../../simulator/run.js';
import type { RouterStats } from './stream-router.js';

export interface LiveViewState {
  /** The stack's time now. */
  nowMs: number;
  timeZone: string;
  /** Whether the clock is the simulated one (else the system clock). */
  simulated: boolean;
  ingested: IngestStats;
  router: RouterStats;
  /** The fleet's last progress, while one runs. */
  fleet?: Progress;
  warnings: readonly { level: 'warn' | 'error'; key: string; count: number }[];
  logPath: string;
}

const n = (v: number) => v.toLocaleString('en');

/** Local `HH:MM` of an instant in `timeZone`. */
export function localHhmm(tsMs: number, timeZone: string): string {
  return new Date(tsMs + zoneOffsetMs(tsMs, timeZone)).toISOString().slice(11, 16);
}

/** The block for this moment; the caller prints it when it differs from the last one. */
export function formatLiveView(s: LiveViewState): string {
  const i = s.ingested;
  const r = s.router;
  const clock = `${s.simulated ? 'sim' : 'now'} ${localHhmm(s.nowMs, s.timeZone)}`;
  const fleet = s.fleet
    ? ` · ${s.fleet.activeBuses} buses on the road · ${Math.min(100, Math.round(((s.fleet.simTimeMs - s.fleet.startMs) / Math.max(1, s.fleet.endMs - s.fleet.startMs)) * 100))}% of the day`
    : '';
  const lines = [
    `[${clock}]${fleet}`,
    `  stored    ${n(i.gpsStored)} positions · ${n(i.taps)} taps · ${n(i.wifi)} wifi · ${n(i.dutyEvents)} duty · ${n(i.gpsDuplicates)} duplicates ignored`,
    `  refused   ${n(i.rejects)} rejected (busflow-rejects)${i.failedBuses ? ` · ${n(i.failedBuses)} bus batches failed and retried` : ''}`,
    `  router    ${n(r.delivered)} delivered · ${n(r.pending)} pending · ${n(r.retried)} retried · ${n(r.deadLettered)} dead-lettered${r.refused ? ` · ${n(r.refused)} publishes refused (backlog full: devices resend)` : ''}`,
  ];
  if (s.warnings.length) {
    const shown = s.warnings
      .slice(0, 5)
      .map((w) => `${w.key} ×${n(w.count)}`)
      .join(' · ');
    const more = s.warnings.length > 5 ? ` · ${s.warnings.length - 5} more kinds` : '';
    lines.push(`  warnings  ${shown}${more}  (details: ${s.logPath})`);
  }
  return lines.join('\n');
}
