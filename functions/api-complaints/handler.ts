/** Lambda entry: the complaints API. */
import { apiLambda } from '../../shared/adapters/http/api-lambda.js';
import { createComplaintApiDeps } from '../../shared/adapters/api-deps.js';
import { makeHandlers } from './handlers.js';

export const handler = apiLambda('api-complaints', makeHandlers, createComplaintApiDeps);
