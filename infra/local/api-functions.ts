/**
 * The API functions the local HTTP server serves, by their folder under functions/: the same handler modules
 * the Lambdas run, given dependencies built for the local stack.
 */
import type { RouteDef } from '../../shared/api/route.js';
import type { ApiDeps } from '../../shared/adapters/api-deps.js';
import type { HttpEvent, HttpResult } from '../../shared/adapters/http/http-handler.js';
import type { Context } from 'aws-lambda';
import { makeHandlers as openapiHandlers } from '../../functions/api-openapi/handlers.js';
import { makeHandlers as contractHandlers } from '../../functions/api-route-contracts/handlers.js';
import { makeHandlers as tripOrderHandlers } from '../../functions/api-trip-orders/handlers.js';
import { makeHandlers as journeyHandlers } from '../../functions/api-journeys/handlers.js';

type Handler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** Every route's handler; throws if a route names a function that has none (a test holds the catalogue to it). */
export function localRouteHandlers(deps: ApiDeps): (route: RouteDef) => (event: HttpEvent) => Promise<HttpResult> {
  const d = async () => deps;
  const byFunction: Record<string, Record<string, Handler>> = {
    'api-trip-orders': tripOrderHandlers(d),
    'api-route-contracts': contractHandlers(d),
    'api-openapi': openapiHandlers(d),
    'api-journeys': journeyHandlers(d),
  };
  const context = { functionName: 'local', awsRequestId: 'local' } as Context;
  return (route) => {
    const handler = byFunction[route.function]?.[route.id];
    if (!handler) throw new Error(`no local handler for route ${route.id} (function ${route.function})`);
    return (event) => handler(event, context);
  };
}
