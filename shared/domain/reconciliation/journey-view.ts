/**
 * What reconciliation reads of a journey record: the fields of `ReconciliationJourney`, nothing else. The input
 * hash is taken over this view, so a run gives the same hash whether it read the full records or the compact
 * per-trip summaries stored next to them.
 */
import type { ReconciliationJourney, ReconciliationOrder, ReconciliationVisit } from './types.js';

/** The reconciliation view of a journey (a full record or a view already): the fields reconciliation reads. */
export function reconciliationJourneyOf(j: ReconciliationJourney): ReconciliationJourney {
  return {
    serviceDay: j.serviceDay,
    tripId: j.tripId,
    busId: j.busId,
    operatorId: j.operatorId,
    routeId: j.routeId,
    ...(j.directionId !== undefined ? { directionId: j.directionId } : {}),
    ...(j.tripOrderId !== undefined ? { tripOrderId: j.tripOrderId } : {}),
    classification: j.classification,
    ...(j.plannedDepartureMs !== undefined ? { plannedDepartureMs: j.plannedDepartureMs } : {}),
    performed: j.performed,
    visits: j.visits.map(reconciliationVisitOf),
  };
}

function reconciliationVisitOf(v: ReconciliationVisit): ReconciliationVisit {
  return {
    stopId: v.stopId,
    stopSequence: v.stopSequence,
    status: v.status,
    ...(v.arrivalMs !== undefined ? { arrivalMs: v.arrivalMs } : {}),
    ...(v.departureMs !== undefined ? { departureMs: v.departureMs } : {}),
    ...(v.scheduledArrivalMs !== undefined ? { scheduledArrivalMs: v.scheduledArrivalMs } : {}),
    ...(v.scheduledDepartureMs !== undefined ? { scheduledDepartureMs: v.scheduledDepartureMs } : {}),
    revenueVnd: v.revenueVnd,
  };
}

/** The reconciliation view of a trip order: the fields of `ReconciliationOrder`, nothing else. */
export function reconciliationOrderOf(o: ReconciliationOrder): ReconciliationOrder {
  return {
    id: o.id,
    orderNumber: o.orderNumber,
    serviceDay: o.serviceDay,
    operatorId: o.operatorId,
    routeId: o.routeId,
    vehicle: o.vehicle,
    driver: o.driver,
    trips: o.trips,
    status: o.status,
    revision: o.revision,
    confirmations: o.confirmations,
  };
}
