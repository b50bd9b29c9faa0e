/**
 * Statement lines: a planned trip priced from its match and classification, a performed trip without an order
 * (unscheduled: not paid, flagged), each with its amount, penalties, reason and evidence.
 */
import { unitCostAt } from '../contracts/contracts.js';
import type { RouteContract } from '../contracts/schemas.js';
import { SERVICE_TIMEZONE } from '../../kernel/time/service-day.js';
import { journeyRevenueVnd, lineAmountVnd, linePenalties, noPenalties } from './amounts.js';
import { classifyRun, stopEvidence } from './classify.js';
import { NOT_RUN_VI, competingVi, confirmedWithoutTelemetryVi, noContractVi, unscheduledVi, vehicleSwapVi } from './reasons-vi.js';
import { type TripMatch, type UnmatchedJourney, journeyKey, performedTripRef, plannedLineId } from './matching.js';
import type { LineEvidence, ReconciliationOrder, StatementLine } from './types.js';

type Confirmations = LineEvidence['confirmations'];

/** The terminal confirmations of a planned trip on its order. */
function confirmationsOf(order: ReconciliationOrder | undefined, sequence: number): Confirmations {
  if (!order) return [];
  return order.confirmations
    .filter((c) => c.tripSequence === sequence)
    .map((c) => ({ kind: c.kind, at: c.at, stopId: c.stopId, confirmedBy: c.confirmedBy }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.kind < b.kind ? -1 : 1));
}

/** The line of a planned trip: classified from its match, priced under the contract in force (if any). */
export function plannedLine(
  m: TripMatch,
  order: ReconciliationOrder | undefined,
  contract: RouteContract | undefined,
  timezone = SERVICE_TIMEZONE,
): StatementLine {
  const p = m.planned;
  const lineId = plannedLineId(p.tripOrderId, p.sequence);
  const confirmations = confirmationsOf(order, p.sequence);
  const unitCostVnd = contract ? unitCostAt(contract, p.plannedDepartureMs, timezone) : 0;
  const evidence: LineEvidence = {
    plannedDepartureMs: p.plannedDepartureMs,
    fareRevenueVnd: m.journey ? journeyRevenueVnd(m.journey) : 0,
    ...(contract ? { contractVersion: { routeId: contract.routeId, effectiveFrom: contract.effectiveFrom } } : {}),
    confirmations,
    ...(m.vehicleSwap ? { vehicleSwap: m.vehicleSwap } : {}),
    ...(m.competing.length > 0 ? { competingTrips: m.competing.map(performedTripRef) } : {}),
  };
  const base = { lineId, kind: 'planned' as const, routeId: p.routeId, planned: p, unitCostVnd };

  if (!contract) {
    return {
      ...base,
      class: 'needs-review',
      possibleClasses: ['completed', 'late', 'partial', 'missed'],
      reason: `needs review: route ${p.routeId} has no contract in force`,
      reasonVi: noContractVi(p.routeId),
      amountVnd: 0,
      penalties: noPenalties(),
      evidence,
      flagged: true,
    };
  }
  if (!m.journey) {
    if (confirmations.length > 0) {
      const kindList = [...new Set(confirmations.map((c) => c.kind))];
      const kinds = kindList.join(' and ');
      return {
        ...base,
        class: 'needs-review',
        possibleClasses: ['completed', 'late', 'partial', 'missed'],
        reason: `needs review: no telemetry of the trip, but the terminal confirmed its ${kinds}`,
        reasonVi: confirmedWithoutTelemetryVi(kindList),
        amountVnd: 0,
        penalties: noPenalties(),
        evidence,
        flagged: true,
      };
    }
    return {
      ...base,
      class: 'missed',
      reason: 'missed: not run (no trip performed matches it, no terminal confirmation)',
      reasonVi: NOT_RUN_VI,
      amountVnd: 0,
      penalties: noPenalties(),
      evidence,
      flagged: false,
    };
  }

  const c = classifyRun(p.plannedDepartureMs, m.journey, confirmations, contract);
  const swap = m.vehicleSwap ? `; run by bus ${m.vehicleSwap.performedBusId} instead of ${m.vehicleSwap.plannedBusId} (vehicle swap)` : '';
  const competing = m.competing.length > 0 ? `; ${m.competing.length} other performed trip(s) claimed it and are unscheduled` : '';
  const runEvidence: LineEvidence = {
    ...evidence,
    performedTrip: performedTripRef(m.journey),
    ...(c.actualDepartureMs !== undefined ? { actualDepartureMs: c.actualDepartureMs } : {}),
    ...(c.departureSource ? { departureSource: c.departureSource } : {}),
    ...(c.departureDelayS !== undefined ? { departureDelayS: c.departureDelayS } : {}),
    ...(c.departureClass ? { departureClass: c.departureClass } : {}),
    stops: c.stops,
  };
  return {
    ...base,
    class: c.class,
    ...(c.possibleClasses ? { possibleClasses: c.possibleClasses } : {}),
    reason: `${c.reason}${swap}${competing}`,
    reasonVi: `${c.reasonVi}${m.vehicleSwap ? vehicleSwapVi(m.vehicleSwap) : ''}${m.competing.length > 0 ? competingVi(m.competing.length) : ''}`,
    amountVnd: lineAmountVnd(c.class, unitCostVnd, contract),
    penalties: linePenalties(c.class, c.stops.skipped, c.departureClass === 'late', contract),
    evidence: runEvidence,
    flagged: c.class === 'needs-review',
  };
}

/** The line of a performed trip that serves no planned trip: unscheduled, not paid, flagged. */
export function unscheduledLine(u: UnmatchedJourney, contract: RouteContract | undefined): StatementLine {
  const j = u.journey;
  const stops = stopEvidence(j, false);
  const claimed = u.claimedLineId ? `; it claimed planned trip ${u.claimedLineId}, served by a better-matching trip` : '';
  return {
    lineId: `unscheduled#${journeyKey(j)}`,
    kind: 'unscheduled',
    routeId: j.routeId,
    class: 'unscheduled',
    reason: `unscheduled: bus ${j.busId} ran trip ${j.tripId} with no trip order (${stops.visited}/${stops.total} stops visited); not paid${claimed}`,
    reasonVi: unscheduledVi(j.busId, j.tripId, stops, u.claimedLineId),
    unitCostVnd: 0,
    amountVnd: 0,
    penalties: noPenalties(),
    evidence: {
      performedTrip: performedTripRef(j),
      ...(j.plannedDepartureMs !== undefined ? { plannedDepartureMs: j.plannedDepartureMs } : {}),
      ...(j.performed.startMs !== undefined ? { actualDepartureMs: j.performed.startMs } : {}),
      stops,
      fareRevenueVnd: journeyRevenueVnd(j),
      ...(contract ? { contractVersion: { routeId: contract.routeId, effectiveFrom: contract.effectiveFrom } } : {}),
      confirmations: [],
      ...(u.claimedLineId ? { claimedLineId: u.claimedLineId } : {}),
    },
    flagged: true,
  };
}
