/**
 * Recomputes a bus's journeys for a service day from what is stored — its positions, duty events and taps, its
 * trip orders and the network — and replaces what was stored before. Deterministic and idempotent: a late batch
 * leads to the same recomputation, never to duplicated visits.
 */
import type { GpsRecord } from '../../catalogue/messages.js';
import { measurePolyline } from '../../kernel/geo/polyline.js';
import type { Network } from '../../gtfs/model.js';
import { serviceTimeToEpochMs } from '../../gtfs/time.js';
import type { TripOrder } from '../trip-orders/schemas.js';
import type { DutyEventLike } from './assign.js';
import { journeysOfBus, type PatternGeometry } from './bus-journeys.js';
import type { JourneyRecord } from './journey-record.js';
import { roundWhole } from '../../kernel/util/rounding.js';
import { attributeTaps, type StoredTap } from './tap-attribution.js';
import { tripCatalogue } from './trip-catalogue.js';

export type { StoredTap } from './tap-attribution.js';

/** A bus's stored telemetry between two instants (the service day's span in the network's time zone). */
export interface JourneyInputs {
  gps(busId: string, fromMs: number, toMs: number): Promise<GpsRecord[]>;
  duty(busId: string, fromMs: number, toMs: number): Promise<DutyEventLike[]>;
  taps(busId: string, fromMs: number, toMs: number): Promise<StoredTap[]>;
  wifi(busId: string, fromMs: number, toMs: number): Promise<{ ts: number; up: boolean; clients: number }[]>;
  orders(busId: string, serviceDay: string): Promise<TripOrder[]>;
  /** The bus's operator from the registry, for trips without an order. */
  operatorOf(busId: string): Promise<string | undefined>;
}

export interface JourneyStore {
  /** Replaces the bus's trips of the day with these. */
  replaceBusDay(busId: string, serviceDay: string, trips: readonly JourneyRecord[]): Promise<void>;
}

export interface RecomputeDeps {
  inputs: JourneyInputs;
  store: JourneyStore;
  network: Network;
  /** The stack's clock: planned trips not due by it are not judged yet (scheduled). */
  now: () => number;
  /** A departure later than this after the plan is late; a trip not run is missed once this passed. Default 5 min. */
  lateAfterMs?: number;
}

const DAY_START_S = 3 * 3600;

/** A departure later than this after the plan is late; a planned trip not started by then is missed. */
export const DEFAULT_LATE_AFTER_MS = 5 * 60_000;

/** Rebuilds and stores one bus's trips performed of a service day, judged against its plan as of `deps.now()`. */
export async function recomputeBusDay(busId: string, serviceDay: string, deps: RecomputeDeps): Promise<JourneyRecord[]> {
  const { network } = deps;
  const nowMs = deps.now();
  const fromMs = serviceTimeToEpochMs(serviceDay, DAY_START_S, network.timezone);
  const toMs = fromMs + 24 * 3_600_000;
  const [track, duty, taps, orders, registeredOperator, wifi] = await Promise.all([
    deps.inputs.gps(busId, fromMs, toMs),
    deps.inputs.duty(busId, fromMs, toMs),
    deps.inputs.taps(busId, fromMs, toMs),
    deps.inputs.orders(busId, serviceDay),
    deps.inputs.operatorOf(busId),
    deps.inputs.wifi(busId, fromMs, toMs),
  ]);
  const live = orders.filter((o) => o.status !== 'cancelled' && o.status !== 'draft');
  const planned = live.flatMap((o) =>
    o.trips.filter((t) => t.tripId).map((t) => ({ tripId: t.tripId!, plannedDepartureMs: Date.parse(t.plannedDeparture), order: o })),
  );
  const orderOfTrip = new Map(planned.map((p) => [p.tripId, p.order]));
  const routeIds = new Set([...live.map((o) => o.routeId)]);
  const geometry = new Map<string, PatternGeometry>();
  const geometryOf = (patternId: string): PatternGeometry | undefined => {
    const p = network.patterns.get(patternId);
    const shape = p && network.shapes.get(p.shapeId);
    if (!p || !shape) return undefined;
    let g = geometry.get(patternId);
    if (!g) {
      g = { patternId, pattern: p, line: measurePolyline(shape.points) };
      geometry.set(patternId, g);
    }
    return g;
  };
  const journeys = journeysOfBus({
    track,
    duty,
    planned,
    lateAfterMs: deps.lateAfterMs ?? DEFAULT_LATE_AFTER_MS,
    nowMs,
    patternOfTrip: (tripId) => {
      const trip = network.trips.get(tripId);
      return trip ? geometryOf(trip.patternId) : undefined;
    },
    candidatePatterns: [...network.patterns.values()].filter((p) => routeIds.has(p.routeId)).flatMap((p) => geometryOf(p.patternId) ?? []),
    allPatterns: () => [...network.patterns.keys()].flatMap((id) => geometryOf(id) ?? []),
    catalogue: tripCatalogue(network, serviceDay),
  });

  const computedAt = new Date(nowMs).toISOString();
  const fares = attributeTaps(journeys, taps);
  const trips: JourneyRecord[] = journeys.map((j, ji) => {
    const order = orderOfTrip.get(j.tripId);
    const gtfsTrip = network.trips.get(j.tripId);
    const pattern = j.patternId ? network.patterns.get(j.patternId) : undefined;
    const routeId = order?.routeId ?? gtfsTrip?.routeId ?? pattern?.routeId ?? 'unknown';
    const scheduled = gtfsTrip && gtfsTrip.patternId === j.patternId ? gtfsTrip.stopTimes : undefined;
    return {
      serviceDay,
      tripId: j.tripId,
      busId,
      operatorId: order?.operatorId ?? network.routes.get(routeId)?.agencyId ?? registeredOperator ?? 'unknown',
      routeId,
      ...(j.patternId ? { patternId: j.patternId } : {}),
      ...(gtfsTrip?.directionId === undefined ? {} : { directionId: gtfsTrip.directionId }),
      ...(order ? { tripOrderId: order.id, driverId: order.driver.driverId } : {}),
      classification: j.classification,
      source: j.source,
      ...(j.announcedTripId ? { announcedTripId: j.announcedTripId } : {}),
      ...(j.unscheduledReason ? { unscheduledReason: j.unscheduledReason } : {}),
      ...(j.plannedDepartureMs === undefined ? {} : { plannedDepartureMs: j.plannedDepartureMs }),
      ...(scheduled ? { plannedArrivalMs: serviceTimeToEpochMs(serviceDay, scheduled[scheduled.length - 1]!.arrivalS, network.timezone) } : {}),
      performed: j.performed,
      ...wifiDuring(wifi, j.performed.startMs, j.performed.endMs),
      visits: j.visits.map((v, i) => {
        const st = scheduled?.[i];
        return {
          ...v,
          distanceM: pattern?.stops[i]?.distanceM ?? 0,
          ...(st
            ? scheduleOf(
                serviceTimeToEpochMs(serviceDay, st.arrivalS, network.timezone),
                serviceTimeToEpochMs(serviceDay, st.departureS, network.timezone),
                v.arrivalMs,
              )
            : {}),
          ...fares[ji]![i]!,
        };
      }),
      computedAt,
    };
  });
  await deps.store.replaceBusDay(busId, serviceDay, trips);
  return trips;
}

/** Wifi availability between a trip's start and end, when both are known and samples fall in between. */
function wifiDuring(samples: readonly { ts: number; up: boolean; clients: number }[], startMs?: number, endMs?: number): { wifi?: JourneyRecord['wifi'] } {
  if (startMs === undefined || endMs === undefined) return {};
  const during = samples.filter((s) => s.ts >= startMs && s.ts <= endMs);
  if (!during.length) return {};
  const up = during.filter((s) => s.up).length;
  return { wifi: { samples: during.length, upShare: Math.round((up / during.length) * 1000) / 1000, clientsMax: Math.max(...during.map((s) => s.clients)) } };
}

/** An arrival's delay against the timetable in whole seconds, late positive; an arrival a split second early is 0, never -0. */
export function arrivalDelayS(actualArrivalMs: number, scheduledArrivalMs: number): number {
  return roundWhole((actualArrivalMs - scheduledArrivalMs) / 1000);
}

/** The stop's scheduled times and, when the bus arrived, its delay against them (seconds, late positive). */
function scheduleOf(
  arrivalMs: number,
  departureMs: number,
  actualArrivalMs?: number,
): { scheduledArrivalMs: number; scheduledDepartureMs: number; delayS?: number } {
  return {
    scheduledArrivalMs: arrivalMs,
    scheduledDepartureMs: departureMs,
    ...(actualArrivalMs === undefined ? {} : { delayS: arrivalDelayS(actualArrivalMs, arrivalMs) }),
  };
}
