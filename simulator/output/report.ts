/** Progress lines and the end-of-run summary, for people. */
import { localHhmm } from '../../shared/kernel/time/service-day.js';
import type { Progress, RunSummary } from '../run.js';

/** `07:42 (35%) · 38 buses · 12,345 messages · 1,020 msg/s`, the simulated time local to the network's `timeZone`. */
export function formatProgress(p: Progress, timeZone: string): string {
  const pct = Math.min(100, Math.round(((p.simTimeMs - p.startMs) / Math.max(1, p.endMs - p.startMs)) * 100));
  return `${localHhmm(p.simTimeMs, timeZone)} (${pct}%) · ${p.activeBuses} buses · ${p.messages.toLocaleString('en')} messages · ${Math.round(p.messagesPerS).toLocaleString('en')} msg/s`;
}

export function formatSummary(s: RunSummary): string {
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .sort()
      .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
      .join(', ') || 'none';
  return [
    `Simulated ${s.buses} buses, ${s.plannedTrips} planned trips, in ${s.wallSeconds.toFixed(1)} s.`,
    `  messages   ${s.messages.toLocaleString('en')} (${kv(s.messagesByKind)}); ${s.gpsRecords.toLocaleString('en')} GPS records; ${s.taps.toLocaleString('en')} taps`,
    `  trips      ${kv(s.trips)}`,
    `  faults     ${kv(s.faults)}`,
    `  delivered  ${s.delivery.delivered.toLocaleString('en')}${s.delivery.failed ? `; NOT delivered ${s.delivery.failed} (${kv(s.delivery.failures)})` : ''}`,
  ].join('\n');
}
