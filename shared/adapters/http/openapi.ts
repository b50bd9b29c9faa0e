/** The OpenAPI 3.1 document, generated from the catalogue's routes and their zod schemas (nothing written twice). */
import { z } from 'zod';
import type { RouteDef } from '../../api/route.js';

const json = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;

const problemRef = { $ref: '#/components/schemas/Problem' };
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemRef } } });

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema) return [];
  const s = json(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema: prop,
  }));
}

export function openApiDocument(routes: readonly RouteDef[], info: { version: string; serverUrl?: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const status = String(r.successStatus ?? 200);
    const op: Record<string, unknown> = {
      operationId: r.id,
      summary: r.summary,
      tags: r.tags,
      ...(r.auth === 'public'
        ? { security: [] }
        : { security: [{ bearer: [] }], 'x-busflow-roles': r.auth === 'centreOrOperator' ? ['centre', 'operator'] : [r.auth] }),
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(r.body, 'input') } } } } : {}),
      responses: {
        [status]: {
          description: 'Success',
          content: { [r.responseContentType ?? 'application/json']: { schema: r.response ? json(r.response, 'output') : {} } },
        },
        ...(r.params || r.query || r.body ? { '400': problem('Invalid request: `field` names what is wrong') } : {}),
        ...(r.auth === 'public' ? {} : { '401': { description: 'No valid bearer token' }, '403': problem('The caller may not do this') }),
        ...(r.params ? { '404': problem('Not found') } : {}),
        ...(r.method !== 'GET' ? { '409': problem('Conflicts with the current state (lifecycle, duplicate)') } : {}),
        '429': { description: 'Throttled' },
      },
    };
    paths[r.path] = { ...paths[r.path], [r.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'BusFlow API',
      version: info.version,
      description: 'City bus network backend: trip orders, route contracts, and (as they land) journeys, arrivals and reconciliation.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Claims `role` (centre | operator) and `operatorId`' } },
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            field: { type: 'string', description: 'The first failing field, e.g. trips[2].plannedDeparture' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'message'] },
            },
          },
        },
      },
    },
  };
}
