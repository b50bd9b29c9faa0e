/** Lambda entry: the route-contract API. */
import { apiLambda } from '../../shared/adapters/http/api-lambda.js';
import { createContractApiDeps } from '../../shared/adapters/api-deps.js';
import { makeHandlers } from './handlers.js';

export const handler = apiLambda('api-route-contracts', makeHandlers, createContractApiDeps);
