/**
 * Versions: what changed between two statements of the same operator-day, line by line (class, amount,
 * penalties, evidence), from what to what, and why in words; and the day totals that changed.
 */
import { canonicalJson } from './input-hash.js';
import type { DailyStatement, DayTotals, FieldChange, LineChange, StatementDiff, StatementLine } from './types.js';

/** The fields of a line a diff compares, by name, and how to read them. */
const LINE_FIELDS: [string, (l: StatementLine) => unknown][] = [
  ['class', (l) => l.class],
  ['amountVnd', (l) => l.amountVnd],
  ['unitCostVnd', (l) => l.unitCostVnd],
  ['penalties.totalVnd', (l) => l.penalties.totalVnd],
  ['penalties.skippedStops', (l) => l.penalties.skippedStops],
  ['penalties.lateTripVnd', (l) => l.penalties.lateTripVnd],
  ['evidence.performedTrip', (l) => l.evidence.performedTrip],
  ['evidence.actualDepartureMs', (l) => l.evidence.actualDepartureMs],
  ['evidence.departureDelayS', (l) => l.evidence.departureDelayS],
  ['evidence.stops.visited', (l) => l.evidence.stops?.visited],
  ['evidence.stops.skipped', (l) => l.evidence.stops?.skipped],
  ['evidence.stops.unobserved', (l) => l.evidence.stops?.unobserved],
  ['evidence.stops.notReached', (l) => l.evidence.stops?.notReached],
  ['evidence.stops.skippedStopIds', (l) => l.evidence.stops?.skippedStopIds],
  ['evidence.fareRevenueVnd', (l) => l.evidence.fareRevenueVnd],
  ['evidence.contractVersion', (l) => l.evidence.contractVersion],
  ['evidence.confirmations', (l) => l.evidence.confirmations],
  ['evidence.vehicleSwap', (l) => l.evidence.vehicleSwap],
  ['resolution', (l) => (l.resolution ? { decision: l.resolution.decision, reason: l.resolution.reason } : undefined)],
];

/** The lines added, removed and changed (from what to what, and why) between two versions, and the totals' changes. */
export function diffStatements(previous: DailyStatement, next: DailyStatement): StatementDiff {
  const before = new Map(previous.lines.map((l) => [l.lineId, l]));
  const after = new Map(next.lines.map((l) => [l.lineId, l]));
  const changed: LineChange[] = [];
  for (const l of next.lines) {
    const p = before.get(l.lineId);
    if (!p) continue;
    const changes = LINE_FIELDS.flatMap(([field, read]): FieldChange[] => {
      const from = read(p);
      const to = read(l);
      return same(from, to) ? [] : [{ field, from: from ?? null, to: to ?? null }];
    });
    if (changes.length > 0) changed.push({ lineId: l.lineId, changes, why: whyOf(p, l, changes) });
  }
  return {
    fromHash: previous.inputHash,
    toHash: next.inputHash,
    added: next.lines.filter((l) => !before.has(l.lineId)),
    removed: previous.lines.filter((l) => !after.has(l.lineId)),
    changed,
    totals: totalsChanges(previous.totals, next.totals),
  };
}

function whyOf(p: StatementLine, l: StatementLine, changes: FieldChange[]): string[] {
  const fields = new Set(changes.map((c) => c.field));
  const why: string[] = [];
  if (fields.has('resolution') && l.resolution) why.push(`resolved by the centre as ${l.resolution.decision}: ${l.resolution.reason}`);
  if (fields.has('evidence.performedTrip')) {
    const from = p.evidence.performedTrip;
    const to = l.evidence.performedTrip;
    why.push(
      !from
        ? `a trip performed now matches it (bus ${to?.busId}, trip ${to?.tripId})`
        : !to
          ? 'no trip performed matches it any more'
          : `matched to another trip performed (bus ${to.busId}, trip ${to.tripId})`,
    );
  }
  if (['evidence.stops.visited', 'evidence.stops.skipped', 'evidence.stops.unobserved', 'evidence.stops.notReached'].some((f) => fields.has(f))) {
    const s = (x: StatementLine) =>
      x.evidence.stops
        ? `${x.evidence.stops.visited} visited, ${x.evidence.stops.skipped} skipped, ${x.evidence.stops.unobserved} unobserved`
        : 'none observed';
    why.push(`stop visits changed (late data): ${s(p)} → ${s(l)}`);
  }
  if (fields.has('evidence.actualDepartureMs'))
    why.push(`actual departure changed: delay ${p.evidence.departureDelayS ?? '—'} s → ${l.evidence.departureDelayS ?? '—'} s`);
  if (fields.has('evidence.contractVersion'))
    why.push(`contract version changed: ${p.evidence.contractVersion?.effectiveFrom ?? 'none'} → ${l.evidence.contractVersion?.effectiveFrom ?? 'none'}`);
  if (fields.has('evidence.confirmations')) why.push('terminal confirmations changed');
  if (fields.has('evidence.vehicleSwap')) why.push('the bus that ran it changed');
  if (fields.has('evidence.fareRevenueVnd')) why.push(`fare revenue of the trip ${p.evidence.fareRevenueVnd} → ${l.evidence.fareRevenueVnd} VND`);
  if (fields.has('class')) why.push(`class ${p.class} → ${l.class}: ${l.reason}`);
  if (fields.has('amountVnd') || fields.has('penalties.totalVnd'))
    why.push(`amount ${p.amountVnd} → ${l.amountVnd} VND, penalties ${p.penalties.totalVnd} → ${l.penalties.totalVnd} VND`);
  return why;
}

function totalsChanges(a: DayTotals, b: DayTotals): FieldChange[] {
  const flat = (t: DayTotals): Record<string, number> => {
    const { byClass, ...rest } = t;
    const out: Record<string, number> = { ...rest };
    for (const [k, v] of Object.entries(byClass)) out[`byClass.${k}`] = v;
    return out;
  };
  const fa = flat(a);
  const fb = flat(b);
  return Object.keys(fb).flatMap((k) => (fa[k] === fb[k] ? [] : [{ field: k, from: fa[k] ?? null, to: fb[k] ?? null }]));
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}
