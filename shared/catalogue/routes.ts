/** HTTP routes of the API (§10). Empty until the first API lands; typed so infra and the local server can read it. */
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface RouteDef {
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax: `/v1/stops/{stopId}`. */
  path: string;
  auth: 'public' | 'centre' | 'operator' | 'centreOrOperator';
  function: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
}

export const routes: Record<string, RouteDef> = {};
