/** Lambda entry: the trip-order API (one function, dispatched by route). */
import { allApiRoutes } from '../../shared/api/index.js';
import { createApiDeps, type ApiDeps } from '../../shared/adapters/api-deps.js';
import { loadConfig } from '../../shared/adapters/config.js';
import { dispatchRoutes } from '../../shared/adapters/http/dispatch.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { makeHandlers } from './handlers.js';

let deps: Promise<ApiDeps> | undefined;
const handlers = makeHandlers(() => (deps ??= createApiDeps(loadConfig(), createLogger('api-trip-orders'))));

export const handler = dispatchRoutes(allApiRoutes, handlers);
