/** Lambda entry: GET /v1/openapi.json. */
import { apiRoutes, routeKey } from '../../shared/api/index.js';
import { dispatchByRouteKey } from '../../shared/adapters/http/dispatch.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { makeHandlers } from './handlers.js';

const logger = createLogger('api-openapi');
const handlers = makeHandlers(async () => ({ logger }));

export const handler = dispatchByRouteKey({ [routeKey(apiRoutes.openapi)]: handlers[apiRoutes.openapi.id]! });
