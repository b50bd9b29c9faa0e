/** Lambda entry: live data for passengers (a stop's next arrivals). */
import { apiLambda } from '../../shared/adapters/http/api-lambda.js';
import { createPassengerApiDeps } from '../../shared/adapters/api-deps.js';
import { makeHandlers } from './handlers.js';

export const handler = apiLambda('api-passenger', makeHandlers, createPassengerApiDeps);
