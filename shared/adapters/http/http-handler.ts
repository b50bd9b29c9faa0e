/**
 * The one wrapper every API function uses: an API Gateway HTTP API (payload 2.0) event in, a response out.
 * It checks who calls against the route's `auth`, parses path/query/body with the route's zod schemas, calls
 * the handler's function, and turns every error into RFC 9457 problem+json with the failing field. Handler files
 * keep only what is particular to them.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import type { RouteDef } from '../../api/route.js';
import { Forbidden, ValidationError } from '../../domain/errors.js';
import type { Logger } from '../../domain/ports/logger.js';
import { principalFromClaims, type Principal } from './principal.js';
import { PROBLEM_CONTENT_TYPE, problemOf, Unauthorized } from './problem.js';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface HttpInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Undefined only on public routes. */
  principal: Principal | undefined;
  requestId: string;
}

/** A handler may set the status and headers (Location) itself; otherwise its value is the JSON body. */
export class HttpResponse {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export interface HttpDeps {
  logger: Logger;
}

export function httpHandler<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType, D extends HttpDeps>(
  route: RouteDef<P, Q, B, R>,
  deps: () => Promise<D>,
  fn: (input: HttpInput<Infer<P>, Infer<Q>, Infer<B>>, deps: D) => Promise<unknown>,
): middy.MiddyfiedHandler<HttpEvent, HttpResult> {
  return middy<HttpEvent, HttpResult>().handler(async (event) => {
    const requestId = event.requestContext?.requestId ?? 'local';
    let d: D | undefined;
    try {
      // Who calls and what they send are checked before anything is built or touched.
      const principal = authorize(route, event);
      const input = {
        params: parse(route.params, event.pathParameters ?? {}, ''),
        query: parse(route.query, event.queryStringParameters ?? {}, ''),
        body: parse(route.body, route.body ? parseJsonBody(event) : undefined, ''),
        principal,
        requestId,
      } as HttpInput<Infer<P>, Infer<Q>, Infer<B>>;
      d = await deps();
      const result = await fn(input, d);
      if (result instanceof HttpResponse) return json(result.status, result.body, result.headers);
      return json(route.successStatus ?? 200, result);
    } catch (err) {
      const problem = problemOf(err, event.rawPath);
      const logger = d?.logger;
      if (problem.status >= 500) logger?.error('request failed', { requestId, route: route.id, error: (err as Error).stack ?? String(err) });
      else logger?.info('request refused', { requestId, route: route.id, status: problem.status, field: problem.field, detail: problem.detail });
      return { statusCode: problem.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': requestId }, body: JSON.stringify(problem) };
    }
  });
}

function authorize(route: RouteDef, event: HttpEvent): Principal | undefined {
  if (route.auth === 'public') return undefined;
  const principal = principalFromClaims(event.requestContext?.authorizer?.jwt?.claims);
  if (!principal) throw new Unauthorized('a bearer token with a role (centre or operator) is required');
  if (route.auth === 'centre' && principal.role !== 'centre') throw new Forbidden('only the transport centre may do this');
  if (route.auth === 'operator' && principal.role !== 'operator') throw new Forbidden('only an operator may do this');
  return principal;
}

function parseJsonBody(event: HttpEvent): unknown {
  if (!event.body) throw new ValidationError('', 'a JSON body is required');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('', 'the body is not valid JSON');
  }
}

function parse(schema: z.ZodType | undefined, value: unknown, prefix: string): unknown {
  if (!schema) return undefined;
  const out = schema.safeParse(value);
  if (!out.success) throw ValidationError.fromZod(out.error, prefix);
  return out.data;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  // A text body with its own content type (CSV exports) goes out as it is.
  if (typeof body === 'string' && headers['content-type']) return { statusCode: status, headers, body };
  return { statusCode: status, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? '' : JSON.stringify(body) };
}
