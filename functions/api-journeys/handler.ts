/** Lambda entry: the journeys API. */
import { apiLambda } from '../../shared/adapters/http/api-lambda.js';
import { createJourneyApiDeps } from '../../shared/adapters/api-deps.js';
import { makeHandlers } from './handlers.js';

export const handler = apiLambda('api-journeys', makeHandlers, createJourneyApiDeps);
