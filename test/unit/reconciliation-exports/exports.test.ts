/** The statement and settlement CSVs (BOM, Vietnamese or English headers, totals) and the acceptance record page. */
import { describe, expect, it } from 'vitest';
import { reconcileDay } from '../../../shared/domain/reconciliation/statement.js';
import type { MonthlySettlement } from '../../../shared/domain/reconciliation/types.js';
import { acceptanceRecordHtml, escapeHtml } from '../../../shared/domain/reconciliation-exports/acceptance-record.js';
import { settlementCsv, statementCsv } from '../../../shared/domain/reconciliation-exports/csv.js';
import { workedExample } from '../reconciliation/fixtures.js';

const statement = reconcileDay(workedExample());
const rowsOf = (csv: string) => csv.slice(1).trimEnd().split('\r\n');

describe('the statement CSV', () => {
  it('is UTF-8 with a BOM, Vietnamese headers first, a row per line and the totals last', () => {
    const csv = statementCsv(statement);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = rowsOf(csv);
    expect(rows[0]).toBe(
      'Lệnh vận chuyển,Tuyến,Lượt,Biển kiểm soát,Lái xe,Giờ xuất bến kế hoạch,Giờ xuất bến thực tế,Phân loại,Số trạm dừng,Số trạm bỏ,Trạm bỏ,Số trạm thiếu dữ liệu,Đơn giá (VND),Thành tiền (VND),Giảm trừ (VND),Doanh thu vé (VND),Trợ giá được thanh toán (VND),Lý do,Ghi chú',
    );
    expect(rows).toHaveLength(statement.lines.length + 2);
    expect(rows[1]).toMatch(/^LVC-O1,R1,1,51B-B1,D-B1,06:00,06:00,Hoàn thành,19\/20,1,S10,0,1250000,1250000,50000,420000,1200000,/);
    expect(rows[2]).toContain(',08:00,08:08,Trễ giờ,');
    expect(rows.at(-1)).toMatch(/^Tổng cộng,,4,.*,3125000,250000,1040000,1835000,/);
  });

  it('has English headers and classes with lang=en', () => {
    const rows = rowsOf(statementCsv(statement, 'en'));
    expect(rows[0]!.startsWith('Trip order,Route,Trip,Plate,Driver,Planned departure,Actual departure,Class,')).toBe(true);
    expect(rows.some((r) => r.includes(',Unscheduled,'))).toBe(true);
  });

  it('quotes text a spreadsheet would run as a formula', () => {
    const formula = '=HYPERLINK("http://x","y")';
    const tampered = { ...statement, lines: [{ ...statement.lines[0]!, reason: formula, reasonVi: formula }] };
    expect(rowsOf(statementCsv(tampered))[1]).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(rowsOf(statementCsv(tampered, 'en'))[1]).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('gives the reason in Vietnamese, in English with lang=en', () => {
    const t1vi = 'hoàn thành: xuất bến đúng giờ, trong dung sai -1/+5 phút (giới hạn trễ 30 phút); đã ghé 19/20 trạm, bỏ 1 trạm (S10)';
    const t1en = 'completed: departed on the minute, within the tolerance -1/+5 min, late limit 30 min; 19/20 stops visited, 1 skipped (S10)';
    const vi = rowsOf(statementCsv(statement))[1]!;
    expect(vi).toContain(`,"${t1vi}",`);
    expect(vi).not.toContain('completed:');
    expect(rowsOf(statementCsv(statement, 'en'))[1]).toContain(`,"${t1en}",`);
  });

  it('falls back to the English reason on a statement stored before the Vietnamese one existed', () => {
    const { reasonVi: _vi, ...stored } = statement.lines[3]!;
    expect(rowsOf(statementCsv({ ...statement, lines: [stored] }))[1]).toContain(
      ',"missed: not run (no trip performed matches it, no terminal confirmation)",',
    );
  });
});

describe('the settlement CSV', () => {
  it('lists routes, the approved total, advances, the balance and the outstanding days', () => {
    const s: MonthlySettlement = {
      operatorId: 'SGB',
      month: '2026-11',
      rounding: statement.rounding,
      routes: [{ routeId: 'R1', approvedPayableVnd: 1_835_000, approvedDays: 1, deductionsVnd: 0, payableVnd: 1_835_000 }],
      approvedDays: ['2026-11-26'],
      outstandingDays: [{ serviceDay: '2026-11-27', status: 'pending-approval' }],
      approvedTotalVnd: 1_835_000,
      advancesVnd: 5_000_000,
      advances: [{ operatorId: 'SGB', month: '2026-11', amountVnd: 5_000_000 }],
      balanceVnd: -3_165_000,
      balanceStatus: 'owed-by-operator',
    };
    const rows = rowsOf(settlementCsv(s));
    expect(rows[0]).toBe('Tuyến,Số ngày đã nghiệm thu,Trợ giá đã nghiệm thu (VND),Giảm trừ chất lượng (VND),Trợ giá được thanh toán (VND)');
    expect(rows.slice(1)).toEqual([
      'R1,1,1835000,0,1835000',
      'Tổng trợ giá đã nghiệm thu (VND),,,,1835000',
      'Đã tạm ứng (VND),,,,5000000',
      'Còn phải thanh toán (VND),,,,-3165000',
      'Ngày chưa nghiệm thu,1,2026-11-27,,',
    ]);
  });
});

describe('the acceptance record', () => {
  it('is a Vietnamese page with the totals, the lines and both signature blocks', () => {
    const html = acceptanceRecordHtml({
      statement,
      version: 2,
      status: 'approved',
      approval: { approvedBy: 'centre-1', approvedAt: '2026-11-27T02:00:00.000Z' },
    });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('BIÊN BẢN NGHIỆM THU');
    expect(html).toContain('Trợ giá được thanh toán (VND)</th><td>1.835.000</td>');
    expect(html).toContain('ĐẠI DIỆN TRUNG TÂM QUẢN LÝ GIAO THÔNG CÔNG CỘNG');
    expect(html).toContain('ĐẠI DIỆN ĐƠN VỊ VẬN TẢI');
    expect(html.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(statement.lines.length);
    expect(html).toContain('<td>trễ: xuất bến trễ 8 phút, ngoài dung sai -1/+5 phút nhưng trong giới hạn trễ 30 phút; đã ghé 20/20 trạm</td>');
    expect(html).not.toContain('late: departed');
  });

  it('in English gives the English reason', () => {
    const html = acceptanceRecordHtml({ statement, version: 1, status: 'open' }, 'en');
    expect(html).toContain(
      '<td>late: departed 8:00 late, outside the tolerance but within the late limit (tolerance -1/+5 min, late limit 30 min); 20/20 stops visited</td>',
    );
    expect(html).not.toContain('xuất bến trễ');
  });

  it('escapes every value', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    const hostile = { ...statement, operatorId: '<img src=x onerror=alert(1)>', lines: [{ ...statement.lines[0]!, reason: '<b>bold</b>' }] };
    const html = acceptanceRecordHtml({ statement: hostile, version: 1, status: 'open' }, 'en');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });
});
