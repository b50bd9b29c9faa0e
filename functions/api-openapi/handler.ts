/** Lambda entry: GET /v1/openapi.json. */
import { apiLambda } from '../../shared/adapters/http/api-lambda.js';
import { makeHandlers } from './handlers.js';

export const handler = apiLambda('api-openapi', makeHandlers, async () => undefined);
