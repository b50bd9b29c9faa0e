/**
 * The public network routes for passengers (no token): routes, a route's patterns, shape and headways, stops
 * near a point or by name, a stop's routes, and the network as a GTFS feed. Response schemas are typed against
 * the domain's passenger view, so a field it drops or retypes fails to compile here.
 */
import { z } from 'zod';
import { routeIdSchema, stopIdSchema } from '../catalogue/ids.js';
import { TIME_BANDS } from '../domain/network/headways.js';
import type { RouteDetail, RouteSummary, StopDetail } from '../domain/network/passenger-network.js';
import { route } from './route.js';

/** Largest search circle, metres: a few kilometres is already more than a passenger walks. */
const MAX_RADIUS_M = 5000;

const NEAR = /^-?\d{1,3}(\.\d{1,12})?,-?\d{1,3}(\.\d{1,12})?$/;
const gtfsTime = z
  .string()
  .regex(/^\d{2,3}:\d{2}:\d{2}$/)
  .describe('GTFS time HH:MM:SS of the service day (past 24:00 after midnight)');
const direction = z.object({ directionId: z.union([z.literal(0), z.literal(1)]), headsign: z.string().optional() });
const colour = z.string().regex(/^#[0-9A-Fa-f]{6}$/);

const routeSummarySchema = z.object({
  routeId: z.string(),
  shortName: z.string(),
  longName: z.string(),
  operator: z.object({ operatorId: z.string(), name: z.string() }),
  colour: colour.optional(),
  textColour: colour.optional(),
  subsidised: z.boolean().optional(),
  directions: z.array(direction),
  firstDeparture: gtfsTime.optional(),
  lastDeparture: gtfsTime.optional(),
}) satisfies z.ZodType<RouteSummary>;

const routeDetailSchema = routeSummarySchema.extend({
  patterns: z.array(
    z.object({
      patternId: z.string(),
      directionId: z.union([z.literal(0), z.literal(1)]).optional(),
      headsign: z.string().optional(),
      lengthM: z.number(),
      trips: z.number().int(),
      stops: z.array(
        z.object({ stopSequence: z.number().int(), stopId: z.string(), name: z.string(), lat: z.number(), lon: z.number(), distanceM: z.number() }),
      ),
      shape: z
        .object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()])).min(2) })
        .describe('GeoJSON LineString, [lon, lat]'),
    }),
  ),
  headways: z.array(
    z.object({
      directionId: z.union([z.literal(0), z.literal(1)]),
      serviceId: z.string(),
      bands: z.array(
        z.object({
          band: z.enum(TIME_BANDS.map((b) => b.band)),
          fromS: z.number(),
          toS: z.number(),
          departures: z.number().int(),
          headwayMin: z.object({ min: z.number(), max: z.number(), mean: z.number() }).optional(),
        }),
      ),
    }),
  ),
}) satisfies z.ZodType<RouteDetail>;

const stopFields = { stopId: z.string(), name: z.string(), code: z.string().optional(), lat: z.number(), lon: z.number() };
const stopDetailSchema = z.object({
  ...stopFields,
  routes: z.array(z.object({ routeId: z.string(), shortName: z.string(), longName: z.string(), colour: colour.optional(), directions: z.array(direction) })),
}) satisfies z.ZodType<StopDetail>;
const stopListItemSchema = z.object({ ...stopFields, distanceM: z.number().optional().describe('From `near`, metres'), routeIds: z.array(z.string()) });

const stopListQuerySchema = z
  .object({
    near: z
      .string()
      .max(40)
      .regex(NEAR, 'must be lat,lon in decimal degrees')
      .refine((s) => validPoint(s.split(',').map(Number)), 'lat must lie within -90..90 and lon within -180..180')
      .transform((s) => {
        const [lat, lon] = s.split(',').map(Number);
        return { lat: lat!, lon: lon! };
      })
      .optional()
      .describe('lat,lon (WGS84): the stops around this point, nearest first'),
    radius: z.coerce.number().int().min(1).max(MAX_RADIUS_M).default(500).describe('Metres around `near`'),
    q: z
      .string()
      .regex(/^\P{Cc}{1,64}$/u, 'must be 1–64 characters without control characters')
      .optional()
      .describe('Part of a stop name or code, with or without Vietnamese diacritics'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .superRefine((query, ctx) => {
    if (!query.near === !query.q) ctx.addIssue({ code: 'custom', path: ['near'], message: 'give either near (with radius) or q' });
  });

function validPoint([lat, lon]: number[]): boolean {
  return lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

/** A zip archive (local file header `PK\x03\x04` first). */
const zipSchema = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array && v[0] === 0x50 && v[1] === 0x4b && v[2] === 0x03 && v[3] === 0x04, 'is not a zip archive')
  .describe('GTFS feed (application/zip)');

export const networkApiRoutes = {
  listRoutes: route({
    id: 'listRoutes',
    method: 'GET',
    path: '/v1/routes',
    summary: 'Every route: names, operator, colour, subsidised, directions, first and last departure',
    tags: ['network'],
    auth: 'public',
    function: 'api-network',
    response: z.object({ items: z.array(routeSummarySchema) }),
  }),
  getRoute: route({
    id: 'getRoute',
    method: 'GET',
    path: '/v1/routes/{routeId}',
    summary: 'One route: its patterns with ordered stops, shapes as GeoJSON, headways by time band',
    tags: ['network'],
    auth: 'public',
    function: 'api-network',
    params: z.object({ routeId: routeIdSchema }),
    response: routeDetailSchema,
  }),
  listStops: route({
    id: 'listStops',
    method: 'GET',
    path: '/v1/stops',
    summary: 'Stops near a point (near=lat,lon&radius=m, nearest first) or by name (q=, accents optional)',
    tags: ['network'],
    auth: 'public',
    function: 'api-network',
    query: stopListQuerySchema,
    response: z.object({ items: z.array(stopListItemSchema) }),
  }),
  getStop: route({
    id: 'getStop',
    method: 'GET',
    path: '/v1/stops/{stopId}',
    summary: 'One stop with the routes serving it',
    tags: ['network'],
    auth: 'public',
    function: 'api-network',
    params: z.object({ stopId: stopIdSchema }),
    response: stopDetailSchema,
  }),
  gtfsStatic: route({
    id: 'gtfsStatic',
    method: 'GET',
    path: '/v1/gtfs/static.zip',
    summary: 'The current network as a GTFS feed, with the ids the API and realtime feeds use',
    tags: ['network'],
    auth: 'public',
    function: 'api-network',
    response: zipSchema,
    responseContentType: 'application/zip',
  }),
} as const;
