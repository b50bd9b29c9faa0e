import type { z } from 'zod';

/** `records[3].lat` from a zod issue path, with an optional prefix for the element it was found in. */
function issuePath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** The first issue of a failed parse, as a field path and a readable sentence. */
export function firstIssue(error: z.ZodError, prefix = ''): { field: string; reason: string } {
  const issue = error.issues[0];
  if (!issue) return { field: prefix, reason: 'invalid' };
  const field = issuePath(issue.path, prefix);
  return { field, reason: field ? `${field}: ${issue.message}` : issue.message };
}
