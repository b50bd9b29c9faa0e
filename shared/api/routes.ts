/** The routes of the API, each with its schemas (ARCHITECTURE §10). */
import { z } from 'zod';
import { routeContractSchema } from '../domain/contracts/schemas.js';
import {
  cancelSchema,
  confirmationSchema,
  TRIP_ORDER_STATUSES,
  tripOrderAmendSchema,
  tripOrderCreateSchema,
  tripOrderSchema,
} from '../domain/trip-orders/schemas.js';
import { busIdSchema, cursorSchema, operatorIdSchema, routeIdSchema, serviceDaySchema, tripOrderIdSchema } from '../catalogue/ids.js';
import { gtfsRtApiRoutes } from './gtfs-rt-routes.js';
import { networkApiRoutes } from './network-routes.js';
import { passengerApiRoutes } from './passenger-routes.js';
import { performedTripSchema, qualitySummarySchema, tidesCsvSchema, watchListSchema } from './journey-schemas.js';
import {
  acceptanceRecordSchema,
  advanceQuerySchema,
  advanceRequestSchema,
  approveRequestSchema,
  diffQuerySchema,
  diffSchema,
  exportLangQuery,
  headSchema,
  listQuerySchema as reconciliationListQuerySchema,
  paymentRecordSchema,
  reconciliationCsvSchema,
  reconciliationParams,
  reopenRequestSchema,
  resolveRequestSchema,
  runRequestSchema,
  runResultSchema,
  settlementParams,
  settlementSchema,
  storedAdvanceSchema,
  versionQuerySchema,
  versionViewSchema,
} from './reconciliation-schemas.js';
import { route, type RouteDef } from './route.js';

const idParams = z.object({ id: tripOrderIdSchema });
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().optional() });

const tripOrderListQuerySchema = z.object({
  serviceDay: serviceDaySchema,
  operatorId: operatorIdSchema.optional(),
  routeId: routeIdSchema.optional(),
  busId: busIdSchema.optional(),
  status: z.enum(TRIP_ORDER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorSchema.optional(),
});
/** The OpenAPI document, as far as its readers rely on it. */
const openApiDocumentSchema = z.object({
  openapi: z.literal('3.1.0'),
  info: z.object({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.object({ operationId: z.string() }))),
  components: z.object({ schemas: z.record(z.string(), z.unknown()) }),
});

const tripOrderBatchSchema = z.object({ orders: z.array(tripOrderCreateSchema).min(1).max(500) });
const tripOrderBatchResultSchema = z.object({ created: z.array(tripOrderSchema) });
const contractSetSchema = z.object({ contracts: z.array(routeContractSchema).min(1) });
const contractListQuerySchema = z.object({ routeId: routeIdSchema.optional(), operatorId: operatorIdSchema.optional() });

const journeyQuerySchema = z.object({
  serviceDay: serviceDaySchema,
  operatorId: operatorIdSchema.optional(),
  routeId: routeIdSchema.optional(),
  busId: busIdSchema.optional(),
});
const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorSchema.optional(),
};
const journeyListQuerySchema = journeyQuerySchema.extend(pageQuery);
const TIDES_TABLES = ['trips_performed', 'stop_visits', 'passenger_events', 'fare_transactions'] as const;
const punctualityWindow = {
  /** On-time window around the planned departure, minutes: −1/+5 by default. */
  earlyMin: z.coerce.number().min(-60).max(0).default(-1),
  lateMin: z.coerce.number().min(0).max(60).default(5),
};
const qualityQuerySchema = journeyQuerySchema.omit({ busId: true }).extend(punctualityWindow);
const watchListQuerySchema = z.object({
  /** The last service day of the period. */
  endDay: serviceDaySchema,
  days: z.coerce.number().int().min(3).max(31).default(7),
  operatorId: operatorIdSchema.optional(),
  ...punctualityWindow,
});

export const apiRoutes = {
  openapi: route({
    id: 'openapi', method: 'GET', path: '/v1/openapi.json', summary: 'This API as an OpenAPI 3.1 document', tags: ['meta'],
    auth: 'public', function: 'api-openapi', response: openApiDocumentSchema,
  }),
  createTripOrder: route({
    id: 'createTripOrder', method: 'POST', path: '/v1/trip-orders', summary: 'Create a trip order (draft, or issued with issue: true)', tags: ['trip orders'],
    auth: 'operator', function: 'api-trip-orders', successStatus: 201, body: tripOrderCreateSchema, response: tripOrderSchema,
  }),
  createTripOrders: route({
    id: 'createTripOrders', method: 'POST', path: '/v1/trip-orders/batch', summary: "Create a day's trip orders at once (all or none)", tags: ['trip orders'],
    auth: 'operator', function: 'api-trip-orders', successStatus: 201, body: tripOrderBatchSchema, response: tripOrderBatchResultSchema,
  }),
  listTripOrders: route({
    id: 'listTripOrders', method: 'GET', path: '/v1/trip-orders', summary: 'Trip orders of a service day, by operator, route, vehicle or status', tags: ['trip orders'],
    auth: 'centreOrOperator', function: 'api-trip-orders', query: tripOrderListQuerySchema, response: page(tripOrderSchema),
  }),
  getTripOrder: route({
    id: 'getTripOrder', method: 'GET', path: '/v1/trip-orders/{id}', summary: 'One trip order with its history', tags: ['trip orders'],
    auth: 'centreOrOperator', function: 'api-trip-orders', params: idParams, response: tripOrderSchema,
  }),
  issueTripOrder: route({
    id: 'issueTripOrder', method: 'POST', path: '/v1/trip-orders/{id}/issue', summary: 'Issue a draft order to the centre', tags: ['trip orders'],
    auth: 'operator', function: 'api-trip-orders', params: idParams, response: tripOrderSchema,
  }),
  approveTripOrder: route({
    id: 'approveTripOrder', method: 'POST', path: '/v1/trip-orders/{id}/approve', summary: 'Approve an issued order; the bus receives its assignment', tags: ['trip orders'],
    auth: 'centre', function: 'api-trip-orders', params: idParams, response: tripOrderSchema,
  }),
  amendTripOrder: route({
    id: 'amendTripOrder', method: 'POST', path: '/v1/trip-orders/{id}/amend', summary: 'Amend an issued or approved order, with a reason', tags: ['trip orders'],
    auth: 'operator', function: 'api-trip-orders', params: idParams, body: tripOrderAmendSchema, response: tripOrderSchema,
  }),
  cancelTripOrder: route({
    id: 'cancelTripOrder', method: 'POST', path: '/v1/trip-orders/{id}/cancel', summary: 'Cancel an order, with a reason', tags: ['trip orders'],
    auth: 'centreOrOperator', function: 'api-trip-orders', params: idParams, body: cancelSchema, response: tripOrderSchema,
  }),
  confirmTrip: route({
    id: 'confirmTrip', method: 'POST', path: '/v1/trip-orders/{id}/confirmations', summary: "A terminal's confirmation of a planned trip's departure or arrival", tags: ['trip orders'],
    auth: 'operator', function: 'api-trip-orders', successStatus: 201, params: idParams, body: confirmationSchema, response: tripOrderSchema,
  }),
  listJourneys: route({
    id: 'listJourneys', method: 'GET', path: '/v1/journeys', summary: 'Trips performed with their stop visits, by day, operator, route or bus', tags: ['journeys'],
    auth: 'centreOrOperator', function: 'api-journeys', query: journeyListQuerySchema, response: page(performedTripSchema),
  }),
  exportTides: route({
    id: 'exportTides', method: 'GET', path: '/v1/journeys/tides/{table}', summary: 'A TIDES CSV of a service day (trips_performed, stop_visits, passenger_events, fare_transactions)', tags: ['journeys'],
    auth: 'centreOrOperator', function: 'api-journeys', params: z.object({ table: z.enum(TIDES_TABLES) }), query: journeyQuerySchema.omit({ busId: true }),
    response: tidesCsvSchema, responseContentType: 'text/csv',
  }),
  qualitySummary: route({
    id: 'qualitySummary', method: 'GET', path: '/v1/quality', summary: 'Punctuality, skipped stops, missed trips, headway regularity, ridership of a day', tags: ['quality'],
    auth: 'centreOrOperator', function: 'api-journeys', query: qualityQuerySchema, response: qualitySummarySchema,
  }),
  watchList: route({
    id: 'watchList', method: 'GET', path: '/v1/quality/watch-list', summary: 'Routes with falling ridership or punctuality, operators with most violations, over N days', tags: ['quality'],
    auth: 'centreOrOperator', function: 'api-journeys', query: watchListQuerySchema, response: watchListSchema,
  }),
  listRouteContracts: route({
    id: 'listRouteContracts', method: 'GET', path: '/v1/route-contracts', summary: 'Route contracts, every version', tags: ['route contracts'],
    auth: 'centreOrOperator', function: 'api-route-contracts', query: contractListQuerySchema, response: z.object({ items: z.array(routeContractSchema) }),
  }),
  putRouteContracts: route({
    id: 'putRouteContracts', method: 'PUT', path: '/v1/route-contracts', summary: 'Add or replace contract versions (centre only)', tags: ['route contracts'],
    auth: 'centre', function: 'api-route-contracts', body: contractSetSchema, response: z.object({ stored: z.number().int() }),
  }),
  // The public network routes for passengers: shared/api/network-routes.ts.
  ...networkApiRoutes,
  ...passengerApiRoutes,
  ...gtfsRtApiRoutes,
  runReconciliation: route({
    id: 'runReconciliation', method: 'POST', path: '/v1/reconciliations', summary: 'Run the reconciliation of a service day, for every operator or one (centre)', tags: ['reconciliations'],
    auth: 'centre', function: 'api-reconciliations', body: runRequestSchema, response: runResultSchema,
  }),
  listReconciliations: route({
    id: 'listReconciliations', method: 'GET', path: '/v1/reconciliations', summary: "Reconciliations of a day (each operator's current version), or of an operator over days", tags: ['reconciliations'],
    auth: 'centreOrOperator', function: 'api-reconciliations', query: reconciliationListQuerySchema, response: page(headSchema),
  }),
  getReconciliation: route({
    id: 'getReconciliation', method: 'GET', path: '/v1/reconciliations/{serviceDay}/{operatorId}', summary: "An operator-day's statement (a version, default the current) with its lines, evidence, resolutions, payment records and audit trail", tags: ['reconciliations'],
    auth: 'centreOrOperator', function: 'api-reconciliations', params: reconciliationParams, query: versionQuerySchema, response: versionViewSchema,
  }),
  diffReconciliation: route({
    id: 'diffReconciliation', method: 'GET', path: '/v1/reconciliations/{serviceDay}/{operatorId}/diff', summary: 'What changed between two versions of a statement, line by line, and why', tags: ['reconciliations'],
    auth: 'centreOrOperator', function: 'api-reconciliations', params: reconciliationParams, query: diffQuerySchema, response: diffSchema,
  }),
  resolveReconciliationLine: route({
    id: 'resolveReconciliationLine', method: 'POST', path: '/v1/reconciliations/{serviceDay}/{operatorId}/resolutions', summary: 'Resolve a needs-review line: accept as completed or partial, or reject, with a reason (centre)', tags: ['reconciliations'],
    auth: 'centre', function: 'api-reconciliations', params: reconciliationParams, body: resolveRequestSchema, response: versionViewSchema,
  }),
  approveReconciliation: route({
    id: 'approveReconciliation', method: 'POST', path: '/v1/reconciliations/{serviceDay}/{operatorId}/approve', summary: 'Approve the current version: an immutable payment record; the trip orders become reconciled (centre)', tags: ['reconciliations'],
    auth: 'centre', function: 'api-reconciliations', params: reconciliationParams, body: approveRequestSchema, response: paymentRecordSchema,
  }),
  reopenReconciliation: route({
    id: 'reopenReconciliation', method: 'POST', path: '/v1/reconciliations/{serviceDay}/{operatorId}/reopen', summary: 'Reopen an approved day, with a reason, so that a new run may make a new version (centre)', tags: ['reconciliations'],
    auth: 'centre', function: 'api-reconciliations', params: reconciliationParams, body: reopenRequestSchema, response: headSchema,
  }),
  exportReconciliationCsv: route({
    id: 'exportReconciliationCsv', method: 'GET', path: '/v1/reconciliations/{serviceDay}/{operatorId}/csv', summary: 'The statement as CSV (UTF-8 with BOM; Vietnamese headers, or lang=en)', tags: ['reconciliations'],
    auth: 'centreOrOperator', function: 'api-reconciliations', params: reconciliationParams, query: versionQuerySchema.extend(exportLangQuery.shape),
    response: reconciliationCsvSchema, responseContentType: 'text/csv',
  }),
  acceptanceRecord: route({
    id: 'acceptanceRecord', method: 'GET', path: '/v1/reconciliations/{serviceDay}/{operatorId}/acceptance-record', summary: 'The print-ready acceptance record (biên bản nghiệm thu) as an HTML page', tags: ['reconciliations'],
    auth: 'centreOrOperator', function: 'api-reconciliations', params: reconciliationParams, query: versionQuerySchema.extend(exportLangQuery.shape),
    response: acceptanceRecordSchema, responseContentType: 'text/html',
  }),
  getSettlement: route({
    id: 'getSettlement', method: 'GET', path: '/v1/settlements/{operatorId}/{month}', summary: "An operator's monthly settlement: approved days, outstanding days, advances, the balance", tags: ['reconciliations'],
    auth: 'centreOrOperator', function: 'api-reconciliations', params: settlementParams, response: settlementSchema,
  }),
  exportSettlementCsv: route({
    id: 'exportSettlementCsv', method: 'GET', path: '/v1/settlements/{operatorId}/{month}/csv', summary: 'The monthly settlement as CSV (UTF-8 with BOM; Vietnamese headers, or lang=en)', tags: ['reconciliations'],
    auth: 'centreOrOperator', function: 'api-reconciliations', params: settlementParams, query: exportLangQuery, response: reconciliationCsvSchema, responseContentType: 'text/csv',
  }),
  recordAdvance: route({
    id: 'recordAdvance', method: 'POST', path: '/v1/advances', summary: 'Record an advance (tạm ứng) paid to an operator for a month (centre)', tags: ['reconciliations'],
    auth: 'centre', function: 'api-reconciliations', successStatus: 201, body: advanceRequestSchema, response: storedAdvanceSchema,
  }),
  listAdvances: route({
    id: 'listAdvances', method: 'GET', path: '/v1/advances', summary: "An operator's advances of a month", tags: ['reconciliations'],
    auth: 'centreOrOperator', function: 'api-reconciliations', query: advanceQuerySchema, response: z.object({ items: z.array(storedAdvanceSchema) }),
  }),
} as const;

export const allApiRoutes: RouteDef[] = Object.values(apiRoutes) as RouteDef[];
