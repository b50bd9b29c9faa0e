/** The OpenAPI document of the whole API, generated from the catalogue. */
import { allApiRoutes, apiRoutes } from '../../shared/api/index.js';
import { httpHandler, type HttpDeps } from '../../shared/adapters/http/http-handler.js';
import { openApiDocument } from '../../shared/adapters/http/openapi.js';

export const API_VERSION = '1.0.0';

export function makeHandlers(deps: () => Promise<HttpDeps>) {
  let doc: Record<string, unknown> | undefined;
  return {
    [apiRoutes.openapi.id]: httpHandler(apiRoutes.openapi, deps, async () => (doc ??= openApiDocument(allApiRoutes, { version: API_VERSION }))),
  };
}
