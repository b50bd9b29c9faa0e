/** The public network for passengers: routes, stops near a point or by name, a stop's routes, the GTFS feed. */
import { apiRoutes } from '../../shared/api/index.js';
import type { CurrentNetwork } from '../../shared/adapters/network/current-network.js';
import { apiFunction, type ApiFunctionEnv } from '../../shared/adapters/http/api-function.js';
import { HttpResponse } from '../../shared/adapters/http/http-types.js';

export interface NetworkApiDeps {
  network: Pick<CurrentNetwork, 'get'>;
}

export function makeHandlers(env: ApiFunctionEnv<NetworkApiDeps>) {
  const r = apiRoutes;
  return {
    [r.listRoutes.id]: apiFunction(r.listRoutes, env, async (_, d) => ({ items: (await d.network.get()).passengers.routes() })),
    [r.getRoute.id]: apiFunction(r.getRoute, env, async ({ params }, d) => (await d.network.get()).passengers.route(params.routeId)),
    [r.listStops.id]: apiFunction(r.listStops, env, async ({ query }, d) => {
      const { passengers } = await d.network.get();
      const items = query.near ? passengers.nearbyStops(query.near, query.radius, query.limit) : passengers.searchStops(query.q ?? '', query.limit);
      return { items };
    }),
    [r.getStop.id]: apiFunction(r.getStop, env, async ({ params }, d) => (await d.network.get()).passengers.stop(params.stopId)),
    [r.gtfsStatic.id]: apiFunction(r.gtfsStatic, env, async (_, d) => {
      const loaded = await d.network.get();
      return new HttpResponse(200, loaded.gtfsZip(), {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="busflow-gtfs-${loaded.version ?? 'none'}.zip"`,
      });
    }),
  };
}
