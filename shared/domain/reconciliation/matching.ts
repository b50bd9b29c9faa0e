/**
 * Matching planned trips (from trip orders) to trips performed (journey records) for one operator-day.
 *
 * One performed trip serves at most one planned trip and a planned trip takes at most one. Candidates are
 * ranked, best first: a journey linked to the order's trip (its tripOrderId and trip id or planned departure);
 * then the order's own bus on the route and direction, closest departure; then another bus on the route and
 * direction (a bus swapped mid-day), closest departure, the swap noted. Ties break on ids, so the result is the
 * same whatever order the inputs come in. A performed trip left over is unscheduled; when it lost a planned trip
 * to a better candidate, the planned trip it claimed is named.
 */
import type { PerformedTripRef, PlannedTripRef, ReconciliationJourney, ReconciliationOrder } from './types.js';

/** A planned trip and what it was matched to. */
export interface TripMatch {
  planned: PlannedTripRef;
  journey?: ReconciliationJourney;
  /** Set when the journey was run by another bus than the order's. */
  vehicleSwap?: { plannedBusId: string; performedBusId: string };
  /** Journeys that also claimed this planned trip and were left unscheduled. */
  competing: ReconciliationJourney[];
}

/** A performed trip that serves no planned trip. */
export interface UnmatchedJourney {
  journey: ReconciliationJourney;
  /** The line of the planned trip it claimed, served by a better candidate. */
  claimedLineId?: string;
}

export interface MatchResult {
  matches: TripMatch[];
  unscheduled: UnmatchedJourney[];
}

/** Orders in these states plan no trip. */
const NOT_PLANNING = new Set(['draft', 'cancelled']);

/** The key of a planned trip's line. */
export function plannedLineId(tripOrderId: string, sequence: number): string {
  return `${tripOrderId}#${sequence}`;
}

/** The key of a performed trip: bus, trip and start. */
export function journeyKey(j: Pick<ReconciliationJourney, 'busId' | 'tripId' | 'performed'>): string {
  return `${j.busId}#${j.tripId}#${j.performed.startMs ?? ''}`;
}

/** The planned trips of the orders that plan service (not drafts, not cancelled), in order of departure. */
export function plannedTripsOf(orders: readonly ReconciliationOrder[]): PlannedTripRef[] {
  const trips = orders
    .filter((o) => !NOT_PLANNING.has(o.status))
    .flatMap((o) =>
      o.trips.map(
        (t): PlannedTripRef => ({
          tripOrderId: o.id,
          orderNumber: o.orderNumber,
          sequence: t.sequence,
          routeId: o.routeId,
          ...(t.directionId !== undefined ? { directionId: t.directionId } : {}),
          ...(t.tripId !== undefined ? { tripId: t.tripId } : {}),
          busId: o.vehicle.busId,
          plate: o.vehicle.plate,
          driverId: o.driver.driverId,
          plannedDepartureMs: Date.parse(t.plannedDeparture),
        }),
      ),
    );
  return trips.sort(
    (a, b) => a.plannedDepartureMs - b.plannedDepartureMs || compare(plannedLineId(a.tripOrderId, a.sequence), plannedLineId(b.tripOrderId, b.sequence)),
  );
}

/**
 * A journey has run when at least one stop of it was visited and the journeys stage did not judge it missed: a bus
 * standing at a trip's last terminal (its one "visit") with every other stop unobserved is a trip nobody ran.
 */
function hasRun(j: ReconciliationJourney): boolean {
  if (j.classification === 'missed') return false;
  return j.performed.stopsVisited > 0 || j.visits.some((v) => v.status === 'visited');
}

/** When the performed trip left: its first stop's departure when visited, else the trip's start, else its plan. */
function journeyDepartureMs(j: ReconciliationJourney): number | undefined {
  const first = firstVisit(j);
  if (first?.status === 'visited') return first.departureMs ?? first.arrivalMs ?? j.performed.startMs;
  return j.performed.startMs ?? j.plannedDepartureMs;
}

/** The journey's reference as a line's evidence shows it. */
export function performedTripRef(j: ReconciliationJourney): PerformedTripRef {
  return {
    serviceDay: j.serviceDay,
    tripId: j.tripId,
    busId: j.busId,
    routeId: j.routeId,
    ...(j.directionId !== undefined ? { directionId: j.directionId } : {}),
    ...(j.tripOrderId !== undefined ? { tripOrderId: j.tripOrderId } : {}),
    ...(j.performed.startMs !== undefined ? { startMs: j.performed.startMs } : {}),
    ...(j.performed.endMs !== undefined ? { endMs: j.performed.endMs } : {}),
  };
}

/**
 * Matches planned trips to the journeys that ran. `windowMs(routeId)` bounds how far a departure may be from the
 * plan for a match by time (a link to the order's trip needs no window).
 */
export function matchTrips(planned: readonly PlannedTripRef[], journeys: readonly ReconciliationJourney[], windowMs: (routeId: string) => number): MatchResult {
  const ran = journeys.filter(hasRun).sort((a, b) => compare(journeyKey(a), journeyKey(b)));
  const departures = ran.map(journeyDepartureMs);
  // Only journeys of the same route can match: pair within routes, not across the whole day.
  const byRoute = new Map<string, number[]>();
  ran.forEach((j, ji) => {
    const list = byRoute.get(j.routeId);
    if (list) list.push(ji);
    else byRoute.set(j.routeId, [ji]);
  });
  const candidates: { p: number; j: number; tier: number; deltaMs: number }[] = [];
  planned.forEach((p, pi) => {
    const window = windowMs(p.routeId);
    for (const ji of byRoute.get(p.routeId) ?? []) {
      const dep = departures[ji];
      const tier = tierOf(p, ran[ji]!, dep, window);
      if (tier === undefined) continue;
      candidates.push({ p: pi, j: ji, tier, deltaMs: dep === undefined ? Number.MAX_SAFE_INTEGER : Math.abs(dep - p.plannedDepartureMs) });
    }
  });
  candidates.sort((a, b) => a.tier - b.tier || a.deltaMs - b.deltaMs || a.p - b.p || a.j - b.j);

  const journeyOf = new Map<number, number>();
  const plannedOf = new Map<number, number>();
  for (const c of candidates) {
    if (journeyOf.has(c.p) || plannedOf.has(c.j)) continue;
    journeyOf.set(c.p, c.j);
    plannedOf.set(c.j, c.p);
  }

  // A journey left over that had a candidate: it claimed a planned trip that a better one took.
  const claimed = new Map<number, number>();
  for (const c of candidates) if (!plannedOf.has(c.j) && !claimed.has(c.j)) claimed.set(c.j, c.p);

  const claimedBy = new Map<number, ReconciliationJourney[]>();
  for (const [cj, cp] of claimed) claimedBy.set(cp, [...(claimedBy.get(cp) ?? []), ran[cj]!]);
  const matches = planned.map((p, pi): TripMatch => {
    const ji = journeyOf.get(pi);
    const journey = ji === undefined ? undefined : ran[ji];
    const competing = claimedBy.get(pi) ?? [];
    return {
      planned: p,
      ...(journey ? { journey } : {}),
      ...(journey && journey.busId !== p.busId ? { vehicleSwap: { plannedBusId: p.busId, performedBusId: journey.busId } } : {}),
      competing,
    };
  });
  const unscheduled = ran.flatMap((journey, ji): UnmatchedJourney[] => {
    if (plannedOf.has(ji)) return [];
    const cp = claimed.get(ji);
    const p = cp === undefined ? undefined : planned[cp];
    return [{ journey, ...(p ? { claimedLineId: plannedLineId(p.tripOrderId, p.sequence) } : {}) }];
  });
  return { matches, unscheduled };
}

/** 0: linked to the order's trip; 1: the order's bus by route, direction and time; 2: another bus (a swap). */
function tierOf(p: PlannedTripRef, j: ReconciliationJourney, dep: number | undefined, windowMs: number): number | undefined {
  if (j.routeId !== p.routeId) return undefined;
  if (p.directionId !== undefined && j.directionId !== undefined && p.directionId !== j.directionId) return undefined;
  const linked = j.tripOrderId === p.tripOrderId && ((p.tripId !== undefined && j.tripId === p.tripId) || j.plannedDepartureMs === p.plannedDepartureMs);
  if (linked) return 0;
  if (dep === undefined || Math.abs(dep - p.plannedDepartureMs) > windowMs) return undefined;
  return j.busId === p.busId ? 1 : 2;
}

function firstVisit(j: ReconciliationJourney): ReconciliationJourney['visits'][number] | undefined {
  let first: ReconciliationJourney['visits'][number] | undefined;
  for (const v of j.visits) if (!first || v.stopSequence < first.stopSequence) first = v;
  return first;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
