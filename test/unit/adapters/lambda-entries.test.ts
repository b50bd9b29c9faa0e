/** The Lambda entry modules dispatch API Gateway events by route key, as deployed. */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as openapi } from '../../../functions/api-openapi/handler.js';
import { handler as tripOrders } from '../../../functions/api-trip-orders/handler.js';
import { handler as journeys } from '../../../functions/api-journeys/handler.js';
import type { HttpEvent } from '../../../shared/adapters/http/http-handler.js';

const event = (routeKey: string) => ({ routeKey, rawPath: '/x', headers: {}, isBase64Encoded: false, requestContext: { requestId: 'r' } }) as unknown as HttpEvent;
const ctx = {} as Context;

describe('Lambda entries', () => {
  it('serve their routes and answer 404 problem+json for any other', async () => {
    const doc = await openapi(event('GET /v1/openapi.json'), ctx);
    expect(doc.statusCode).toBe(200);
    expect(JSON.parse(doc.body!).openapi).toBe('3.1.0');
    for (const h of [openapi, tripOrders, journeys]) {
      const other = await h(event('GET /v1/nothing'), ctx);
      expect(other.statusCode).toBe(404);
      expect(other.headers!['content-type']).toBe('application/problem+json');
    }
    // A protected route refuses a call without claims before touching any storage.
    expect((await tripOrders(event('GET /v1/trip-orders'), ctx)).statusCode).toBe(401);
  });
});
