/** `authorize(route)` alone: the caller from the JWT claims against the route's auth. */
import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { authorize } from '../../../shared/adapters/http/middleware/authorize.js';
import type { ApiEvent } from '../../../shared/adapters/http/http-types.js';
import { Unauthorized } from '../../../shared/adapters/http/problem.js';
import { Forbidden } from '../../../shared/domain/errors.js';
import { httpEvent, lambdaContext } from '../../support/http-event.js';

const callerOf = (auth: 'public' | 'centre' | 'operator' | 'centreOrOperator') =>
  middy<ApiEvent, unknown>()
    .use(authorize({ auth }))
    .handler(async (event) => event.principal ?? 'nobody');

const operator = { sub: 'o', role: 'operator', operatorId: 'SGB' };

describe('authorize', () => {
  it('hands the caller of a protected route to the handler', async () => {
    expect(await callerOf('centreOrOperator')(httpEvent({}, operator), lambdaContext)).toEqual({ subject: 'o', role: 'operator', operatorId: 'SGB' });
    expect(await callerOf('centre')(httpEvent(), lambdaContext)).toEqual({ subject: 'c', role: 'centre' });
  });

  it('lets anyone call a public route, with no caller', async () => {
    expect(await callerOf('public')(httpEvent({}, null), lambdaContext)).toBe('nobody');
  });

  it('refuses claims without a known role (401) before the handler runs', async () => {
    await expect(callerOf('centre')(httpEvent({}, null), lambdaContext)).rejects.toThrow(Unauthorized);
    await expect(callerOf('centre')(httpEvent({}, { sub: 'x', role: 'admin' }), lambdaContext)).rejects.toThrow(Unauthorized);
    await expect(callerOf('operator')(httpEvent({}, { sub: 'x', role: 'operator' }), lambdaContext)).rejects.toThrow(Unauthorized);
  });

  it('refuses the wrong role (403)', async () => {
    await expect(callerOf('centre')(httpEvent({}, operator), lambdaContext)).rejects.toThrow(Forbidden);
    await expect(callerOf('operator')(httpEvent(), lambdaContext)).rejects.toThrow(Forbidden);
  });
});
