/**
 * CSV exports of a daily statement and of a monthly settlement: UTF-8 with a byte-order mark (so that Excel
 * shows Vietnamese), CRLF line ends, headers in Vietnamese by default or English.
 */
import { localHhmm } from '../../kernel/time/service-day.js';
import type { DailyStatement, MonthlySettlement, StatementLine } from '../reconciliation/types.js';
import {
  CLASS_LABELS,
  type ExportLang,
  SETTLEMENT_COLUMNS,
  SETTLEMENT_HEADERS,
  STATEMENT_COLUMNS,
  STATEMENT_HEADERS,
  type StatementColumn,
  WORDS,
} from './labels.js';

const BOM = '\uFEFF';
type Cell = string | number | undefined;

/** A CSV field per RFC 4180; text that a spreadsheet would run as a formula is quoted with a leading apostrophe. */
function field(v: Cell): string {
  if (v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: readonly string[], rows: readonly Cell[][]): string {
  return `${BOM}${[header, ...rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}

/** The line's notes: flagged, swapped, resolved. */
function lineNotes(line: StatementLine, lang: ExportLang): string {
  const w = WORDS[lang];
  const notes: string[] = [];
  if (line.kind === 'unscheduled') notes.push(w.unscheduledFlag!);
  if (line.evidence.vehicleSwap) notes.push(`${w.swap}: ${line.evidence.vehicleSwap.plannedBusId} → ${line.evidence.vehicleSwap.performedBusId}`);
  if (line.resolution)
    notes.push(`${w.resolution}: ${CLASS_LABELS[lang][line.resolution.classBefore]} → ${line.resolution.decision} (${line.resolution.reason})`);
  return notes.join('; ');
}

/** One line's cells, by column. */
export function lineCells(line: StatementLine, lang: ExportLang): Record<StatementColumn, Cell> {
  const e = line.evidence;
  const performedBus = e.performedTrip?.busId;
  return {
    orderNumber: line.planned?.orderNumber,
    routeId: line.routeId,
    sequence: line.planned?.sequence,
    plate: line.planned?.plate ?? performedBus,
    driverId: line.planned?.driverId,
    plannedDeparture: line.planned ? localHhmm(line.planned.plannedDepartureMs) : undefined,
    actualDeparture: e.actualDepartureMs !== undefined ? localHhmm(e.actualDepartureMs) : undefined,
    class: CLASS_LABELS[lang][line.class],
    stopsVisited: e.stops ? `${e.stops.visited}/${e.stops.total}` : undefined,
    stopsSkipped: e.stops?.skipped,
    skippedStopIds: e.stops?.skippedStopIds.join(' '),
    stopsUnobserved: e.stops?.unobserved,
    unitCostVnd: line.unitCostVnd,
    amountVnd: line.amountVnd,
    penaltiesVnd: line.penalties.totalVnd,
    fareRevenueVnd: e.fareRevenueVnd,
    subsidyPaidVnd: Math.max(0, line.amountVnd - line.penalties.totalVnd),
    // Statements stored before the Vietnamese reason existed have only the English one.
    reason: lang === 'vi' ? (line.reasonVi ?? line.reason) : line.reason,
    notes: lineNotes(line, lang),
  };
}

/** The statement as CSV: a row per line, then the day's totals (fares and the bid discount are per route, so the subsidy payable is the day's). */
export function statementCsv(statement: DailyStatement, lang: ExportLang = 'vi'): string {
  const headers = STATEMENT_HEADERS[lang];
  const rows = statement.lines.map((l) => {
    const cells = lineCells(l, lang);
    return STATEMENT_COLUMNS.map((c) => cells[c]);
  });
  const t = statement.totals;
  const total: Record<StatementColumn, Cell> = {
    orderNumber: WORDS[lang].total,
    routeId: undefined,
    sequence: t.plannedTrips,
    plate: undefined,
    driverId: undefined,
    plannedDeparture: undefined,
    actualDeparture: undefined,
    class: `${t.acceptedTrips}/${t.plannedTrips}`,
    stopsVisited: undefined,
    stopsSkipped: undefined,
    skippedStopIds: undefined,
    stopsUnobserved: undefined,
    unitCostVnd: undefined,
    amountVnd: t.costBeforePenaltiesVnd,
    penaltiesVnd: t.penaltiesVnd,
    fareRevenueVnd: t.fareRevenueVnd,
    subsidyPaidVnd: t.subsidyPayableVnd,
    reason: WORDS[lang].rounding,
    notes: undefined,
  };
  rows.push(STATEMENT_COLUMNS.map((c) => total[c]));
  return csv(
    STATEMENT_COLUMNS.map((c) => headers[c]),
    rows,
  );
}

/** The settlement as CSV: a row per route, then the approved total, the advances and the balance, and the outstanding days. */
export function settlementCsv(s: MonthlySettlement, lang: ExportLang = 'vi'): string {
  const w = WORDS[lang];
  const rows: Cell[][] = s.routes.map((r) => [r.routeId, r.approvedDays, r.approvedPayableVnd, r.deductionsVnd, r.payableVnd]);
  rows.push([w.approvedTotal, undefined, undefined, undefined, s.approvedTotalVnd]);
  rows.push([w.advances, undefined, undefined, undefined, s.advancesVnd]);
  rows.push([w.balance, undefined, undefined, undefined, s.balanceVnd]);
  if (s.outstandingDays.length)
    rows.push([w.outstanding, s.outstandingDays.length, s.outstandingDays.map((d) => d.serviceDay).join(' '), undefined, undefined]);
  return csv(
    SETTLEMENT_COLUMNS.map((c) => SETTLEMENT_HEADERS[lang][c]),
    rows,
  );
}
