/**
 * Middleware: path, query and JSON body through the route's zod schemas, before anything is built or touched;
 * a ValidationError (400) names the first failing field, or says the body is missing or not JSON.
 */
import type { z } from 'zod';
import type { RouteDef } from '../../../api/route.js';
import { ValidationError } from '../../../domain/errors.js';
import type { ApiMiddleware, HttpEvent } from '../http-types.js';

export function parseRequest(route: Pick<RouteDef, 'params' | 'query' | 'body'>): ApiMiddleware {
  return {
    before: (request) => {
      const { event } = request;
      event.input = {
        params: parse(route.params, event.pathParameters ?? {}),
        query: parse(route.query, event.queryStringParameters ?? {}),
        body: route.body ? parse(route.body, jsonBodyOf(event)) : undefined,
      };
    },
  };
}

function jsonBodyOf(event: HttpEvent): unknown {
  if (!event.body) throw new ValidationError('', 'a JSON body is required');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('', 'the body is not valid JSON');
  }
}

function parse(schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const out = schema.safeParse(value);
  if (!out.success) throw ValidationError.fromZod(out.error, '');
  return out.data;
}
