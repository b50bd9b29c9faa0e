/** Lambda entry: the reconciliations API. */
import { apiLambda } from '../../shared/adapters/http/api-lambda.js';
import { createReconciliationApiDeps } from '../../shared/adapters/api-deps.js';
import { makeHandlers } from './handlers.js';

export const handler = apiLambda('api-reconciliations', makeHandlers, createReconciliationApiDeps);
