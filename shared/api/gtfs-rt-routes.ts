/**
 * The public GTFS-Realtime feeds (no token): vehicle positions and trip updates as GTFS-Realtime 2.0
 * FeedMessage protobuf, or the same message as JSON with `?format=json`. Their ids are those of
 * /v1/gtfs/static.zip.
 */
import { z } from 'zod';
import { route } from './route.js';

const formatQuerySchema = z.object({
  format: z.enum(['protobuf', 'json']).default('protobuf').describe('`json`: the same FeedMessage as JSON (field names of gtfs-realtime-bindings), for humans'),
});

/** A FeedMessage: protobuf bytes, or its JSON form. */
const feedSchema = z
  .union([
    z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'is not protobuf bytes'),
    z.object({
      header: z.object({ gtfsRealtimeVersion: z.literal('2.0'), incrementality: z.literal('FULL_DATASET'), timestamp: z.number().int() }),
      entity: z.array(z.looseObject({ id: z.string() })),
    }),
  ])
  .describe('GTFS-Realtime 2.0 FeedMessage (application/x-protobuf; application/json with format=json)');

export const gtfsRtApiRoutes = {
  gtfsRtVehiclePositions: route({
    id: 'gtfsRtVehiclePositions',
    method: 'GET',
    path: '/v1/gtfs-rt/vehicle-positions',
    summary: 'GTFS-Realtime vehicle positions of the buses on trips now',
    tags: ['gtfs-rt'],
    auth: 'public',
    function: 'api-gtfs-rt',
    query: formatQuerySchema,
    response: feedSchema,
    responseContentType: 'application/x-protobuf',
  }),
  gtfsRtTripUpdates: route({
    id: 'gtfsRtTripUpdates',
    method: 'GET',
    path: '/v1/gtfs-rt/trip-updates',
    summary: 'GTFS-Realtime trip updates: predicted arrivals at the stops ahead of each bus',
    tags: ['gtfs-rt'],
    auth: 'public',
    function: 'api-gtfs-rt',
    query: formatQuerySchema,
    response: feedSchema,
    responseContentType: 'application/x-protobuf',
  }),
} as const;
