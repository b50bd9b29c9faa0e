/** Lambda entry: the public GTFS-Realtime feeds. */
import { apiLambda } from '../../shared/adapters/http/api-lambda.js';
import { createGtfsRtApiDeps } from '../../shared/adapters/api-deps.js';
import { makeHandlers } from './handlers.js';

export const handler = apiLambda('api-gtfs-rt', makeHandlers, createGtfsRtApiDeps);
