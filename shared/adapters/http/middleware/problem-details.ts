/**
 * Middleware: every error thrown by the layers inside it (authorisation, parsing, the function, response
 * validation) becomes RFC 9457 problem+json (`problemOf`), with the request id a caller can quote. A 5xx is
 * answered without detail and logged as an error with the request id and the cause (the zod issues of a response
 * that did not match its schema); a 4xx is logged at info.
 */
import type { Logger } from '../../../domain/ports/logger.js';
import { requestIdOf, type ApiMiddleware } from '../http-types.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../problem.js';
import { InvalidResponse } from './validate-response.js';

export interface ProblemDetailsOptions {
  logger: Logger;
  /** Named in the logs. */
  routeId?: string;
}

export function problemDetails(opts: ProblemDetailsOptions): ApiMiddleware {
  return {
    onError: (request) => {
      const err = request.error;
      const requestId = requestIdOf(request.event);
      const problem = problemOf(err, request.event.rawPath);
      const route = opts.routeId ? { route: opts.routeId } : {};
      if (problem.status >= 500) {
        opts.logger.error('request failed', {
          requestId,
          ...route,
          error: err?.stack ?? String(err),
          ...(err instanceof InvalidResponse ? { issues: err.issues } : {}),
        });
      } else {
        opts.logger.info('request refused', { requestId, ...route, status: problem.status, field: problem.field, detail: problem.detail });
      }
      request.response = {
        statusCode: problem.status,
        headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': requestId },
        body: JSON.stringify(problem),
      };
    },
  };
}
