/** The OpenAPI document of the whole API, generated from the catalogue. */
import { allApiRoutes, apiRoutes } from '../../shared/api/index.js';
import { apiFunction, type ApiFunctionEnv } from '../../shared/adapters/http/api-function.js';
import { openApiDocument } from '../../shared/adapters/http/openapi.js';

const API_VERSION = '1.0.0';

export function makeHandlers(env: ApiFunctionEnv<unknown>) {
  let doc: Record<string, unknown> | undefined;
  return {
    [apiRoutes.openapi.id]: apiFunction(apiRoutes.openapi, env, async () => (doc ??= openApiDocument(allApiRoutes, { version: API_VERSION }))),
  };
}
