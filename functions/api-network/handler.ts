/** Lambda entry: the public network API (routes, stops, the GTFS feed). */
import { apiLambda } from '../../shared/adapters/http/api-lambda.js';
import { createNetworkApiDeps } from '../../shared/adapters/api-deps.js';
import { makeHandlers } from './handlers.js';

export const handler = apiLambda('api-network', makeHandlers, createNetworkApiDeps);
