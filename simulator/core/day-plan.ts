/**
 * The day's plan: which vehicle runs which trips (blocks chained at terminals with a layover), and the
 * electronic trip order (lệnh vận chuyển) each vehicle carries, in the shape the trip-order API accepts.
 */
import type { Network, Trip } from '../../shared/gtfs/model.js';
import { tripsOn } from '../../shared/gtfs/calendar.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { haversineM } from '../../shared/kernel/geo/polyline.js';
import { Rng } from './rng.js';

export const MIN_LAYOVER_S = 5 * 60;
/** Terminals closer than this count as the same place for chaining trips. */
const SAME_TERMINAL_M = 300;

export interface PlannedTrip {
  sequence: number;
  tripId: string;
  routeId: string;
  patternId: string;
  directionId?: 0 | 1;
  plannedDepartureS: number;
  plannedArrivalS: number;
  plannedDepartureAt: string;
}

export interface VehicleDuty {
  busId: string;
  plate: string;
  operatorId: string;
  routeId: string;
  driverId: string;
  conductorId: string;
  tripOrderId: string;
  trips: PlannedTrip[];
}

/** A trip order as an operator submits it (ARCHITECTURE §9). */
export interface TripOrderDraft {
  orderNumber: string;
  serviceDay: string;
  operatorId: string;
  routeId: string;
  vehicle: { busId: string; plate: string };
  driver: { driverId: string };
  staff: { role: 'conductor'; staffId: string }[];
  trips: { sequence: number; tripId: string; directionId?: 0 | 1; plannedDeparture: string }[];
}

export interface DayPlan {
  serviceDay: string;
  timezone: string;
  duties: VehicleDuty[];
}

interface Block {
  trips: Trip[];
  freeAtS: number;
  atStopId: string;
}

/** Chains the day's trips of every route into vehicle blocks, then keeps at most `maxBuses` (spread over routes). */
export function planDay(network: Network, serviceDay: string, opts: { maxBuses?: number; routes?: readonly string[]; seed: number }): DayPlan {
  const rng = new Rng(opts.seed, `plan/${serviceDay}`);
  const byRoute = new Map<string, Trip[]>();
  for (const trip of tripsOn(network, serviceDay)) {
    if (opts.routes && !opts.routes.includes(trip.routeId) && !opts.routes.includes(network.routes.get(trip.routeId)?.shortName ?? '')) continue;
    (byRoute.get(trip.routeId) ?? byRoute.set(trip.routeId, []).get(trip.routeId)!).push(trip);
  }
  const blocksByRoute = [...byRoute.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([routeId, trips]) => [routeId, chainBlocks(network, trips)] as const);

  // Take vehicles round-robin over routes so that a small fleet still covers every route.
  const chosen: { routeId: string; block: Block; n: number }[] = [];
  const limit = opts.maxBuses ?? Number.POSITIVE_INFINITY;
  for (let n = 0; chosen.length < limit; n++) {
    let added = false;
    for (const [routeId, blocks] of blocksByRoute) {
      const block = blocks[n];
      if (block && chosen.length < limit) {
        chosen.push({ routeId, block, n });
        added = true;
      }
    }
    if (!added) break;
  }

  const duties = chosen.map(({ routeId, block, n }) => {
    const route = network.routes.get(routeId)!;
    const operatorId = route.agencyId;
    const busId = `${operatorId}-${route.shortName}-${String(n + 1).padStart(2, '0')}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const plateRng = rng.child(busId);
    const plate = `51B-${String(plateRng.int(100, 999))}.${String(plateRng.int(10, 99))}`;
    const tripOrderId = `LVC-${serviceDay.replaceAll('-', '')}-${busId}`;
    return {
      busId,
      plate,
      operatorId,
      routeId,
      driverId: `DRV-${busId}`,
      conductorId: `CDT-${busId}`,
      tripOrderId,
      trips: block.trips.map((t, i) => ({
        sequence: i + 1,
        tripId: t.tripId,
        routeId: t.routeId,
        patternId: t.patternId,
        ...(t.directionId === undefined ? {} : { directionId: t.directionId }),
        plannedDepartureS: t.stopTimes[0]!.departureS,
        plannedArrivalS: t.stopTimes[t.stopTimes.length - 1]!.arrivalS,
        plannedDepartureAt: new Date(serviceTimeToEpochMs(serviceDay, t.stopTimes[0]!.departureS, network.timezone)).toISOString(),
      })),
    };
  });
  return { serviceDay, timezone: network.timezone, duties };
}

/** Greedy chaining: each trip goes to the vehicle that has waited longest at its first terminal. */
function chainBlocks(network: Network, trips: Trip[]): Block[] {
  const sorted = [...trips].sort((a, b) => a.stopTimes[0]!.departureS - b.stopTimes[0]!.departureS || a.tripId.localeCompare(b.tripId));
  const blocks: Block[] = [];
  for (const trip of sorted) {
    const first = trip.stopTimes[0]!;
    let best: Block | undefined;
    for (const b of blocks) {
      if (b.freeAtS + MIN_LAYOVER_S > first.departureS) continue;
      if (!sameTerminal(network, b.atStopId, first.stopId)) continue;
      if (!best || b.freeAtS < best.freeAtS) best = b;
    }
    const last = trip.stopTimes[trip.stopTimes.length - 1]!;
    if (best) {
      best.trips.push(trip);
      best.freeAtS = last.arrivalS;
      best.atStopId = last.stopId;
    } else blocks.push({ trips: [trip], freeAtS: last.arrivalS, atStopId: last.stopId });
  }
  return blocks;
}

function sameTerminal(network: Network, a: string, b: string): boolean {
  if (a === b) return true;
  const sa = network.stops.get(a);
  const sb = network.stops.get(b);
  return !!sa && !!sb && haversineM(sa, sb) < SAME_TERMINAL_M;
}

/** The trip order of a vehicle's duty, as the operator would submit it. */
export function tripOrderOf(duty: VehicleDuty, serviceDay: string): TripOrderDraft {
  return {
    orderNumber: duty.tripOrderId,
    serviceDay,
    operatorId: duty.operatorId,
    routeId: duty.routeId,
    vehicle: { busId: duty.busId, plate: duty.plate },
    driver: { driverId: duty.driverId },
    staff: [{ role: 'conductor', staffId: duty.conductorId }],
    trips: duty.trips.map((t) => ({
      sequence: t.sequence,
      tripId: t.tripId,
      ...(t.directionId === undefined ? {} : { directionId: t.directionId }),
      plannedDeparture: t.plannedDepartureAt,
    })),
  };
}
