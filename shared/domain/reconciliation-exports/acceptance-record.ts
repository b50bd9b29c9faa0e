/**
 * The print-ready acceptance record (biên bản nghiệm thu) of an operator-day: an HTML page with the totals, the
 * lines and a signature block for the centre and the operator. Every value is escaped.
 */
import type { DailyStatement } from '../reconciliation/types.js';
import { CLASS_LABELS, type ExportLang, STATEMENT_COLUMNS, STATEMENT_HEADERS, WORDS } from './labels.js';
import { lineCells } from './csv.js';

/** HTML-escapes text for element content and quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const money = (vnd: number, lang: ExportLang) => new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB').format(vnd);

export interface AcceptanceRecordInput {
  statement: DailyStatement;
  version: number;
  status: 'open' | 'approved';
  approval?: { approvedBy: string; approvedAt: string };
}

/** The acceptance record as a complete HTML page (UTF-8), in Vietnamese by default. */
export function acceptanceRecordHtml(input: AcceptanceRecordInput, lang: ExportLang = 'vi'): string {
  const { statement: s } = input;
  const w = WORDS[lang];
  const h = STATEMENT_HEADERS[lang];
  const t = s.totals;
  const totals: [string, string][] = [
    [w.plannedTrips!, String(t.plannedTrips)],
    [w.acceptedTrips!, String(t.acceptedTrips)],
    ...(Object.entries(t.byClass)
      .filter(([, n]) => n > 0)
      .map(([c, n]) => [`${w.byClass}: ${CLASS_LABELS[lang][c as keyof typeof CLASS_LABELS.vi]}`, String(n)]) as [string, string][]),
    [w.costBeforePenalties!, money(t.costBeforePenaltiesVnd, lang)],
    [w.penalties!, money(t.penaltiesVnd, lang)],
    [w.fareRevenue!, money(t.fareRevenueVnd, lang)],
    ...(t.revenueAboveCostVnd ? [[w.revenueAboveCost!, money(t.revenueAboveCostVnd, lang)] as [string, string]] : []),
    ...(t.revenueDueToCityVnd ? [[w.revenueDueToCity!, money(t.revenueDueToCityVnd, lang)] as [string, string]] : []),
    ...(t.bidDiscountVnd ? [[w.bidDiscount!, money(t.bidDiscountVnd, lang)] as [string, string]] : []),
    [w.subsidyPayable!, money(t.subsidyPayableVnd, lang)],
  ];
  const rows = s.lines
    .map((l) => {
      const cells = lineCells(l, lang);
      return `<tr>${STATEMENT_COLUMNS.map((c) => `<td>${escapeHtml(typeof cells[c] === 'number' && c.endsWith('Vnd') ? money(cells[c], lang) : cells[c])}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const meta: [string, string][] = [
    [w.serviceDay!, s.serviceDay],
    [w.operator!, s.operatorId],
    [w.version!, String(input.version)],
    [w.status!, input.status === 'approved' ? w.approved! : w.open!],
    ...(input.approval
      ? ([
          [w.approvedBy!, input.approval.approvedBy],
          [w.approvedAt!, input.approval.approvedAt],
        ] as [string, string][])
      : []),
    [w.inputHash!, s.inputHash],
  ];
  const table = (pairs: [string, string][]) =>
    `<table class="kv">${pairs.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(w.title)} — ${escapeHtml(s.operatorId)} ${escapeHtml(s.serviceDay)}</title>
<style>
body { font-family: "Times New Roman", serif; margin: 2cm; font-size: 11pt; }
h1 { text-align: center; font-size: 14pt; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #000; padding: 2px 4px; text-align: left; }
table.kv { width: auto; }
.signatures { display: flex; justify-content: space-around; margin-top: 3em; text-align: center; }
.signatures div { width: 40%; min-height: 8em; }
@media print { body { margin: 1cm; } }
</style>
</head>
<body>
<h1>${escapeHtml(w.title)}</h1>
${table(meta)}
<h2>${escapeHtml(w.totals)}</h2>
${table(totals)}
<p>${escapeHtml(w.rounding)}</p>
<h2>${escapeHtml(w.lines)}</h2>
<table>
<thead><tr>${STATEMENT_COLUMNS.map((c) => `<th>${escapeHtml(h[c])}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<div class="signatures">
<div><strong>${escapeHtml(w.centre)}</strong><br><em>${escapeHtml(w.sign)}</em></div>
<div><strong>${escapeHtml(w.operatorSide)}</strong><br><em>${escapeHtml(w.sign)}</em></div>
</div>
</body>
</html>
`;
}
