/** The HTTP layer as composed: callers from claims, problem+json, `apiFunction`, every route served. */
import { z } from 'zod';
import { describe, expect, it, vi } from 'vitest';
import { allApiRoutes, route } from '../../../shared/api/index.js';
import { apiFunction } from '../../../shared/adapters/http/api-function.js';
import { principalFromClaims } from '../../../shared/adapters/http/principal.js';
import { problemOf } from '../../../shared/adapters/http/problem.js';
import { Conflict, Forbidden, NotFound, ValidationError } from '../../../shared/domain/errors.js';
import { silentLogger } from '../../../shared/domain/ports/logger.js';
import { localRouteHandlers } from '../../../infra/local/api-functions.js';
import type { ApiDeps } from '../../../shared/adapters/api-deps.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { httpEvent, lambdaContext } from '../../support/http-event.js';

describe('principalFromClaims', () => {
  it('reads BusFlow claims and Cognito groups', () => {
    expect(principalFromClaims({ sub: 'u1', role: 'operator', operatorId: 'OP1' })).toEqual({ subject: 'u1', role: 'operator', operatorId: 'OP1' });
    expect(principalFromClaims({ sub: 'u2', 'cognito:groups': '[centre]' })).toEqual({ subject: 'u2', role: 'centre' });
    expect(principalFromClaims({ sub: 'u3', 'cognito:groups': ['operator'], 'custom:operatorId': 'OP9' })).toMatchObject({
      role: 'operator',
      operatorId: 'OP9',
    });
  });
  it('refuses a token without a role, or an operator without an operator', () => {
    expect(principalFromClaims({ sub: 'x' })).toBeUndefined();
    expect(principalFromClaims({ sub: 'x', role: 'operator' })).toBeUndefined();
    expect(principalFromClaims({ sub: 'x', role: 'admin' })).toBeUndefined();
  });
});

describe('problem+json', () => {
  it('maps each domain error to its status, with the failing fields', () => {
    expect(problemOf(new ValidationError([{ field: 'trips[1].sequence', message: 'duplicate' }]), '/p')).toMatchObject({
      status: 400,
      field: 'trips[1].sequence',
      instance: '/p',
      errors: [{ field: 'trips[1].sequence' }],
    });
    expect(problemOf(new Forbidden('no')).status).toBe(403);
    expect(problemOf(new NotFound('trip order', 'x')).status).toBe(404);
    expect(problemOf(new Conflict('taken')).status).toBe(409);
    const internal = problemOf(new Error('database password is hunter2'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal)).not.toContain('hunter2');
  });
});

describe('apiFunction', () => {
  const testRoute = route({
    id: 't',
    method: 'POST',
    path: '/v1/t/{id}',
    summary: 't',
    tags: [],
    auth: 'centre',
    function: 'x',
    params: z.object({ id: z.string().regex(/^\d+$/) }),
    body: z.object({ n: z.int() }),
    response: z.object({ id: z.string(), n: z.int() }),
  });
  const deps = vi.fn(async () => ({ factor: 1 }));
  const handler = apiFunction(testRoute, { deps, logger: silentLogger }, async ({ params, body, principal, requestId }, d) => {
    expect(principal).toEqual({ subject: 'c', role: 'centre' });
    expect(requestId).toBe('r1');
    return { id: params.id, n: body.n * d.factor };
  });

  it('answers with the core’s value, parsed input in, JSON out', async () => {
    const out = await handler(httpEvent(), lambdaContext);
    expect(out.statusCode).toBe(200);
    expect(out.headers!['content-type']).toBe('application/json');
    expect(JSON.parse(out.body!)).toEqual({ id: '1', n: 2 });
  });

  it('refuses a missing role (401) before bad input (400), and both before its dependencies are built', async () => {
    deps.mockClear();
    const unauthorised = await handler(httpEvent({ body: '{oops' }, null), lambdaContext);
    expect(unauthorised.statusCode).toBe(401);
    expect((await handler(httpEvent({}, { sub: 'o', role: 'operator', operatorId: 'A' }), lambdaContext)).statusCode).toBe(403);
    const badPath = await handler(httpEvent({ pathParameters: { id: 'abc' } }), lambdaContext);
    expect(badPath.statusCode).toBe(400);
    expect(badPath.headers!['content-type']).toBe('application/problem+json');
    expect(JSON.parse(badPath.body!).field).toBe('id');
    expect(JSON.parse((await handler(httpEvent({ body: '{"n":1.5}' }), lambdaContext)).body!).field).toBe('n');
    expect(JSON.parse((await handler(httpEvent({ body: '{oops' }), lambdaContext)).body!).detail).toMatch(/not valid JSON/);
    expect(deps).not.toHaveBeenCalled();
  });

  it('answers 500 without detail when the core’s value breaks the route’s response schema, and logs the issues', async () => {
    const logger = recordingLogger();
    const wrong = apiFunction(testRoute, { deps, logger }, async ({ params }) => ({ id: Number(params.id), n: 2 }));
    const out = await wrong(httpEvent(), lambdaContext);
    expect(out.statusCode).toBe(500);
    expect(JSON.parse(out.body!)).toMatchObject({ status: 500, title: 'Internal error' });
    expect(out.body).not.toContain('expected string');
    expect(logger.entries[0]).toMatchObject({ level: 'error', extra: { requestId: 'r1', route: 't', issues: [{ path: 'id' }] } });
    // Turned off (validateResponses: false), the answer goes out as the core gave it.
    const unchecked = apiFunction(testRoute, { deps, logger, validateResponses: false }, async ({ params }) => ({ id: Number(params.id), n: 2 }));
    expect((await unchecked(httpEvent(), lambdaContext)).statusCode).toBe(200);
  });

  it('answers 500 and logs when the dependencies cannot be built', async () => {
    const logger = recordingLogger();
    const broken = apiFunction(testRoute, { deps: async () => Promise.reject(new Error('no table')), logger }, async () => ({ id: '1', n: 1 }));
    expect((await broken(httpEvent(), lambdaContext)).statusCode).toBe(500);
    expect(logger.entries[0]).toMatchObject({ level: 'error', message: 'request failed' });
  });
});

describe('the catalogue’s routes', () => {
  it('each have a handler in the function they name', () => {
    const handlerFor = localRouteHandlers({ logger: silentLogger } as unknown as ApiDeps);
    for (const r of allApiRoutes) expect(() => handlerFor(r), r.id).not.toThrow();
    expect(new Set(allApiRoutes.map((r) => `${r.method} ${r.path}`)).size).toBe(allApiRoutes.length);
  });

  it('each declare what they answer', () => {
    expect(allApiRoutes.filter((r) => !r.response).map((r) => r.id)).toEqual([]);
  });
});
