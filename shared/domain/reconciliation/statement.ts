/**
 * The daily run: match, classify, price and total one operator's service day into a statement. Deterministic:
 * the inputs are put in a canonical order first, so the same inputs give the same statement and input hash.
 */
import { contractInForce } from '../contracts/contracts.js';
import type { RouteContract } from '../contracts/schemas.js';
import { SERVICE_TIMEZONE } from '../../kernel/time/service-day.js';
import { journeyRevenueVnd } from './amounts.js';
import { inputHash } from './input-hash.js';
import { plannedLine, unscheduledLine } from './lines.js';
import { matchTrips, plannedTripsOf } from './matching.js';
import { applyResolutions } from './review.js';
import { totalled } from './statement-totals.js';
import { ROUNDING_RULE, type DailyStatement, type ReconciliationInput, type StatementLine } from './types.js';

/** A departure may be this much beyond the late limit and still match its planned trip by time (then missed). */
const MATCH_SLACK_MS = 30 * 60_000;
/** The match window of a route without a contract. */
const DEFAULT_WINDOW_MS = 60 * 60_000;

/** The statement of one operator-day from its inputs: deterministic, the same input gives the same statement. */
export function reconcileDay(input: ReconciliationInput): DailyStatement {
  const { serviceDay, operatorId } = input;
  const timezone = input.timezone ?? SERVICE_TIMEZONE;
  const orders = input.orders.filter((o) => o.operatorId === operatorId && o.serviceDay === serviceDay);
  const journeys = input.journeys.filter((j) => j.operatorId === operatorId && j.serviceDay === serviceDay);
  const routeIds = [...new Set([...orders.map((o) => o.routeId), ...journeys.map((j) => j.routeId)])].sort();
  const contracts = contractsInForce(input.contracts, routeIds, serviceDay);

  const windowMs = (routeId: string) => {
    const c = contracts.get(routeId);
    return c ? Math.max(c.lateLimitMin, c.departureToleranceMin.lateMin, -c.departureToleranceMin.earlyMin) * 60_000 + MATCH_SLACK_MS : DEFAULT_WINDOW_MS;
  };
  const { matches, unscheduled } = matchTrips(plannedTripsOf(orders), journeys, windowMs);
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const lines = sortLines([
    ...matches.map((m) => plannedLine(m, orderById.get(m.planned.tripOrderId), contracts.get(m.planned.routeId), timezone)),
    ...unscheduled.map((u) => unscheduledLine(u, contracts.get(u.journey.routeId))),
  ]);

  const fares = new Map<string, number>(routeIds.map((r) => [r, 0]));
  for (const j of journeys) fares.set(j.routeId, (fares.get(j.routeId) ?? 0) + journeyRevenueVnd(j));
  const statement = totalled(
    { serviceDay, operatorId, inputHash: inputHash(input), rounding: ROUNDING_RULE, lines, unappliedResolutions: [] },
    fares,
    contracts,
  );
  return input.resolutions && input.resolutions.length > 0 ? applyResolutions(statement, input.resolutions, input.contracts) : statement;
}

/** The version of each route's contract in force on the day. */
function contractsInForce(contracts: readonly RouteContract[], routeIds: readonly string[], serviceDay: string): Map<string, RouteContract> {
  const inForce = new Map<string, RouteContract>();
  for (const r of routeIds) {
    const c = contractInForce(contracts, r, serviceDay);
    if (c) inForce.set(r, c);
  }
  return inForce;
}

function sortLines(lines: StatementLine[]): StatementLine[] {
  const when = (l: StatementLine) => l.planned?.plannedDepartureMs ?? l.evidence.actualDepartureMs ?? l.evidence.plannedDepartureMs ?? 0;
  return lines.sort((a, b) => cmp(a.routeId, b.routeId) || cmp(a.kind, b.kind) || when(a) - when(b) || cmp(a.lineId, b.lineId));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
