/** Lambda entry: the trip-order API (one function, dispatched by route). */
import { apiLambda } from '../../shared/adapters/http/api-lambda.js';
import { createApiDeps } from '../../shared/adapters/api-deps.js';
import { makeHandlers } from './handlers.js';

export const handler = apiLambda('api-trip-orders', makeHandlers, (config, logger) => createApiDeps(config, logger));
