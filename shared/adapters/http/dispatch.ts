/** One Lambda serving several routes: the event's routeKey picks the handler (API Gateway sets it). */
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from './http-types.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

type RouteHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

function dispatchByRouteKey(handlers: Readonly<Record<string, RouteHandler>>): RouteHandler {
  return async (event, context) => {
    const handler = handlers[event.routeKey];
    if (handler) return handler(event, context);
    return {
      statusCode: 404,
      headers: { 'content-type': PROBLEM_CONTENT_TYPE },
      body: JSON.stringify({ type: 'https://busflow.example/problems/not-found', title: 'Not found', status: 404, detail: `no route ${event.routeKey}` }),
    };
  };
}

/** The dispatcher of a function's handlers, keyed by route id as `makeHandlers` returns them. */
export function dispatchRoutes(
  routes: readonly { id: string; method: string; path: string }[],
  handlers: Readonly<Record<string, RouteHandler>>,
): RouteHandler {
  return dispatchByRouteKey(Object.fromEntries(routes.filter((r) => r.id in handlers).map((r) => [`${r.method} ${r.path}`, handlers[r.id]!])));
}
