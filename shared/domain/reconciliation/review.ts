/**
 * Review: the centre's resolutions of needs-review lines applied to a statement, totals recomputed.
 */
import type { RouteContract } from '../contracts/schemas.js';
import type { DailyStatement, LineResolution } from './types.js';

/** The statement with the resolutions applied to its needs-review lines and its totals recomputed. */
export function applyResolutions(_statement: DailyStatement, _resolutions: readonly LineResolution[], _contracts: readonly RouteContract[]): DailyStatement {
  throw new Error('not yet');
}
