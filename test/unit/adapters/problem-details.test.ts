/** `problemDetails()` alone: every thrown error as RFC 9457 problem+json, logged by its class. */
import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { problemDetails } from '../../../shared/adapters/http/middleware/problem-details.js';
import { InvalidResponse } from '../../../shared/adapters/http/middleware/validate-response.js';
import type { ApiEvent } from '../../../shared/adapters/http/http-types.js';
import { Conflict, ValidationError } from '../../../shared/domain/errors.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { httpEvent, lambdaContext } from '../../support/http-event.js';

function throwing(err: Error, headers: Record<string, string> = {}) {
  const logger = recordingLogger();
  const handler = middy<ApiEvent, unknown>()
    .use(problemDetails({ logger, routeId: 'r' }))
    .handler(async () => {
      throw err;
    });
  return { logger, result: handler(httpEvent({ headers }), lambdaContext) as Promise<{ statusCode: number; headers: Record<string, string>; body: string }> };
}

describe('problemDetails', () => {
  it('answers a 4xx as problem+json with the failing field, logged at info', async () => {
    const { logger, result } = throwing(new ValidationError('trips[2].plannedDeparture', 'outside the service day'));
    const out = await result;
    expect(out.statusCode).toBe(400);
    expect(out.headers).toEqual({ 'content-type': 'application/problem+json', 'x-request-id': 'r1' });
    expect(JSON.parse(out.body)).toMatchObject({ status: 400, field: 'trips[2].plannedDeparture', instance: '/v1/t/1' });
    expect(logger.entries).toEqual([
      expect.objectContaining({ level: 'info', message: 'request refused', extra: expect.objectContaining({ requestId: 'r1', status: 400 }) }),
    ]);
    expect((await throwing(new Conflict('taken')).result).statusCode).toBe(409);
  });

  it('answers a 5xx without detail and logs it with the request id the caller sent and the cause', async () => {
    const { logger, result } = throwing(new Error('database password is hunter2'), { 'x-request-id': 'client-7' });
    const out = await result;
    expect(out.statusCode).toBe(500);
    expect(out.headers['x-request-id']).toBe('client-7');
    expect(out.body).not.toContain('hunter2');
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0]).toMatchObject({ level: 'error', extra: { requestId: 'client-7', route: 'r' } });
    expect(logger.entries[0]!.extra.error).toContain('hunter2');
  });

  it('logs the zod issues of an answer that did not match its schema', async () => {
    const { logger, result } = throwing(new InvalidResponse('r', [{ path: 'items[0].id', message: 'expected string' }]));
    expect((await result).statusCode).toBe(500);
    expect(logger.entries[0]!.extra.issues).toEqual([{ path: 'items[0].id', message: 'expected string' }]);
  });
});
