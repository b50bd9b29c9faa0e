/** `parseRequest(route)` alone: path, query and JSON body through the route's zod schemas. */
import middy from '@middy/core';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../../shared/adapters/http/middleware/parse-request.js';
import type { ApiEvent } from '../../../shared/adapters/http/http-types.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import { httpEvent, lambdaContext } from '../../support/http-event.js';

const route = {
  params: z.object({ id: z.string().regex(/^\d+$/) }),
  query: z.object({ limit: z.coerce.number().int().max(200).default(50) }),
  body: z.object({ n: z.int(), trips: z.array(z.object({ at: z.iso.datetime() })).optional() }),
};
const parsed = middy<ApiEvent, unknown>()
  .use(parseRequest(route))
  .handler(async (event) => event.input);

async function fieldOf(event: ApiEvent): Promise<{ field: string; message: string }> {
  const err = await parsed(event, lambdaContext).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  return { field: (err as ValidationError).field, message: (err as ValidationError).message };
}

describe('parseRequest', () => {
  it('hands over the parsed path, query (with defaults and coercion) and body', async () => {
    expect(await parsed(httpEvent({ queryStringParameters: { limit: '7' } }), lambdaContext)).toEqual({
      params: { id: '1' },
      query: { limit: 7 },
      body: { n: 2 },
    });
    expect(await parsed(httpEvent(), lambdaContext)).toMatchObject({ query: { limit: 50 } });
  });

  it('reads a base64-encoded body', async () => {
    const body = Buffer.from('{"n":3}').toString('base64');
    expect(await parsed(httpEvent({ body, isBase64Encoded: true }), lambdaContext)).toMatchObject({ body: { n: 3 } });
  });

  it('names the failing field of the path, the query and the body (nested too)', async () => {
    expect((await fieldOf(httpEvent({ pathParameters: { id: 'abc' } }))).field).toBe('id');
    expect((await fieldOf(httpEvent({ queryStringParameters: { limit: '500' } }))).field).toBe('limit');
    expect((await fieldOf(httpEvent({ body: '{"n":1.5}' }))).field).toBe('n');
    expect((await fieldOf(httpEvent({ body: '{"n":1,"trips":[{"at":"2026-03-10T03:00:00Z"},{"at":"noon"}]}' }))).field).toBe('trips[1].at');
  });

  it('says when the body is missing or not JSON', async () => {
    expect((await fieldOf(httpEvent({ body: '{oops' }))).message).toMatch(/not valid JSON/);
    expect((await fieldOf(httpEvent({ body: undefined }))).message).toMatch(/JSON body is required/);
  });

  it('parses nothing a route does not declare', async () => {
    const bare = middy<ApiEvent, unknown>()
      .use(parseRequest({}))
      .handler(async (event) => event.input);
    expect(await bare(httpEvent({ body: '{oops' }), lambdaContext)).toEqual({ params: undefined, query: undefined, body: undefined });
  });
});
