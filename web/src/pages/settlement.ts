/**
 * Monthly settlement `/settlement` (thanh quyết toán): an operator's month — the approved days' payable per
 * route, the performance deductions, the advances paid (tạm ứng), the balance, and the days not yet run or
 * approved. Reached from the reconciliation page; an operator sees only its own month.
 */
import { api, seg } from '../api.js';
import type { RouteSummary } from '../api-types.js';
import { h } from '../dom.js';
import { dayText, downloadExport, percent, vnd } from '../format.js';
import { defineMessages, lang } from '../i18n.js';
import type { Page } from '../page.js';
import { todayServiceDay } from '../service-day.js';

interface Settlement {
  operatorId: string;
  month: string;
  routes: {
    routeId: string;
    approvedPayableVnd: number;
    approvedDays: number;
    onTime?: { onTimeShare: number; minShare: number; deductionVnd: number; met: boolean };
    excessWaitTime?: { ewtMin: number; thresholdMin: number; deductionVnd: number; met: boolean };
    deductionsVnd: number;
    payableVnd: number;
  }[];
  approvedDays: string[];
  outstandingDays: { serviceDay: string; status: 'not-run' | 'pending-approval' }[];
  approvedTotalVnd: number;
  advancesVnd: number;
  advances: { amountVnd: number; paidOn?: string; reference?: string }[];
  balanceVnd: number;
  balanceStatus: 'payable-to-operator' | 'owed-by-operator' | 'settled';
}

const t = defineMessages({
  vi: {
    title: 'Quyết toán tháng',
    operator: 'Doanh nghiệp',
    month: 'Tháng',
    show: 'Xem',
    pickOperator: 'Chọn doanh nghiệp để xem quyết toán.',
    route: 'Tuyến',
    days: 'Ngày đã duyệt',
    approvedPayable: 'Trợ giá đã duyệt',
    onTime: 'Đúng giờ (tối thiểu)',
    ewt: 'Thời gian chờ vượt (ngưỡng)',
    deductions: 'Khấu trừ',
    payable: 'Phải trả',
    approvedTotal: 'Phải trả sau khấu trừ',
    advances: 'Đã tạm ứng',
    balance: 'Còn lại',
    'balance.payable-to-operator': 'Trung tâm còn phải trả doanh nghiệp',
    'balance.owed-by-operator': 'Doanh nghiệp phải hoàn lại',
    'balance.settled': 'Đã tất toán',
    approvedDaysList: 'Các ngày đã duyệt',
    outstanding: 'Các ngày chưa xong',
    'out.not-run': 'chưa đối soát',
    'out.pending-approval': 'chờ duyệt',
    noneOutstanding: 'Không còn ngày nào.',
    advanceList: 'Các khoản tạm ứng',
    noAdvances: 'Chưa có khoản tạm ứng nào.',
    csv: 'Tải CSV',
    back: 'Về đối soát',
    failed: 'Không thực hiện được: {message}',
  },
  en: {
    title: 'Monthly settlement',
    operator: 'Operator',
    month: 'Month',
    show: 'Show',
    pickOperator: 'Pick an operator to see its settlement.',
    route: 'Route',
    days: 'Approved days',
    approvedPayable: 'Approved subsidy',
    onTime: 'On time (minimum)',
    ewt: 'Excess wait time (threshold)',
    deductions: 'Deductions',
    payable: 'Payable',
    approvedTotal: 'Payable after deductions',
    advances: 'Advances paid',
    balance: 'Balance',
    'balance.payable-to-operator': 'The centre owes the operator',
    'balance.owed-by-operator': 'The operator owes the centre',
    'balance.settled': 'Settled',
    approvedDaysList: 'Approved days',
    outstanding: 'Days not done',
    'out.not-run': 'not reconciled',
    'out.pending-approval': 'awaiting approval',
    noneOutstanding: 'None left.',
    advanceList: 'Advances',
    noAdvances: 'No advances yet.',
    csv: 'Download CSV',
    back: 'Back to reconciliation',
    failed: 'Could not do it: {message}',
  },
});

export const settlementPage: Page = {
  path: '/settlement',
  access: 'signedIn',
  title: () => t('title'),
  async mount(ctx) {
    const session = ctx.session!;
    const centre = session.role === 'centre';
    const month = /^\d{4}-\d{2}$/.test(ctx.query.get('month') ?? '') ? ctx.query.get('month')! : todayServiceDay().slice(0, 7);
    const operatorId = centre ? (ctx.query.get('operator') ?? '') : (session.operatorId ?? '');
    const status = h('p', { role: 'status', class: 'status' });
    const body = h('div', { 'data-testid': 'settlement' });
    let operatorControl: HTMLElement | null = null;
    if (centre) {
      const { items } = await api.get<{ items: RouteSummary[] }>('/v1/routes', undefined, ctx.signal);
      const known = [...new Set([...items.map((r) => r.operator.operatorId), ...(operatorId ? [operatorId] : [])])].sort();
      operatorControl = h(
        'div',
        { class: 'field' },
        h('label', { for: 'st-operator' }, t('operator')),
        h('input', { type: 'text', id: 'st-operator', name: 'operator', list: 'st-operators', value: operatorId, required: true, maxlength: 64 }),
        h(
          'datalist',
          { id: 'st-operators' },
          known.map((id) => h('option', { value: id })),
        ),
      );
    }
    const form = h(
      'form',
      {
        class: 'filters',
        onsubmit: (ev) => {
          ev.preventDefault();
          const data = new FormData(form);
          const next = new URLSearchParams({ month: String(data.get('month')) });
          if (data.get('operator')) next.set('operator', String(data.get('operator')).trim());
          ctx.navigate(`/settlement?${next}`);
        },
      },
      operatorControl,
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'st-month' }, t('month')),
        h('input', { type: 'month', id: 'st-month', name: 'month', value: month, required: true }),
      ),
      h('button', { type: 'submit' }, t('show')),
      h('a', { href: `/reconciliation?${new URLSearchParams(operatorId ? { operator: operatorId } : {})}` }, t('back')),
    );
    ctx.root.append(h('section', { class: 'panel wide settlement' }, h('h1', {}, t('title')), form, status, body));
    if (!operatorId) {
      body.append(h('p', { class: 'muted' }, t('pickOperator')));
      return;
    }
    const path = `/v1/settlements/${seg(operatorId)}/${seg(month)}`;
    const s = await api.get<Settlement>(path, undefined, ctx.signal);
    body.append(
      h('h2', {}, `${operatorId} · ${month}`),
      h(
        'dl',
        { class: 'totals-list' },
        [
          ['approved', t('approvedPayable'), vnd(s.routes.reduce((sum, r) => sum + r.approvedPayableVnd, 0))],
          ['deductions', t('deductions'), vnd(s.routes.reduce((sum, r) => sum + r.deductionsVnd, 0))],
          ['approved-total', t('approvedTotal'), vnd(s.approvedTotalVnd)],
          ['advances', t('advances'), vnd(s.advancesVnd)],
          ['balance', t('balance'), vnd(s.balanceVnd)],
        ].map(([key, label, value]) => h('div', { class: `total total-${key}` }, h('dt', {}, label), h('dd', { 'data-testid': `settlement-${key}` }, value))),
      ),
      h('p', {}, h('span', { class: `badge bs-${s.balanceStatus}` }, t(`balance.${s.balanceStatus}`))),
      h(
        'p',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () =>
              void downloadExport(ctx, `${path}/csv`, { lang: lang() }, `quyet-toan-${operatorId}-${month}.csv`).catch((err: Error) => {
                status.textContent = t('failed', { message: err.message });
              }),
          },
          t('csv'),
        ),
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'orders' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [t('route'), t('days'), t('approvedPayable'), t('onTime'), t('ewt'), t('deductions'), t('payable')].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h(
            'tbody',
            {},
            s.routes.map((r) =>
              h(
                'tr',
                { 'data-route': r.routeId },
                h('td', {}, r.routeId),
                h('td', { class: 'num' }, r.approvedDays),
                h('td', { class: 'num' }, vnd(r.approvedPayableVnd)),
                h('td', {}, r.onTime ? `${percent(r.onTime.onTimeShare)} (${percent(r.onTime.minShare)})` : '—'),
                h('td', {}, r.excessWaitTime ? `${r.excessWaitTime.ewtMin.toFixed(1)} (${r.excessWaitTime.thresholdMin})` : '—'),
                h('td', { class: 'num' }, r.deductionsVnd ? `−${vnd(r.deductionsVnd)}` : '—'),
                h('td', { class: 'num' }, vnd(r.payableVnd)),
              ),
            ),
          ),
        ),
      ),
      h('h3', {}, t('approvedDaysList')),
      h('p', { 'data-testid': 'approved-days' }, s.approvedDays.length ? s.approvedDays.map(dayText).join(', ') : '—'),
      h('h3', {}, t('outstanding')),
      s.outstandingDays.length
        ? h(
            'ul',
            { class: 'outstanding' },
            s.outstandingDays.map((d) =>
              h(
                'li',
                {},
                h(
                  'a',
                  { href: `/reconciliation?${new URLSearchParams({ day: d.serviceDay, ...(centre ? { operator: operatorId } : {}) })}` },
                  dayText(d.serviceDay),
                ),
                ` · ${t(`out.${d.status}`)}`,
              ),
            ),
          )
        : h('p', {}, t('noneOutstanding')),
      h('h3', {}, t('advanceList')),
      s.advances.length
        ? h(
            'ul',
            {},
            s.advances.map((a) => h('li', {}, [vnd(a.amountVnd), a.paidOn ? dayText(a.paidOn) : '', a.reference ?? ''].filter(Boolean).join(' · '))),
          )
        : h('p', { class: 'muted' }, t('noAdvances')),
    );
  },
};
