/**
 * Monthly settlement (thanh quyết toán): approved days per route contract, performance deductions, advances.
 */
import type { MonthlySettlement, SettlementInput } from './types.js';

/** The operator's settlement of a month: approved days summed per route, deductions, advances, the balance. */
export function settleMonth(_input: SettlementInput): MonthlySettlement {
  throw new Error('not yet');
}
