/**
 * The API functions the local HTTP server serves, by their folder under functions/: the same handler modules
 * the Lambdas run, given dependencies built for the local stack. Every answer is checked against its route's
 * response schema here, so every local run and integration test checks every response it gets.
 */
import type { RouteDef } from '../../shared/api/route.js';
import type { ApiDeps } from '../../shared/adapters/api-deps.js';
import type { ApiFunctionEnv, ApiHandler } from '../../shared/adapters/http/api-function.js';
import type { HttpEvent, HttpResult } from '../../shared/adapters/http/http-types.js';
import type { Context } from 'aws-lambda';
import { makeHandlers as openapiHandlers } from '../../functions/api-openapi/handlers.js';
import { makeHandlers as contractHandlers } from '../../functions/api-route-contracts/handlers.js';
import { makeHandlers as tripOrderHandlers } from '../../functions/api-trip-orders/handlers.js';
import { makeHandlers as journeyHandlers } from '../../functions/api-journeys/handlers.js';
import { makeHandlers as networkHandlers } from '../../functions/api-network/handlers.js';
import { makeHandlers as passengerHandlers } from '../../functions/api-passenger/handlers.js';
import { makeHandlers as gtfsRtHandlers } from '../../functions/api-gtfs-rt/handlers.js';
import { makeHandlers as reconciliationHandlers } from '../../functions/api-reconciliations/handlers.js';
import { makeHandlers as complaintHandlers } from '../../functions/api-complaints/handlers.js';

/** Every route's handler; throws if a route names a function that has none (a test holds the catalogue to it). */
export function localRouteHandlers(deps: ApiDeps): (route: RouteDef) => (event: HttpEvent) => Promise<HttpResult> {
  const env: ApiFunctionEnv<ApiDeps> = { deps: async () => deps, logger: deps.logger, validateResponses: true };
  const byFunction: Record<string, Record<string, ApiHandler>> = {
    'api-trip-orders': tripOrderHandlers(env),
    'api-route-contracts': contractHandlers(env),
    'api-openapi': openapiHandlers(env),
    'api-journeys': journeyHandlers(env),
    'api-network': networkHandlers(env),
    'api-passenger': passengerHandlers(env),
    'api-gtfs-rt': gtfsRtHandlers(env),
    'api-reconciliations': reconciliationHandlers(env),
    'api-complaints': complaintHandlers(env),
  };
  const context = { functionName: 'local', awsRequestId: 'local' } as Context;
  return (route) => {
    const handler = byFunction[route.function]?.[route.id];
    if (!handler) throw new Error(`no local handler for route ${route.id} (function ${route.function})`);
    return (event) => handler(event, context);
  };
}
