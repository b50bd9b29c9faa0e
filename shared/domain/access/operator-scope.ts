/**
 * "An operator sees and changes only its own": written once. The centre (and the system) see everything; an
 * operator's filters are narrowed to its own operator, and asking for another operator's data is a Forbidden.
 */
import { Forbidden } from '../errors.js';

/** Who is asking, as far as scoping cares: an HTTP principal or a trip-order actor both fit. */
export interface Caller {
  role: 'centre' | 'operator' | 'system';
  operatorId?: string;
}

/** `filter` as `caller` may use it: an operator's always names its own operator. */
// `T & { operatorId?: string }` rather than `T extends { operatorId?: string }`: a filter that names no operator
// (`{ serviceDay }`) has nothing in common with that all-optional type, which TypeScript refuses as a constraint.
export function scopedToCaller<T extends object>(caller: Caller | undefined, filter: T & { operatorId?: string }, what: string): T & { operatorId?: string } {
  if (caller?.role !== 'operator') return filter;
  if (filter.operatorId !== undefined && filter.operatorId !== caller.operatorId) {
    throw new Forbidden(`operatorId: an operator sees only its own ${what} (${caller.operatorId})`);
  }
  return { ...filter, operatorId: caller.operatorId };
}

/** Refuses an operator reaching for `what` that belongs to another operator (`operatorId`). */
export function assertCallerOwns(caller: Caller | undefined, operatorId: string, what: string): void {
  if (caller?.role === 'operator' && caller.operatorId !== operatorId) throw new Forbidden(`${what} belongs to another operator`);
}
