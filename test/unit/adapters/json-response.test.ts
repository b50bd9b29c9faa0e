/** `jsonResponse(route)` alone: the handler's answer as an API Gateway result. */
import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { jsonResponse } from '../../../shared/adapters/http/middleware/json-response.js';
import { HttpResponse, type ApiEvent } from '../../../shared/adapters/http/http-types.js';
import { httpEvent, lambdaContext } from '../../support/http-event.js';

const answering = (answer: unknown, successStatus?: 200 | 201) =>
  middy<ApiEvent, unknown>()
    .use(jsonResponse(successStatus ? { successStatus } : {}))
    .handler(async () => answer)(httpEvent(), lambdaContext);

describe('jsonResponse', () => {
  it('sends a value as JSON with the route’s success status', async () => {
    expect(await answering({ a: 1 })).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await answering({ a: 1 }, 201)).toMatchObject({ statusCode: 201 });
  });

  it('takes the status and headers of an HttpResponse, and sends text with its own content type as it is', async () => {
    expect(await answering(new HttpResponse(201, { id: 'x' }, { location: '/v1/x' }))).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json', location: '/v1/x' },
      body: '{"id":"x"}',
    });
    expect(await answering(new HttpResponse(200, 'a,b\r\n', { 'content-type': 'text/csv' }))).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/csv' },
      body: 'a,b\r\n',
    });
  });

  it('sends bytes (the GTFS zip) base64-encoded, as API Gateway expects a binary body', async () => {
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff]);
    expect(await answering(new HttpResponse(200, bytes, { 'content-type': 'application/zip' }))).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/zip' },
      body: Buffer.from(bytes).toString('base64'),
      isBase64Encoded: true,
    });
  });
});
