/**
 * Errors as RFC 9457 problem details (`application/problem+json`), in one place: a typed domain error becomes
 * its status; anything else is a 500 whose detail is not shown to the caller.
 */
import { Conflict, Forbidden, NotFound, ValidationError } from '../../domain/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const BASE = 'https://busflow.example/problems';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** The first failing field, e.g. `trips[2].plannedDeparture`. */
  field?: string;
  /** Every failing field, for forms that show them all. */
  errors?: { field: string; message: string }[];
}

export class Unauthorized extends Error {
  override name = 'Unauthorized';
}

class TooManyRequests extends Error {
  override name = 'TooManyRequests';
}

export function problemOf(err: unknown, instance?: string): Problem {
  const base = (type: string, title: string, status: number, detail?: string): Problem => ({
    type: `${BASE}/${type}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...(instance ? { instance } : {}),
  });
  if (err instanceof ValidationError) {
    const errors = err.issues.map((i) => ({ field: i.field, message: i.message }));
    return { ...base('validation', 'Invalid request', 400, err.message), ...(errors[0] ? { field: errors[0].field } : {}), errors };
  }
  if (err instanceof Unauthorized) return base('unauthorized', 'Authentication required', 401, err.message);
  if (err instanceof Forbidden) return base('forbidden', 'Not allowed', 403, err.message);
  if (err instanceof NotFound) return base('not-found', 'Not found', 404, err.message);
  if (err instanceof Conflict) return base('conflict', 'Conflict', 409, err.message);
  if (err instanceof TooManyRequests) return base('throttled', 'Too many requests', 429, err.message);
  return base('internal', 'Internal error', 500, 'The request could not be completed; it has been logged.');
}
