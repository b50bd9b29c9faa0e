/** The HTTP layer's pure parts: callers from claims, problem+json, sealed cursors, every route served. */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { allApiRoutes, route } from '../../../shared/api/index.js';
import { decodeCursor, encodeCursor } from '../../../shared/adapters/http/cursor.js';
import { httpHandler, type HttpEvent } from '../../../shared/adapters/http/http-handler.js';
import { principalFromClaims } from '../../../shared/adapters/http/principal.js';
import { problemOf } from '../../../shared/adapters/http/problem.js';
import { Conflict, Forbidden, NotFound, ValidationError } from '../../../shared/domain/errors.js';
import { silentLogger } from '../../../shared/domain/ports/logger.js';
import { localRouteHandlers } from '../../../infra/local/api-functions.js';
import type { ApiDeps } from '../../../shared/adapters/api-deps.js';

describe('principalFromClaims', () => {
  it('reads BusFlow claims and Cognito groups', () => {
    expect(principalFromClaims({ sub: 'u1', role: 'operator', operatorId: 'OP1' })).toEqual({ subject: 'u1', role: 'operator', operatorId: 'OP1' });
    expect(principalFromClaims({ sub: 'u2', 'cognito:groups': '[centre]' })).toEqual({ subject: 'u2', role: 'centre' });
    expect(principalFromClaims({ sub: 'u3', 'cognito:groups': ['operator'], 'custom:operatorId': 'OP9' })).toMatchObject({ role: 'operator', operatorId: 'OP9' });
  });
  it('refuses a token without a role, or an operator without an operator', () => {
    expect(principalFromClaims({ sub: 'x' })).toBeUndefined();
    expect(principalFromClaims({ sub: 'x', role: 'operator' })).toBeUndefined();
    expect(principalFromClaims({ sub: 'x', role: 'admin' })).toBeUndefined();
  });
});

describe('problem+json', () => {
  it('maps each domain error to its status, with the failing fields', () => {
    expect(problemOf(new ValidationError([{ field: 'trips[1].sequence', message: 'duplicate' }]), '/p')).toMatchObject({ status: 400, field: 'trips[1].sequence', instance: '/p', errors: [{ field: 'trips[1].sequence' }] });
    expect(problemOf(new Forbidden('no')).status).toBe(403);
    expect(problemOf(new NotFound('trip order', 'x')).status).toBe(404);
    expect(problemOf(new Conflict('taken')).status).toBe(409);
    const internal = problemOf(new Error('database password is hunter2'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal)).not.toContain('hunter2');
  });
});

describe('cursors', () => {
  it('round-trip, and refuse a forged or tampered one', () => {
    const key = 'k'.repeat(32);
    const cursor = encodeCursor({ pk: 'a', sk: 'b' }, key)!;
    expect(decodeCursor(cursor, key)).toEqual({ pk: 'a', sk: 'b' });
    expect(() => decodeCursor(cursor, 'j'.repeat(32))).toThrow(ValidationError);
    const [body] = cursor.split('.');
    expect(() => decodeCursor(`${Buffer.from('{"pk":"other"}').toString('base64url')}.${cursor.split('.')[1]}`, key)).toThrow(/cursor/);
    expect(body).not.toContain('pk');
    expect(encodeCursor(undefined, key)).toBeUndefined();
  });
});

describe('httpHandler', () => {
  const testRoute = route({
    id: 't', method: 'POST', path: '/v1/t/{id}', summary: 't', tags: [], auth: 'centre', function: 'x',
    params: z.object({ id: z.string().regex(/^\d+$/) }), body: z.object({ n: z.int() }),
  });
  const handler = httpHandler(testRoute, async () => ({ logger: silentLogger }), async ({ params, body }) => ({ id: params.id, n: body.n }));
  const event = (over: Partial<HttpEvent>, claims: Record<string, string> | null = { sub: 'c', role: 'centre' }) =>
    ({ rawPath: '/v1/t/1', routeKey: 'POST /v1/t/{id}', pathParameters: { id: '1' }, body: '{"n":2}', isBase64Encoded: false, headers: {},
      requestContext: { requestId: 'r1', authorizer: claims ? { jwt: { claims, scopes: [] } } : undefined }, ...over }) as unknown as HttpEvent;
  const ctx = {} as Context;

  it('answers with the handler’s value', async () => {
    const out = await handler(event({}), ctx);
    expect(out.statusCode).toBe(200);
    expect(JSON.parse(out.body!)).toEqual({ id: '1', n: 2 });
  });
  it('refuses a missing role (401), the wrong role (403), and names bad fields (400)', async () => {
    expect((await handler(event({}, null), ctx)).statusCode).toBe(401);
    expect((await handler(event({}, { sub: 'o', role: 'operator', operatorId: 'A' }), ctx)).statusCode).toBe(403);
    const badPath = await handler(event({ pathParameters: { id: 'abc' } }), ctx);
    expect(badPath.statusCode).toBe(400);
    expect(badPath.headers!['content-type']).toBe('application/problem+json');
    expect(JSON.parse(badPath.body!).field).toBe('id');
    expect(JSON.parse((await handler(event({ body: '{"n":1.5}' }), ctx)).body!).field).toBe('n');
    expect(JSON.parse((await handler(event({ body: '{oops' }), ctx)).body!).detail).toMatch(/not valid JSON/);
  });
});

describe('the catalogue’s routes', () => {
  it('each have a handler in the function they name', () => {
    const handlerFor = localRouteHandlers({ logger: silentLogger } as unknown as ApiDeps);
    for (const r of allApiRoutes) expect(() => handlerFor(r), r.id).not.toThrow();
    expect(new Set(allApiRoutes.map((r) => `${r.method} ${r.path}`)).size).toBe(allApiRoutes.length);
  });
});
