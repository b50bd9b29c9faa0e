/**
 * The public live routes for passengers (no token): a stop's next arrivals, read from the cache the ingest
 * path keeps per stop and merged with the schedule by the stack's clock.
 */
import { z } from 'zod';
import { busIdSchema, routeIdSchema, stopIdSchema } from '../catalogue/ids.js';
import { route } from './route.js';

const instant = z.string().describe('ISO 8601 instant (UTC)');

const arrivalSchema = z.object({
  stopId: z.string(),
  stopSequence: z.number().int(),
  routeId: z.string(),
  headsign: z.string().optional(),
  tripId: z.string(),
  vehicle: z.object({ busId: z.string(), plate: z.string().optional() }).optional().describe('The bus running the trip, when known'),
  scheduledAt: instant,
  predictedAt: instant,
  predicted: z.boolean().describe('True when computed from the bus; false for the schedule'),
  source: z.enum(['realtime', 'scheduled']),
  stale: z.boolean().optional().describe('The trip has a bus, but it has sent nothing for minutes: the schedule is shown'),
  delayS: z.number().int().optional().describe('Predicted minus scheduled, seconds; absent for a frequency-based trip'),
  distanceM: z.number().optional().describe('Along the route, from the bus to the stop'),
  stopsAway: z.number().int().optional().describe('Stops between the bus and this stop, this one included'),
  occupancy: z
    .object({ tapsThisTrip: z.number().int(), wifiClients: z.number().int().optional() })
    .optional()
    .describe('How full the bus may be: fare taps since its trip started, clients on its wifi (when it reports them)'),
});
export type ArrivalView = z.infer<typeof arrivalSchema>;

const arrivalsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10),
  routeId: routeIdSchema.optional(),
  minutesAfter: z.coerce.number().int().min(0).max(120).default(0).describe('Only arrivals at least this many minutes from now'),
});

const vehicleSchema = z.object({
  busId: z.string(),
  plate: z.string().optional(),
  position: z.object({ lat: z.number(), lon: z.number(), bearingDeg: z.number().optional(), speedKmh: z.number().optional() }).optional(),
  routeId: z.string().optional().describe('The route the bus was last seen on'),
  tripId: z.string().optional().describe('Its current trip, while it is live'),
  status: z
    .enum(['in-service', 'layover'])
    .optional()
    .describe("While it is live: on a trip (`in-service`), or waiting at its terminal between trips (`layover`, no `tripId`; `routeId` is its next trip's)"),
  nextStopId: z.string().optional(),
  delayS: z.number().int().optional().describe('Seconds behind the schedule (negative: early)'),
  lastFixAt: instant.optional(),
  ageS: z.number().int().optional().describe('Age of the last fix, seconds'),
  stale: z.boolean().describe('No fix for minutes: the position is not live'),
});
export type VehicleBody = z.infer<typeof vehicleSchema>;

export const passengerApiRoutes = {
  getStopArrivals: route({
    id: 'getStopArrivals',
    method: 'GET',
    path: '/v1/stops/{stopId}/arrivals',
    summary: "A stop's next arrivals: predicted from the live bus, or scheduled when there is none or it is stale",
    tags: ['passengers'],
    auth: 'public',
    function: 'api-passenger',
    params: z.object({ stopId: stopIdSchema }),
    query: arrivalsQuerySchema,
    response: z.object({ stopId: z.string(), at: instant, items: z.array(arrivalSchema) }),
  }),
  listVehicles: route({
    id: 'listVehicles',
    method: 'GET',
    path: '/v1/vehicles',
    summary: 'The buses of a route: position, trip, next stop, delay, age of the last fix; stale ones marked',
    tags: ['passengers'],
    auth: 'public',
    function: 'api-passenger',
    query: z.object({ routeId: routeIdSchema }),
    response: z.object({ at: instant, items: z.array(vehicleSchema) }),
  }),
  getVehicle: route({
    id: 'getVehicle',
    method: 'GET',
    path: '/v1/vehicles/{busId}',
    summary: 'One bus: position, trip, next stop, delay, age of the last fix',
    tags: ['passengers'],
    auth: 'public',
    function: 'api-passenger',
    params: z.object({ busId: busIdSchema }),
    response: vehicleSchema,
  }),
} as const;
