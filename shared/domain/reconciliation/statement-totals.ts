/**
 * A statement's totals from its lines: per route (under the contract in force) and per operator-day, and the
 * lines still open for review.
 */
import type { RouteContract } from '../contracts/schemas.js';
import { dayTotals, routeTotals } from './amounts.js';
import type { DailyStatement } from './types.js';

/** A statement with its route and day totals and open review lines computed from its lines. */
export function totalled(
  s: Omit<DailyStatement, 'routes' | 'totals' | 'openReviewLineIds'>,
  faresByRoute: ReadonlyMap<string, number>,
  contracts: ReadonlyMap<string, RouteContract>,
): DailyStatement {
  const routeIds = [...new Set([...faresByRoute.keys(), ...s.lines.map((l) => l.routeId)])].sort();
  const routes = routeIds.map((r) =>
    routeTotals(
      r,
      s.lines.filter((l) => l.routeId === r),
      faresByRoute.get(r) ?? 0,
      contracts.get(r),
    ),
  );
  return {
    ...s,
    routes,
    totals: dayTotals(routes),
    openReviewLineIds: s.lines.filter((l) => l.class === 'needs-review').map((l) => l.lineId),
  };
}
