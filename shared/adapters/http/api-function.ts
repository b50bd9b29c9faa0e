/**
 * `apiFunction`: one route's handler composed from the HTTP middlewares, in the middy way. The function's own
 * code (`core`) gets the parsed input and its dependencies and answers a value; it knows nothing of HTTP
 * events, tokens, zod or problem+json. Written once; every API function is built from it.
 *
 *   problemDetails   every error → RFC 9457 problem+json, 5xx without detail, logged with the request id
 *   jsonResponse     the answer → the API Gateway result (JSON, or the HttpResponse's own status and headers)
 *   authorize        the route's roles from the JWT claims: 401 / 403
 *   parseRequest     path, query and body through the route's zod schemas: 400 naming the field
 *   validateResponse the answer against the route's `response` schema (unless turned off): 500 if it differs
 *
 * The Lambda entry (`apiLambda`) adds Powertools Logger and Tracer around the function's dispatcher.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import type { RouteDef } from '../../api/route.js';
import type { Logger } from '../../domain/ports/logger.js';
import { requestIdOf, type ApiAnswer, type ApiEvent, type HttpEvent, type HttpResult } from './http-types.js';
import { authorize } from './middleware/authorize.js';
import { jsonResponse } from './middleware/json-response.js';
import { parseRequest } from './middleware/parse-request.js';
import { problemDetails } from './middleware/problem-details.js';
import { validateResponse } from './middleware/validate-response.js';
import type { Principal } from './principal.js';

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface HttpInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Undefined only on public routes. */
  principal: Principal | undefined;
  requestId: string;
}

/** What an API function's routes share: its dependencies (built once, when first needed), its logger, its options. */
export interface ApiFunctionEnv<D> {
  deps: () => Promise<D>;
  logger: Logger;
  /** Check every answer against its route's `response` schema; default true (see docs/api.md). */
  validateResponses?: boolean;
}

/** One route's handler: API Gateway event in, result out. */
export type ApiHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

export function apiFunction<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType, D>(
  route: RouteDef<P, Q, B, R>,
  env: ApiFunctionEnv<D>,
  core: (input: HttpInput<Infer<P>, Infer<Q>, Infer<B>>, deps: D) => Promise<unknown>,
): ApiHandler {
  const handler = middy<ApiEvent, ApiAnswer, Error, Context>()
    .use(problemDetails({ logger: env.logger, routeId: route.id }))
    .use(jsonResponse(route))
    .use(authorize(route))
    .use(parseRequest(route));
  if (env.validateResponses ?? true) handler.use(validateResponse(route));
  return handler.handler(async (event) => {
    const input = { ...event.input, principal: event.principal, requestId: requestIdOf(event) } as HttpInput<Infer<P>, Infer<Q>, Infer<B>>;
    return core(input, await env.deps());
  }) as unknown as ApiHandler;
}
