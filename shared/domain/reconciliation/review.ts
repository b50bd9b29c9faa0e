/**
 * Review: the centre's resolutions of needs-review lines applied to a statement, totals recomputed. A line
 * accepted as completed is paid its unit cost, as partial its partial share; a rejected line is missed. Either
 * way it keeps the penalties its evidence supports for skipped stops; the centre's class stands for the
 * departure, so no late-trip penalty is added. A resolution that names no needs-review line is kept aside as
 * unapplied (a re-run may have settled the line by itself).
 */
import { contractInForce } from '../contracts/contracts.js';
import type { RouteContract } from '../contracts/schemas.js';
import { lineAmountVnd, linePenalties } from './amounts.js';
import { canonicalJson } from './input-hash.js';
import { resolvedVi } from './reasons-vi.js';
import { totalled } from './statement-totals.js';
import type { DailyStatement, LineClass, LineResolution, StatementLine } from './types.js';

/** The statement with the resolutions applied to its needs-review lines and its totals recomputed. */
export function applyResolutions(statement: DailyStatement, resolutions: readonly LineResolution[], contracts: readonly RouteContract[]): DailyStatement {
  const byLine = new Map<string, LineResolution>();
  const unapplied: LineResolution[] = [...statement.unappliedResolutions];
  const reviewable = new Set(statement.lines.filter(isReviewable).map((l) => l.lineId));
  // The latest resolution of a line wins (the centre may change its mind before approval).
  const ordered = [...resolutions].sort(
    (a, b) => cmp(a.lineId, b.lineId) || cmp(a.resolvedAt ?? '', b.resolvedAt ?? '') || cmp(canonicalJson(a), canonicalJson(b)),
  );
  for (const r of ordered) {
    if (reviewable.has(r.lineId)) byLine.set(r.lineId, r);
    else unapplied.push(r);
  }
  const inForce = new Map<string, RouteContract>();
  for (const route of statement.routes) {
    const c = versionOf(contracts, route.contractVersion) ?? contractInForce(contracts, route.routeId, statement.serviceDay);
    if (c) inForce.set(route.routeId, c);
  }
  const lines = statement.lines.map((l) => {
    const r = byLine.get(l.lineId);
    if (!r) return l;
    const contract = inForce.get(l.routeId);
    if (contract) return resolved(l, r, contract);
    // Without a contract there is nothing to price: the line stays open.
    unapplied.push(r);
    return l;
  });
  const fares = new Map(statement.routes.map((r) => [r.routeId, r.fareRevenueVnd]));
  const { routes: _r, totals: _t, openReviewLineIds: _o, ...rest } = statement;
  return totalled({ ...rest, lines, unappliedResolutions: unapplied }, fares, inForce);
}

/** A needs-review line, or one the centre already resolved (it may change its mind before approval). */
function isReviewable(l: StatementLine): boolean {
  return l.kind === 'planned' && (l.class === 'needs-review' || l.resolution !== undefined);
}

function resolved(l: StatementLine, r: LineResolution, contract: RouteContract): StatementLine {
  const cls: LineClass = r.decision === 'rejected' ? 'missed' : r.decision;
  const classBefore = l.resolution?.classBefore ?? l.class;
  const { possibleClasses: _p, ...line } = l;
  return {
    ...line,
    class: cls,
    reason: `${cls}: resolved by the centre (${r.decision}): ${r.reason} — before: ${l.resolution ? l.resolution.classBefore : l.reason}`,
    reasonVi: resolvedVi(cls, r, l),
    amountVnd: lineAmountVnd(cls, l.unitCostVnd, contract),
    penalties: linePenalties(cls, l.evidence.stops?.skipped ?? 0, false, contract),
    resolution: { ...r, classBefore },
    flagged: false,
  };
}

function versionOf(contracts: readonly RouteContract[], v: { routeId: string; effectiveFrom: string } | undefined): RouteContract | undefined {
  return v ? contracts.find((c) => c.routeId === v.routeId && c.effectiveFrom === v.effectiveFrom) : undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
