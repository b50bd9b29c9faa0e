/**
 * Versions: what changed between two statements of the same operator-day, line by line, and why.
 */
import type { DailyStatement, StatementDiff } from './types.js';

/** The lines added, removed and changed (from what to what, and why) between two versions, and the totals' changes. */
export function diffStatements(_previous: DailyStatement, _next: DailyStatement): StatementDiff {
  throw new Error('not yet');
}
