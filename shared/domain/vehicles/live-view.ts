/**
 * A bus as passengers see it: where it is, on which route and trip, its next stop and delay, and how old its
 * last fix is. A bus without a fix for `staleAfterMs` is stale: shown, but never as live.
 */
import type { VehiclePosition } from './vehicle-state.js';

/** What the ingest path's predictions add to a bus's item: its trip, its next stop and its delay there. */
export interface VehicleTrip {
  routeId: string;
  tripId: string;
  nextStopId?: string;
  delayS?: number;
  /** The matched fix these were computed from (corrected time). */
  fixTsMs: number;
}

/**
 * A bus between trips, waiting at its terminal: kept on the route of its next trip (or, without one, of its last)
 * so the route's buses still list it, with no trip.
 */
export interface VehicleLayover {
  routeId: string;
  layover: true;
  /** The fix it was seen standing at (corrected time). */
  fixTsMs: number;
}

/**
 * Where a bus between trips waits to be shown: on its next trip's route (from its trip orders), else its last
 * trip's; nowhere without either (signed on with no trip ordered, or signed off).
 */
export function layoverOf(next: { routeId: string } | undefined, last: { routeId: string } | undefined, fixTsMs: number): VehicleLayover | undefined {
  const routeId = next?.routeId ?? last?.routeId;
  return routeId === undefined ? undefined : { routeId, layover: true, fixTsMs };
}

/** In service: on a trip, or waiting for its next one. */
type VehicleStatus = 'in-service' | 'layover';

export interface LiveVehicleRecord {
  busId: string;
  plate?: string;
  operatorId?: string;
  position?: VehiclePosition;
  /** Estimated device clock offset: the fix's true time is its `ts` minus this. */
  clockOffsetMs?: number;
  trip?: VehicleTrip | VehicleLayover;
}

export interface VehicleView {
  busId: string;
  plate?: string;
  position?: { lat: number; lon: number; bearingDeg?: number; speedKmh?: number };
  routeId?: string;
  tripId?: string;
  status?: VehicleStatus;
  nextStopId?: string;
  delayS?: number;
  lastFixAtMs?: number;
  ageS?: number;
  stale: boolean;
}

/** Default: no fix for 5 minutes, as the arrivals' fallback to the schedule. */
const VEHICLE_STALE_AFTER_MS = 5 * 60_000;

/**
 * The view of one bus at `nowMs`; its trip (or its layover) is shown only while it is live and was matched
 * recently.
 */
export function vehicleView(v: LiveVehicleRecord, nowMs: number, staleAfterMs = VEHICLE_STALE_AFTER_MS): VehicleView {
  const p = v.position;
  const lastFixAtMs = p ? p.ts - (v.clockOffsetMs ?? 0) : undefined;
  const stale = lastFixAtMs === undefined || nowMs - lastFixAtMs > staleAfterMs;
  const recent = v.trip && !stale && nowMs - v.trip.fixTsMs <= staleAfterMs ? v.trip : undefined;
  const trip = recent && !('layover' in recent) ? recent : undefined;
  const status: VehicleStatus | undefined = recent ? (trip ? 'in-service' : 'layover') : undefined;
  return {
    busId: v.busId,
    ...(v.plate === undefined ? {} : { plate: v.plate }),
    ...(p
      ? {
          position: {
            lat: p.lat,
            lon: p.lon,
            ...(p.heading === undefined ? {} : { bearingDeg: p.heading }),
            ...(p.speedKmh === undefined ? {} : { speedKmh: p.speedKmh }),
          },
        }
      : {}),
    ...(v.trip ? { routeId: v.trip.routeId } : {}),
    ...(trip ? { tripId: trip.tripId } : {}),
    ...(status ? { status } : {}),
    ...(trip?.nextStopId === undefined ? {} : { nextStopId: trip.nextStopId }),
    ...(trip?.delayS === undefined ? {} : { delayS: trip.delayS }),
    ...(lastFixAtMs === undefined ? {} : { lastFixAtMs, ageS: Math.max(0, Math.round((nowMs - lastFixAtMs) / 1000)) }),
    stale,
  };
}
