/** Progress lines and the end-of-run summary, for people. */
import type { Progress, RunSummary } from '../run.js';

const hhmm = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(11, 16);

/** `07:42 (35%) · 38 buses · 12,345 messages · 1,020 msg/s` */
export function formatProgress(p: Progress): string {
  const pct = Math.min(100, Math.round(((p.simTimeMs - p.startMs) / Math.max(1, p.endMs - p.startMs)) * 100));
  return `${hhmm(p.simTimeMs)} (${pct}%) · ${p.activeBuses} buses · ${p.messages.toLocaleString('en')} messages · ${Math.round(p.messagesPerS).toLocaleString('en')} msg/s`;
}

export function formatSummary(s: RunSummary): string {
  const kv = (o: Record<string, number>) => Object.entries(o).sort().map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ') || 'none';
  return [
    `Simulated ${s.buses} buses, ${s.plannedTrips} planned trips, in ${s.wallSeconds.toFixed(1)} s.`,
    `  messages   ${s.messages.toLocaleString('en')} (${kv(s.messagesByKind)}); ${s.gpsRecords.toLocaleString('en')} GPS records; ${s.taps.toLocaleString('en')} taps`,
    `  trips      ${kv(s.trips)}`,
    `  faults     ${kv(s.faults)}`,
    `  delivered  ${s.delivery.delivered.toLocaleString('en')}${s.delivery.failed ? `; NOT delivered ${s.delivery.failed} (${kv(s.delivery.failures)})` : ''}`,
  ].join('\n');
}
