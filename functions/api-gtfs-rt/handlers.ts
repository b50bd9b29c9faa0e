/** The public GTFS-Realtime feeds: vehicle positions and trip updates, protobuf or JSON. */
import { apiRoutes } from '../../shared/api/index.js';
import type { RealtimeFeedCache } from '../../shared/adapters/gtfs-rt/realtime-feeds.js';
import { apiFunction, type ApiFunctionEnv } from '../../shared/adapters/http/api-function.js';
import { HttpResponse } from '../../shared/adapters/http/http-types.js';

export interface GtfsRtApiDeps {
  realtimeFeeds: Pick<RealtimeFeedCache, 'get'>;
}

/** Consumers may keep an answer as long as the server does. */
const CACHE_CONTROL = 'public, max-age=5';

export function makeHandlers(env: ApiFunctionEnv<GtfsRtApiDeps>) {
  const r = apiRoutes;
  const serve =
    (feed: 'vehiclePositions' | 'tripUpdates') =>
    async ({ query }: { query: { format: 'protobuf' | 'json' } }, d: GtfsRtApiDeps) => {
      const feeds = await d.realtimeFeeds.get();
      if (query.format === 'json') return new HttpResponse(200, feeds[feed], { 'cache-control': CACHE_CONTROL });
      return new HttpResponse(200, feeds.encoded(feed), { 'content-type': 'application/x-protobuf', 'cache-control': CACHE_CONTROL });
    };
  return {
    [r.gtfsRtVehiclePositions.id]: apiFunction(r.gtfsRtVehiclePositions, env, serve('vehiclePositions')),
    [r.gtfsRtTripUpdates.id]: apiFunction(r.gtfsRtTripUpdates, env, serve('tripUpdates')),
  };
}
