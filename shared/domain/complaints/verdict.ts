/**
 * The verdict on a complaint from its evidence, and the count of upheld complaints per operator. Pure.
 *
 * Skipped stop, no alighting, other (did the buses serve the stop?):
 * - confirmed-skipped: some bus in the window passed without stopping (a skipped visit), or stopped with its
 *   doors shut throughout — whatever the others did, the complainant may have waited for that one;
 * - bus-stopped: every bus the data can judge stopped (and none skipped);
 * - no-data: no bus of that route/plate passed in the window, or the fixes cannot tell (gaps).
 * Late (the bus due then, by the timetable):
 * - confirmed-late: some bus due in the window arrived more than 5 min after its timetable, never ran its
 *   trip, or passed without stopping;
 * - on-time: every bus due that the data can judge arrived within 5 min of its timetable;
 * - no-data: no bus was due, or no arrival could be timed.
 */
import { CONFIRMING_VERDICTS, type Complaint, type ComplaintKind, type ComplaintVerdict, type PassFinding, type StopPassEvidence } from './types.js';

const CONFIRMING_FINDINGS: Record<'serve' | 'late', ReadonlySet<PassFinding>> = {
  serve: new Set(['skipped', 'no-door']),
  late: new Set(['late', 'missed', 'skipped', 'no-door']),
};

/** The verdict of a complaint of `kind` on its evidence, with the passes that decide it. */
export function verdictOf(kind: ComplaintKind, evidence: readonly StopPassEvidence[]): { verdict: ComplaintVerdict; decisive: StopPassEvidence[] } {
  const late = kind === 'late';
  const confirming = evidence.filter((p) => CONFIRMING_FINDINGS[late ? 'late' : 'serve'].has(p.finding));
  if (confirming.length) return { verdict: late ? 'confirmed-late' : 'confirmed-skipped', decisive: confirming };
  const served = evidence.filter((p) => p.finding === (late ? 'on-time' : 'stopped'));
  if (served.length) return { verdict: late ? 'on-time' : 'bus-stopped', decisive: served };
  return { verdict: 'no-data', decisive: [] };
}

/** Whether a verdict upholds the complaint. */
export function isConfirmed(verdict: ComplaintVerdict): boolean {
  return CONFIRMING_VERDICTS.has(verdict);
}

/**
 * Upheld complaints per operator, for the quality view: each complaint counts once for every operator whose
 * bus upheld it. `routeId` keeps the complaints about that route (named, or of a bus in its evidence).
 */
export function confirmedComplaintsByOperator(
  complaints: readonly Complaint[],
  filter: { operatorId?: string; routeId?: string } = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of complaints) {
    if (!isConfirmed(c.verdict)) continue;
    if (filter.routeId && c.routeId !== filter.routeId && !c.evidence.some((p) => p.routeId === filter.routeId)) continue;
    for (const operatorId of c.confirmedOperatorIds) {
      if (filter.operatorId && operatorId !== filter.operatorId) continue;
      out[operatorId] = (out[operatorId] ?? 0) + 1;
    }
  }
  return out;
}
