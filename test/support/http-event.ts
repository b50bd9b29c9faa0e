/** API Gateway HTTP API events for unit tests of the HTTP layer, without a server. */
import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../shared/adapters/http/http-types.js';

export const lambdaContext = { functionName: 'test', awsRequestId: 'aws-r1' } as Context;

export function httpEvent(over: Partial<HttpEvent> = {}, claims: Record<string, string> | null = { sub: 'c', role: 'centre' }): HttpEvent {
  return {
    version: '2.0',
    routeKey: 'POST /v1/t/{id}',
    rawPath: '/v1/t/1',
    rawQueryString: '',
    pathParameters: { id: '1' },
    body: '{"n":2}',
    isBase64Encoded: false,
    headers: {},
    requestContext: { requestId: 'r1', authorizer: claims ? { jwt: { claims, scopes: [] } } : undefined },
    ...over,
  } as unknown as HttpEvent;
}
