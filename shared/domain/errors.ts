/**
 * Typed domain errors. The domain throws them; the HTTP layer maps them to RFC 9457 problem+json in one place
 * (`status` is the HTTP status it maps to). Nothing here knows about HTTP beyond that number.
 */

/** One thing wrong with an input: where (`trips[2].plannedDeparture`, '' for the whole input) and why. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Base of every domain error, so that a mapper can tell them from bugs. */
abstract class DomainError extends Error {
  abstract readonly status: 400 | 403 | 404 | 409;
}

/** The input is wrong (400). Carries every issue found, not only the first. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  readonly status = 400 as const;
  readonly issues: readonly FieldIssue[];

  constructor(field: string, message: string);
  constructor(issues: readonly FieldIssue[]);
  constructor(fieldOrIssues: string | readonly FieldIssue[], message?: string) {
    const issues = typeof fieldOrIssues === 'string' ? [{ field: fieldOrIssues, message: message ?? 'invalid' }] : [...fieldOrIssues];
    if (issues.length === 0) issues.push({ field: '', message: 'invalid' });
    super(issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '));
    this.issues = issues;
  }

  /** The first failing field, for callers that report one. */
  get field(): string {
    return this.issues[0]!.field;
  }

  /** From a failed zod parse (any zod version: only `issues[].path/message` are read). */
  static fromZod(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, prefix = ''): ValidationError {
    return new ValidationError(error.issues.map((i) => ({ field: fieldPath(i.path, prefix), message: i.message })));
  }
}

/** The thing asked for does not exist, or the caller may not know it exists (404). */
export class NotFound extends DomainError {
  override name = 'NotFound';
  readonly status = 404 as const;

  constructor(
    readonly entity: string,
    readonly id: string,
    message = `${entity} ${id} not found`,
  ) {
    super(message);
  }
}

/** The request is well formed but clashes with the current state: illegal lifecycle step, duplicate key (409). */
export class Conflict extends DomainError {
  override name = 'Conflict';
  readonly status = 409 as const;

  constructor(
    message: string,
    /** Machine-readable reason, e.g. `illegal-transition`, `duplicate-order-number`. */
    readonly code: string = 'conflict',
  ) {
    super(message);
  }
}

/** The caller is known but may not do this (403). */
export class Forbidden extends DomainError {
  override name = 'Forbidden';
  readonly status = 403 as const;

  constructor(message: string) {
    super(message);
  }
}

/** `trips[2].plannedDeparture` from a path of keys and indexes, with an optional prefix (`contracts`). */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
