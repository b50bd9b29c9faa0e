/**
 * Middleware: the function's answer checked against the route's declared `response` schema, so the OpenAPI
 * document says what the API really sends. A mismatch is the API's own fault: an `InvalidResponse` (500 to the
 * caller, logged with the zod issues by `problemDetails`). The answer goes out as the function gave it: the
 * schema checks it and does not reshape it.
 */
import type { z } from 'zod';
import type { RouteDef } from '../../../api/route.js';
import { HttpResponse, type ApiMiddleware } from '../http-types.js';

export class InvalidResponse extends Error {
  override name = 'InvalidResponse';
  constructor(
    readonly routeId: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(`the answer of ${routeId} does not match its response schema: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
}

export function validateResponse(route: Pick<RouteDef, 'id' | 'response'>): ApiMiddleware {
  return {
    after: (request) => {
      if (!route.response) return;
      const answer = request.response;
      const body = answer instanceof HttpResponse ? answer.body : answer;
      if (answer instanceof HttpResponse && (answer.status < 200 || answer.status > 299)) return;
      const issues = responseIssues(route.response, body);
      if (issues.length) throw new InvalidResponse(route.id, issues);
    },
  };
}

/** The zod issues of `body` against `schema`, with their paths written out (`items[3].visits[0].stopId`). */
function responseIssues(schema: z.ZodType, body: unknown): { path: string; message: string }[] {
  const out = schema.safeParse(body);
  if (out.success) return [];
  return out.error.issues.map((i) => ({
    path: i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n ? '.' : ''}${String(p)}`)).join(''),
    message: i.message,
  }));
}
