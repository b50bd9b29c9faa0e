/** `validateResponse(route)` alone: the handler's answer against the route's declared response schema. */
import middy from '@middy/core';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { InvalidResponse, validateResponse } from '../../../shared/adapters/http/middleware/validate-response.js';
import { HttpResponse, type ApiEvent } from '../../../shared/adapters/http/http-types.js';
import { httpEvent, lambdaContext } from '../../support/http-event.js';

const response = z.object({ items: z.array(z.object({ id: z.string(), seats: z.int() })), nextCursor: z.string().optional() });
const answering = (answer: unknown, route: { response?: z.ZodType } = { response }) =>
  middy<ApiEvent, unknown>()
    .use(validateResponse({ id: 'listThings', ...route }))
    .handler(async () => answer)(httpEvent(), lambdaContext);

describe('validateResponse', () => {
  it('lets an answer that matches its schema through unchanged', async () => {
    const answer = { items: [{ id: 'a', seats: 40 }] };
    expect(await answering(answer)).toBe(answer);
    const created = new HttpResponse(201, { items: [] }, { location: '/x' });
    expect(await answering(created)).toBe(created);
  });

  it('refuses an answer that does not, naming every issue with its path', async () => {
    const err = await answering({
      items: [
        { id: 'a', seats: 40 },
        { id: 7, seats: 1.5 },
      ],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidResponse);
    expect((err as InvalidResponse).issues.map((i) => i.path)).toEqual(['items[1].id', 'items[1].seats']);
    expect((err as InvalidResponse).message).toContain('listThings');
    await expect(answering(new HttpResponse(200, { items: 'none' }))).rejects.toThrow(InvalidResponse);
  });

  it('checks nothing when the route declares no response, nor an answer that is not a success', async () => {
    expect(await answering({ anything: true }, {})).toEqual({ anything: true });
    const accepted = new HttpResponse(302, undefined, { location: '/elsewhere' });
    expect(await answering(accepted)).toBe(accepted);
  });
});
