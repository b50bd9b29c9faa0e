/**
 * The Lambda entry of an API function, written once: Powertools Logger (the request's `x-request-id` as the
 * correlation id of every log line) and Tracer around the dispatcher of the function's routes. Dependencies are
 * built once per cold start, on the first request that needs them.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { allApiRoutes } from '../../api/index.js';
import type { Logger } from '../../domain/ports/logger.js';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../logger.js';
import type { ApiFunctionEnv, ApiHandler } from './api-function.js';
import { dispatchRoutes } from './dispatch.js';
import type { HttpEvent, HttpResult } from './http-types.js';

/**
 * Where Powertools finds the correlation id in an HTTP API event: the caller's `x-request-id`, else API Gateway's
 * request id — the one the access log, the problem+json answers and the `x-request-id` header of errors carry.
 */
const CORRELATION_ID_PATH = 'headers."x-request-id" || requestContext.requestId';

export function apiLambda<D>(
  service: string,
  makeHandlers: (env: ApiFunctionEnv<D>) => Readonly<Record<string, ApiHandler>>,
  createDeps: (config: Config, logger: Logger) => Promise<D>,
): middy.MiddyfiedHandler<HttpEvent, HttpResult, Error, Context> {
  const config = loadConfig();
  const logger = createLogger(service, { correlationIdSearchFn: searchPath });
  const tracer = new Tracer({ serviceName: service });
  let deps: Promise<D> | undefined;
  const handlers = makeHandlers({ deps: () => (deps ??= createDeps(config, logger)), logger, validateResponses: config.validateResponses });
  return middy<HttpEvent, HttpResult, Error, Context>(dispatchRoutes(allApiRoutes, handlers))
    .use(injectLambdaContext(logger, { correlationIdPath: CORRELATION_ID_PATH }))
    .use(captureLambdaHandler(tracer));
}

/**
 * The JMESPath subset correlation paths use: dotted names, quoted where they hold other characters
 * (`headers."x-request-id"`), and `||` between alternatives. Powertools' full JMESPath search is an optional package this project does not ship.
 */
export function searchPath(expression: string, data: unknown): unknown {
  // `a || b`: the first path that finds a value, as JMESPath's or-expression.
  if (expression.includes('||')) {
    for (const alternative of expression.split('||')) {
      const found = searchPath(alternative.trim(), data);
      if (found !== undefined && found !== null && found !== '') return found;
    }
    return undefined;
  }
  const names: string[] = [];
  const token = /\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_]*))\s*(\.|$)/y;
  while (token.lastIndex < expression.length) {
    const m = token.exec(expression);
    if (!m) return undefined;
    names.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
    if (m[3] === '') break;
  }
  let at: unknown = data;
  for (const name of names) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[name];
  }
  return at;
}
