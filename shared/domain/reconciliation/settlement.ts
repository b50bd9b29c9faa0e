/**
 * Monthly settlement (thanh quyết toán) of one operator: per route contract, the sum of the approved days'
 * subsidy payable less the performance deductions; less the advances (tạm ứng) already paid for the month, the
 * balance. Every day of the month that is not approved is listed as outstanding, never left out silently; advances
 * larger than the month make a negative balance, stated as owed by the operator. Performance terms are read from
 * the contract version in force on the month's last day.
 */
import { contractInForce } from '../contracts/contracts.js';
import { ValidationError } from '../errors.js';
import { excessWaitTime, onTimePerformance } from './performance.js';
import { ROUNDING_RULE, type DailyStatement, type MonthlySettlement, type SettlementInput, type SettlementRoute } from './types.js';

/** The operator's settlement of a month: approved days summed per route, deductions, advances, the balance. */
export function settleMonth(input: SettlementInput): MonthlySettlement {
  const { operatorId, month } = input;
  const days = daysOfMonth(month);
  const given = new Map(input.days.filter((d) => d.serviceDay.startsWith(`${month}-`)).map((d) => [d.serviceDay, d]));
  const approved: DailyStatement[] = [];
  const outstandingDays: MonthlySettlement['outstandingDays'] = [];
  for (const day of days) {
    const d = given.get(day);
    if (d?.approved && d.statement && d.statement.operatorId === operatorId) approved.push(d.statement);
    else outstandingDays.push({ serviceDay: day, status: d?.statement ? 'pending-approval' : 'not-run' });
  }
  const approvedDays = approved.map((s) => s.serviceDay);
  const approvedSet = new Set(approvedDays);
  const lastDay = days[days.length - 1]!;

  const routeIds = [...new Set(approved.flatMap((s) => s.routes.map((r) => r.routeId)))].sort();
  const routes = routeIds.map((routeId): SettlementRoute => {
    const perDay = approved.flatMap((s) => s.routes.filter((r) => r.routeId === routeId));
    const approvedPayableVnd = perDay.reduce((a, r) => a + r.subsidyPayableVnd, 0);
    const terms = contractInForce(input.contracts, routeId, lastDay)?.performanceTerms;
    const onTime = terms?.onTimeDeparture
      ? onTimePerformance(
          approved.flatMap((s) => s.lines.filter((l) => l.routeId === routeId)),
          terms.onTimeDeparture,
          approvedPayableVnd,
        )
      : undefined;
    const ewt = terms?.excessWaitTime
      ? excessWaitTime(
          (input.journeys ?? []).filter((j) => j.routeId === routeId && j.operatorId === operatorId && approvedSet.has(j.serviceDay)),
          terms.excessWaitTime,
          approvedPayableVnd,
        )
      : undefined;
    const deductionsVnd = Math.min(approvedPayableVnd, (onTime?.deductionVnd ?? 0) + (ewt?.deductionVnd ?? 0));
    return {
      routeId,
      approvedPayableVnd,
      approvedDays: perDay.length,
      ...(onTime ? { onTime } : {}),
      ...(ewt ? { excessWaitTime: ewt } : {}),
      deductionsVnd,
      payableVnd: approvedPayableVnd - deductionsVnd,
    };
  });

  const advances = input.advances.filter((a) => a.operatorId === operatorId && a.month === month);
  const approvedTotalVnd = routes.reduce((a, r) => a + r.payableVnd, 0);
  const advancesVnd = advances.reduce((a, x) => a + x.amountVnd, 0);
  const balanceVnd = approvedTotalVnd - advancesVnd;
  return {
    operatorId,
    month,
    rounding: ROUNDING_RULE,
    routes,
    approvedDays,
    outstandingDays,
    approvedTotalVnd,
    advancesVnd,
    advances,
    balanceVnd,
    balanceStatus: balanceVnd > 0 ? 'payable-to-operator' : balanceVnd < 0 ? 'owed-by-operator' : 'settled',
  };
}

/** The calendar days (YYYY-MM-DD) of a month YYYY-MM. */
export function daysOfMonth(month: string): string[] {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const year = Number(m?.[1]);
  const mon = Number(m?.[2]);
  if (!m || mon < 1 || mon > 12) throw new ValidationError('month', `expected YYYY-MM, got ${JSON.stringify(month)}`);
  const count = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}
