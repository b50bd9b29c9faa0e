/** Live data for passengers: a stop's next arrivals (the per-stop cache and the schedule), the live buses. */
import { apiRoutes } from '../../shared/api/index.js';
import type { ArrivalView, VehicleBody } from '../../shared/api/passenger-routes.js';
import { NotFound } from '../../shared/domain/errors.js';
import { vehicleView, type VehicleView } from '../../shared/domain/vehicles/live-view.js';
import type { CurrentNetwork } from '../../shared/adapters/network/current-network.js';
import type { DayTripOrders } from '../../shared/adapters/day-trip-orders.js';
import type { RecentLiveReads } from '../../shared/adapters/recent-live-reads.js';
import type { VehiclePlates } from '../../shared/adapters/vehicle-plates.js';
import { apiFunction, type ApiFunctionEnv } from '../../shared/adapters/http/api-function.js';
import { arrivalsFromCache, type ServedArrival } from '../../shared/domain/predictions/serving.js';
import { serviceDayOf } from '../../shared/kernel/time/service-day.js';

export interface PassengerApiDeps {
  network: Pick<CurrentNetwork, 'get'>;
  /** A stop's cached arrivals, each read kept a second or two. */
  arrivals: Pick<RecentLiveReads, 'ofStop'>;
  /** The buses' plates, kept a few minutes. */
  plates: Pick<VehiclePlates, 'of'>;
  /** The live buses, each read kept a second or two. */
  liveVehicles: Pick<RecentLiveReads, 'get' | 'onRoute'>;
  /** The day's trip orders: trips called off, planned departures (a trip not started in time is missed). */
  dayTripOrders: Pick<DayTripOrders, 'of'>;
  /** The stack's clock. */
  now: () => number;
}

export function makeHandlers(env: ApiFunctionEnv<PassengerApiDeps>) {
  const r = apiRoutes;
  return {
    [r.getStopArrivals.id]: apiFunction(r.getStopArrivals, env, async ({ params, query }, d) => {
      const loaded = await d.network.get();
      // NotFound (404) for a stop the network does not have.
      loaded.passengers.stop(params.stopId);
      const nowMs = d.now();
      const network = loaded.network;
      const day = network ? serviceDayOf(nowMs, network.timezone) : undefined;
      const [orders, cached] = await Promise.all([day ? d.dayTripOrders.of(day) : undefined, d.arrivals.ofStop(params.stopId, nowMs)]);
      const trips = day ? loaded.scheduledTripsAtStop(params.stopId, day) : [];
      const served = arrivalsFromCache(params.stopId, trips, cached, nowMs, query, orders);
      const busIds = [...new Set(served.flatMap((a) => (a.busId ? [a.busId] : [])))];
      const plates = busIds.length ? await d.plates.of(busIds) : new Map<string, string>();
      const items = served.map((a) => arrivalView(a, plates.get(a.busId ?? '')));
      return { stopId: params.stopId, at: new Date(nowMs).toISOString(), items };
    }),
    [r.listVehicles.id]: apiFunction(r.listVehicles, env, async ({ query }, d) => {
      // NotFound (404) for a route the network does not have.
      (await d.network.get()).passengers.route(query.routeId);
      const nowMs = d.now();
      const items = (await d.liveVehicles.onRoute(query.routeId)).map((v) => vehicleBody(vehicleView(v, nowMs)));
      return { at: new Date(nowMs).toISOString(), items: items.sort((a, b) => Number(a.stale) - Number(b.stale) || a.busId.localeCompare(b.busId)) };
    }),
    [r.getVehicle.id]: apiFunction(r.getVehicle, env, async ({ params }, d) => {
      const v = await d.liveVehicles.get(params.busId);
      if (!v) throw new NotFound('vehicle', params.busId);
      return vehicleBody(vehicleView(v, d.now()));
    }),
  };
}

function arrivalView(a: ServedArrival, plate: string | undefined): ArrivalView {
  return {
    stopId: a.stopId,
    stopSequence: a.stopSequence,
    routeId: a.routeId,
    tripId: a.tripId,
    ...(a.headsign === undefined ? {} : { headsign: a.headsign }),
    ...(a.busId === undefined ? {} : { vehicle: { busId: a.busId, ...(plate === undefined ? {} : { plate }) } }),
    scheduledAt: new Date(a.scheduledMs).toISOString(),
    predictedAt: new Date(a.predictedMs).toISOString(),
    predicted: a.predicted,
    source: a.source,
    ...(a.stale ? { stale: true } : {}),
    ...(a.delayS === undefined ? {} : { delayS: a.delayS }),
    ...(a.distanceM === undefined ? {} : { distanceM: a.distanceM }),
    ...(a.stopsAway === undefined ? {} : { stopsAway: a.stopsAway }),
    ...(a.occupancy ? { occupancy: a.occupancy } : {}),
  };
}

function vehicleBody(v: VehicleView): VehicleBody {
  const { lastFixAtMs, ...rest } = v;
  return { ...rest, ...(lastFixAtMs === undefined ? {} : { lastFixAt: new Date(lastFixAtMs).toISOString() }) };
}
