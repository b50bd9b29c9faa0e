/**
 * The HTTP layer's shapes: an API Gateway HTTP API (payload 2.0) event in, a structured result out, and what the
 * middlewares leave on the event for the function's own code (the caller, the parsed input).
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type middy from '@middy/core';
import type { Principal } from './principal.js';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** The event as the middlewares leave it: `authorize` adds the caller, `parseRequest` the parsed input. */
export interface ApiEvent extends HttpEvent {
  principal?: Principal;
  input?: { params: unknown; query: unknown; body: unknown };
}

/**
 * What the function's own code answers: a value (the JSON body, with the route's success status) or an
 * `HttpResponse` when it sets the status and headers (Location, a CSV's content type) itself; after
 * `jsonResponse`, the API Gateway result.
 */
export type ApiAnswer = unknown;

/** A middleware of the HTTP layer. */
export type ApiMiddleware = middy.MiddlewareObj<ApiEvent, ApiAnswer, Error, Context>;

/** A handler may set the status and headers (Location) itself; otherwise its value is the JSON body. */
export class HttpResponse {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** The id a caller can quote: the `x-request-id` it sent (or the local server set), else API Gateway's own. */
export function requestIdOf(event: HttpEvent): string {
  return event.headers?.['x-request-id'] ?? event.requestContext?.requestId ?? 'local';
}
