/**
 * The daily run: match, classify, price and total one operator's service day into a statement.
 */
import type { DailyStatement, ReconciliationInput } from './types.js';

/** The statement of one operator-day from its inputs: deterministic, the same input gives the same statement. */
export function reconcileDay(_input: ReconciliationInput): DailyStatement {
  throw new Error('not yet');
}
