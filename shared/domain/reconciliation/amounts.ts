/**
 * Amounts (integer VND): a line's accepted amount and penalties, a route's totals and subsidy payable under its
 * contract type and bid discount, and the operator-day's totals. Rounding is half up to the whole VND, once per
 * line and once for the bid discount; sums of whole amounts need none.
 */
import type { RouteContract } from '../contracts/schemas.js';
import { ACCEPTED_CLASSES, type ClassCounts, type DayTotals, type LineClass, type LinePenalties, type RouteTotals, type StatementLine } from './types.js';

const ACCEPTED = new Set<LineClass>(ACCEPTED_CLASSES);

/** Rounds half up to the whole VND (0.5 → 1), after clearing binary floating-point noise. */
export function roundHalfUp(x: number): number {
  const r = Math.floor(Number(x.toFixed(6)) + 0.5);
  return r === 0 ? 0 : r;
}

/** Whether a class is accepted (paid). */
function isAccepted(cls: LineClass): boolean {
  return ACCEPTED.has(cls);
}

/** The accepted amount of a line before penalties: the unit cost, its partial share (rounded half up), or 0. */
export function lineAmountVnd(cls: LineClass, unitCostVnd: number, contract: Pick<RouteContract, 'partialPaidShare'>): number {
  if (cls === 'completed' || cls === 'late') return unitCostVnd;
  if (cls === 'partial') return roundHalfUp(unitCostVnd * contract.partialPaidShare);
  return 0;
}

/**
 * The penalties of a line: per skipped stop (passed without stopping; not unobserved, not never reached) and per
 * late departure, on accepted lines only. A partial trip that also departed late bears the late-trip penalty.
 */
export function linePenalties(
  cls: LineClass,
  skippedStops: number,
  departedLate: boolean,
  contract: Pick<RouteContract, 'penaltyPerSkippedStopVnd' | 'penaltyPerLateTripVnd'>,
): LinePenalties {
  if (!isAccepted(cls)) return noPenalties();
  const skippedStopsVnd = skippedStops * contract.penaltyPerSkippedStopVnd;
  const lateTripVnd = departedLate ? contract.penaltyPerLateTripVnd : 0;
  return { skippedStops, skippedStopsVnd, lateTripVnd, totalVnd: skippedStopsVnd + lateTripVnd };
}

/** No penalties. */
export function noPenalties(): LinePenalties {
  return { skippedStops: 0, skippedStopsVnd: 0, lateTripVnd: 0, totalVnd: 0 };
}

/** Zero counts for every class. */
function emptyCounts(): ClassCounts {
  return { completed: 0, late: 0, partial: 0, missed: 0, 'needs-review': 0, unscheduled: 0 };
}

/**
 * A route's totals for the day from its lines and all fares collected on it: net-cost pays Σ accepted amounts −
 * penalties − fares, gross-cost Σ − penalties with the fares due to the city; the bid discount comes off what is
 * payable; payable is never negative (a negative net-cost result is stated as revenue above cost).
 */
export function routeTotals(routeId: string, lines: readonly StatementLine[], fareRevenueVnd: number, contract: RouteContract | undefined): RouteTotals {
  const byClass = emptyCounts();
  let costBeforePenaltiesVnd = 0;
  let penaltiesVnd = 0;
  for (const l of lines) {
    byClass[l.class]++;
    if (!isAccepted(l.class)) continue;
    costBeforePenaltiesVnd += l.amountVnd;
    penaltiesVnd += l.penalties.totalVnd;
  }
  const type = contract?.type;
  const netResultVnd = costBeforePenaltiesVnd - penaltiesVnd - (type === 'net-cost' ? fareRevenueVnd : 0);
  const base = Math.max(0, netResultVnd);
  const bidDiscountShare = contract?.bidDiscountShare ?? 0;
  const bidDiscountVnd = roundHalfUp(base * bidDiscountShare);
  const subsidised = contract?.subsidised ?? false;
  return {
    routeId,
    ...(contract ? { contractVersion: { routeId: contract.routeId, effectiveFrom: contract.effectiveFrom }, contractType: contract.type } : {}),
    subsidised,
    plannedTrips: lines.filter((l) => l.kind === 'planned').length,
    byClass,
    acceptedTrips: byClass.completed + byClass.late + byClass.partial,
    costBeforePenaltiesVnd,
    penaltiesVnd,
    fareRevenueVnd,
    netResultVnd,
    revenueAboveCostVnd: type === 'net-cost' && netResultVnd < 0 ? -netResultVnd : 0,
    revenueDueToCityVnd: type === 'gross-cost' ? fareRevenueVnd : 0,
    bidDiscountShare,
    bidDiscountVnd: subsidised ? bidDiscountVnd : 0,
    subsidyPayableVnd: subsidised ? base - bidDiscountVnd : 0,
  };
}

/** The operator-day's totals: the sums of its routes'. */
export function dayTotals(routes: readonly RouteTotals[]): DayTotals {
  const byClass = emptyCounts();
  const t: DayTotals = {
    plannedTrips: 0,
    byClass,
    acceptedTrips: 0,
    costBeforePenaltiesVnd: 0,
    penaltiesVnd: 0,
    fareRevenueVnd: 0,
    revenueAboveCostVnd: 0,
    revenueDueToCityVnd: 0,
    bidDiscountVnd: 0,
    subsidyPayableVnd: 0,
  };
  for (const r of routes) {
    for (const k of Object.keys(byClass) as LineClass[]) byClass[k] += r.byClass[k];
    t.plannedTrips += r.plannedTrips;
    t.acceptedTrips += r.acceptedTrips;
    t.costBeforePenaltiesVnd += r.costBeforePenaltiesVnd;
    t.penaltiesVnd += r.penaltiesVnd;
    t.fareRevenueVnd += r.fareRevenueVnd;
    t.revenueAboveCostVnd += r.revenueAboveCostVnd;
    t.revenueDueToCityVnd += r.revenueDueToCityVnd;
    t.bidDiscountVnd += r.bidDiscountVnd;
    t.subsidyPayableVnd += r.subsidyPayableVnd;
  }
  return t;
}

/** Fares collected on a journey: the sum of its stop visits' revenue. */
export function journeyRevenueVnd(j: { visits: readonly { revenueVnd: number }[] }): number {
  let sum = 0;
  for (const v of j.visits) sum += v.revenueVnd;
  return sum;
}
