/**
 * Every API function's Lambda entry (each `source: http` function of the catalogue) dispatches API Gateway events
 * by route key, as deployed, through the shared entry: Powertools Logger with the request's correlation id.
 */
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { functions } from '../../../shared/catalogue/functions.js';
import { allApiRoutes, routeKey } from '../../../shared/api/index.js';
import { searchPath } from '../../../shared/adapters/http/api-lambda.js';
import type { HttpEvent, HttpResult } from '../../../shared/adapters/http/http-types.js';

const ROOT = join(import.meta.dirname, '../../..');
const event = (key: string, headers: Record<string, string> = {}, queryStringParameters: Record<string, string> = {}) =>
  ({ routeKey: key, rawPath: '/x', headers, queryStringParameters, isBase64Encoded: false, requestContext: { requestId: 'r' } }) as unknown as HttpEvent;
const ctx = { functionName: 'test', awsRequestId: 'aws-1', functionVersion: '1', invokedFunctionArn: 'arn', memoryLimitInMB: '128' } as Context;

const apiFunctions = Object.values(functions).filter((f) => f.source.kind === 'http');
const folderOf = (entry: string) => entry.split('/')[1]!;

/** What the entries' Powertools loggers print, one JSON object a line (kept out of the test output). */
let written: string[] = [];
beforeEach(() => {
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('Lambda entries', () => {
  it('cover every API function of the catalogue, and every function serves routes', () => {
    expect(apiFunctions.map((f) => folderOf(f.entry)).sort()).toEqual([
      'api-complaints',
      'api-gtfs-rt',
      'api-journeys',
      'api-network',
      'api-openapi',
      'api-passenger',
      'api-reconciliations',
      'api-route-contracts',
      'api-trip-orders',
    ]);
    for (const f of apiFunctions)
      expect(
        allApiRoutes.some((r) => r.function === folderOf(f.entry)),
        f.id,
      ).toBe(true);
  });

  it.each(apiFunctions.map((f) => [f.id, f.entry, Object.keys(f.tables).length > 0] as const))(
    '%s serves its routes and answers 404 problem+json for any other',
    async (_id, entry, readsTables) => {
      // No storage here: a table read fails at once (a closed local port), not after AWS credential lookups.
      vi.stubEnv('BUSFLOW_DYNAMODB_ENDPOINT', 'http://127.0.0.1:9');
      const { handler } = (await import(join(ROOT, entry))) as { handler: (e: HttpEvent, c: Context) => Promise<HttpResult> };
      const requiredQuery: Record<string, Record<string, string>> = { listStops: { q: 'ben thanh' }, listVehicles: { routeId: '01' } };
      for (const r of allApiRoutes.filter((x) => x.function === folderOf(entry))) {
        const out = await handler(event(routeKey(r), {}, requiredQuery[r.id] ?? {}), ctx);
        // A protected route refuses a call without claims before touching any storage; a public one is answered by
        // its function (one that reads tables it cannot reach here: 500 problem+json, without detail).
        if (r.auth !== 'public') expect(out.statusCode, r.id).toBe(401);
        else if (!readsTables) expect(out.statusCode, r.id).toBe(200);
        else if (r.params) expect(out.statusCode, r.id).toBe(400);
        else {
          expect(out.statusCode, r.id).toBe(500);
          expect(out.headers!['content-type']).toBe('application/problem+json');
        }
      }
      const other = await handler(event('GET /v1/nothing'), ctx);
      expect(other.statusCode).toBe(404);
      expect(other.headers!['content-type']).toBe('application/problem+json');
    },
  );

  it('log with the request’s x-request-id as correlation id, and answer it', async () => {
    const { handler } = await import('../../../functions/api-trip-orders/handler.js');
    const out = await handler(event('GET /v1/trip-orders', { 'x-request-id': 'client-42' }), ctx);
    expect(out.statusCode).toBe(401);
    expect(out.headers!['x-request-id']).toBe('client-42');
    const refused = written.map((l) => JSON.parse(l)).find((l) => l.message === 'request refused');
    expect(refused).toMatchObject({ correlation_id: 'client-42', requestId: 'client-42', function_request_id: 'aws-1', service: 'api-trip-orders' });
  });

  it('log with API Gateway’s request id as correlation id when the caller sent none', async () => {
    const { handler } = await import('../../../functions/api-trip-orders/handler.js');
    const out = await handler(event('GET /v1/trip-orders'), ctx);
    expect(out.headers!['x-request-id']).toBe('r');
    const refused = written.map((l) => JSON.parse(l)).find((l) => l.message === 'request refused');
    expect(refused).toMatchObject({ correlation_id: 'r', requestId: 'r' });
  });
});

describe('correlation id paths', () => {
  it('read dotted and quoted names, as JMESPath does for these paths', () => {
    const e = { headers: { 'x-request-id': 'abc' }, requestContext: { requestId: 'r1' } };
    expect(searchPath('headers."x-request-id"', e)).toBe('abc');
    expect(searchPath('requestContext.requestId', e)).toBe('r1');
    expect(searchPath('headers."x-missing"', e)).toBeUndefined();
    expect(searchPath('headers.x-request-id', e)).toBeUndefined();
    expect(searchPath('body.id', { body: 'text' })).toBeUndefined();
  });

  it('take the first alternative that has a value', () => {
    const path = 'headers."x-request-id" || requestContext.requestId';
    expect(searchPath(path, { headers: { 'x-request-id': 'abc' }, requestContext: { requestId: 'r1' } })).toBe('abc');
    expect(searchPath(path, { headers: {}, requestContext: { requestId: 'r1' } })).toBe('r1');
    expect(searchPath(path, { headers: { 'x-request-id': '' }, requestContext: { requestId: 'r1' } })).toBe('r1');
    expect(searchPath(path, { headers: {} })).toBeUndefined();
  });
});
