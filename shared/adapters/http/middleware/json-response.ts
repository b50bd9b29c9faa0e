/**
 * Middleware: the function's answer as an API Gateway result. A value is the JSON body with the route's success
 * status; an `HttpResponse` sets its own status and headers; a text body with its own content type (the CSV
 * exports) goes out as it is, bytes (the GTFS zip) base64-encoded.
 */
import type { RouteDef } from '../../../api/route.js';
import { HttpResponse, type ApiMiddleware, type HttpResult } from '../http-types.js';

export function jsonResponse(route: Pick<RouteDef, 'successStatus'>): ApiMiddleware {
  return {
    after: (request) => {
      const answer = request.response;
      request.response = answer instanceof HttpResponse ? resultOf(answer.status, answer.body, answer.headers) : resultOf(route.successStatus ?? 200, answer);
    },
  };
}

function resultOf(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  // Bytes (the GTFS zip) go out base64-encoded, as API Gateway expects a binary body from Lambda.
  if (body instanceof Uint8Array) return { statusCode: status, headers, body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
  if (typeof body === 'string' && headers['content-type']) return { statusCode: status, headers, body };
  return { statusCode: status, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? '' : JSON.stringify(body) };
}
