/**
 * HTTP routes of the API (ARCHITECTURE §10): method, path, who may call, the function that serves it and the
 * zod schemas of its path, query, body and response. CDK makes one API Gateway route and Lambda per entry; the
 * local server routes to the same handlers; the OpenAPI document is generated from the same schemas.
 */
import type { z } from 'zod';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** `public`: no token. The others need a JWT; `operator` routes are scoped to the caller's operatorId. */
type RouteAuth = 'public' | 'centre' | 'operator' | 'centreOrOperator';

export interface RouteDef<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax: `/v1/trip-orders/{id}`. */
  path: string;
  summary: string;
  tags: string[];
  auth: RouteAuth;
  /** The folder under functions/ whose handler.ts serves this route. */
  function: string;
  successStatus?: 200 | 201 | 202;
  params?: P;
  query?: Q;
  body?: B;
  /** What the answer is; checked on every answer (see `validateResponse`). */
  response?: R;
  /** The answer's media type when it is not JSON (`text/csv` exports). */
  responseContentType?: string;
}

/** Declares a route, keeping its schemas' types for the handler. */
export function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(def: RouteDef<P, Q, B, R>): RouteDef<P, Q, B, R> {
  return def;
}

/** `POST /v1/trip-orders/{id}` → the API Gateway route key. */
export function routeKey(def: Pick<RouteDef, 'method' | 'path'>): string {
  return `${def.method} ${def.path}`;
}
