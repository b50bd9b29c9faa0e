/**
 * Reconciliation `/reconciliation` (đối soát nghiệm thu): an operator-day's statement — its totals, a line per
 * trip filtered by class, each line opening its evidence (the trip's stop visits in order, skipped stops named,
 * departure against the plan, fares) — and, for the centre, running the day, resolving needs-review lines,
 * approving, with the CSV, the printable acceptance record and what changed since the previous version.
 * An operator sees only its own statement: the page asks for no other.
 */
import { api, seg } from '../api.js';
import type { Paged, RouteDetail, RouteSummary } from '../api-types.js';
import { detailRow, h, navigateWithFilters, replace } from '../dom.js';
import { downloadExport, openExport, vnd } from '../format.js';
import { defineMessages, hhmm, lang } from '../i18n.js';
import type { Page } from '../page.js';
import { todayServiceDay } from '../service-day.js';

const CLASSES = ['completed', 'late', 'partial', 'missed', 'needs-review', 'unscheduled'] as const;
type LineClass = (typeof CLASSES)[number];
const DECISIONS = ['completed', 'partial', 'rejected'] as const;

interface Totals {
  plannedTrips: number;
  byClass: Partial<Record<LineClass, number>>;
  acceptedTrips: number;
  costBeforePenaltiesVnd: number;
  penaltiesVnd: number;
  fareRevenueVnd: number;
  revenueAboveCostVnd: number;
  revenueDueToCityVnd: number;
  bidDiscountVnd: number;
  subsidyPayableVnd: number;
}

interface Head {
  serviceDay: string;
  operatorId: string;
  version: number;
  status: 'open' | 'approved';
  totals: Totals;
  openReviewLines: number;
}

interface Line {
  lineId: string;
  kind: 'planned' | 'unscheduled';
  routeId: string;
  planned?: { orderNumber: string; sequence: number; busId: string; plate: string; plannedDepartureMs: number };
  class: LineClass;
  reason: string;
  reasonVi?: string;
  amountVnd: number;
  penalties: { skippedStops: number; totalVnd: number };
  evidence: {
    performedTrip?: { serviceDay: string; tripId: string; busId: string; startMs?: number };
    plannedDepartureMs?: number;
    actualDepartureMs?: number;
    departureSource?: string;
    departureDelayS?: number;
    stops?: { total: number; visited: number; skipped: number; unobserved: number; notReached: number; skippedStopIds: string[]; notReachedStopIds: string[] };
    fareRevenueVnd: number;
    confirmations: { kind: string; at: string; stopId: string; confirmedBy: string }[];
  };
  resolution?: { decision: string; reason: string; classBefore: LineClass };
}

interface Diff {
  changed: { lineId: string; changes: { field: string; from: unknown; to: unknown }[]; why: string[] }[];
  added: Line[];
  removed: Line[];
  totals: { field: string; from: unknown; to: unknown }[];
}

interface View {
  head: Head;
  version: { version: number; statement: { lines: Line[]; totals: Totals; openReviewLineIds: string[] }; diff?: Diff };
  approvals: { approvedAt: string; subsidyPayableVnd: number }[];
}

interface Visit {
  stopId: string;
  stopSequence: number;
  status: 'visited' | 'skipped' | 'unobserved';
  arrivalMs?: number;
  departureMs?: number;
  delayS?: number;
  revenueVnd: number;
}

const t = defineMessages({
  vi: {
    title: 'Đối soát',
    day: 'Ngày hoạt động',
    operator: 'Doanh nghiệp',
    show: 'Xem',
    run: 'Chạy đối soát ngày này',
    rerun: 'Chạy lại',
    none: 'Chưa có bảng đối soát nào cho ngày này.',
    noneOperator: 'Chưa có bảng đối soát của doanh nghiệp cho ngày này.',
    settlement: 'Quyết toán tháng',
    version: 'Phiên bản {v}',
    'status.open': 'Chờ duyệt',
    'status.approved': 'Đã duyệt',
    totals: 'Tổng hợp',
    planned: 'Chuyến kế hoạch',
    accepted: 'Chuyến được nghiệm thu',
    cost: 'Chi phí trước giảm trừ',
    penalties: 'Giảm trừ',
    fares: 'Doanh thu vé',
    discount: 'Giảm giá thầu',
    aboveCost: 'Doanh thu vượt chi phí',
    dueToCity: 'Doanh thu nộp thành phố',
    subsidy: 'Trợ giá được thanh toán',
    lines: 'Các chuyến',
    filterClass: 'Lọc theo loại',
    all: 'Tất cả',
    order: 'Lệnh',
    departure: 'Giờ xuất bến',
    bus: 'Xe',
    class: 'Loại',
    amount: 'Số tiền',
    revenue: 'Doanh thu',
    evidence: 'Bằng chứng',
    hide: 'Ẩn',
    noLines: 'Không có chuyến nào thuộc loại này.',
    'class.completed': 'Hoàn thành',
    'class.late': 'Trễ',
    'class.partial': 'Một phần',
    'class.missed': 'Không chạy',
    'class.needs-review': 'Cần xem xét',
    'class.unscheduled': 'Ngoài kế hoạch',
    reason: 'Lý do',
    plannedDep: 'Xuất bến kế hoạch',
    actualDep: 'Xuất bến thực tế',
    delay: 'Độ trễ',
    delayMin: '{min} phút',
    stopsServed: 'Trạm đã phục vụ',
    stopsOf: '{visited}/{total}',
    skipped: 'Trạm bỏ qua',
    notReached: 'Trạm không đến',
    noneSkipped: 'Không có',
    confirmations: 'Xác nhận tại bến',
    resolution: 'Quyết định của Trung tâm',
    timeline: 'Hành trình',
    loadingTimeline: 'Đang tải hành trình…',
    noTimeline: 'Không có dữ liệu hành trình.',
    stop: 'Trạm',
    arrival: 'Đến',
    'visit.visited': 'Đã dừng',
    'visit.skipped': 'Bỏ qua',
    'visit.unobserved': 'Không có dữ liệu',
    resolve: 'Quyết định',
    decision: 'Quyết định',
    'decision.completed': 'Chấp nhận: hoàn thành',
    'decision.partial': 'Chấp nhận: một phần',
    'decision.rejected': 'Từ chối',
    save: 'Lưu quyết định',
    dismiss: 'Thôi',
    approve: 'Duyệt phiên bản {v}',
    approveBlocked: 'Còn {n} chuyến cần xem xét trước khi duyệt.',
    approved: 'Đã duyệt: {amount} trợ giá.',
    csv: 'Tải CSV',
    record: 'Biên bản nghiệm thu',
    diff: 'Thay đổi so với phiên bản trước',
    diffNone: 'Không có thay đổi.',
    diffTotals: 'Tổng',
    diffAdded: 'Thêm: {ids}',
    diffRemoved: 'Bớt: {ids}',
    done: 'Đã lưu.',
    failed: 'Không thực hiện được: {message}',
  },
  en: {
    title: 'Reconciliation',
    day: 'Service day',
    operator: 'Operator',
    show: 'Show',
    run: 'Reconcile this day',
    rerun: 'Run again',
    none: 'No statement for this day yet.',
    noneOperator: 'No statement of the operator for this day yet.',
    settlement: 'Monthly settlement',
    version: 'Version {v}',
    'status.open': 'Awaiting approval',
    'status.approved': 'Approved',
    totals: 'Totals',
    planned: 'Planned trips',
    accepted: 'Accepted trips',
    cost: 'Cost before penalties',
    penalties: 'Penalties',
    fares: 'Fare revenue',
    discount: 'Bid discount',
    aboveCost: 'Revenue above cost',
    dueToCity: 'Revenue due to the city',
    subsidy: 'Subsidy payable',
    lines: 'Trips',
    filterClass: 'Filter by class',
    all: 'All',
    order: 'Order',
    departure: 'Departure',
    bus: 'Bus',
    class: 'Class',
    amount: 'Amount',
    revenue: 'Revenue',
    evidence: 'Evidence',
    hide: 'Hide',
    noLines: 'No trips of this class.',
    'class.completed': 'Completed',
    'class.late': 'Late',
    'class.partial': 'Partial',
    'class.missed': 'Missed',
    'class.needs-review': 'Needs review',
    'class.unscheduled': 'Unscheduled',
    reason: 'Reason',
    plannedDep: 'Planned departure',
    actualDep: 'Actual departure',
    delay: 'Delay',
    delayMin: '{min} min',
    stopsServed: 'Stops served',
    stopsOf: '{visited}/{total}',
    skipped: 'Skipped stops',
    notReached: 'Stops not reached',
    noneSkipped: 'None',
    confirmations: 'Terminal confirmations',
    resolution: "The centre's decision",
    timeline: 'Timeline',
    loadingTimeline: 'Loading the timeline…',
    noTimeline: 'No journey data.',
    stop: 'Stop',
    arrival: 'Arrival',
    'visit.visited': 'Stopped',
    'visit.skipped': 'Skipped',
    'visit.unobserved': 'No data',
    resolve: 'Decide',
    decision: 'Decision',
    'decision.completed': 'Accept as completed',
    'decision.partial': 'Accept as partial',
    'decision.rejected': 'Reject',
    save: 'Save decision',
    dismiss: 'Never mind',
    approve: 'Approve version {v}',
    approveBlocked: '{n} trips need review before approval.',
    approved: 'Approved: {amount} subsidy.',
    csv: 'Download CSV',
    record: 'Acceptance record',
    diff: 'Changes since the previous version',
    diffNone: 'No changes.',
    diffTotals: 'Totals',
    diffAdded: 'Added: {ids}',
    diffRemoved: 'Removed: {ids}',
    done: 'Saved.',
    failed: 'Could not do it: {message}',
  },
});

const classText = (c: LineClass) => t(`class.${c}`);

export const reconciliationPage: Page = {
  path: '/reconciliation',
  access: 'signedIn',
  nav: 'reconciliation',
  title: () => t('title'),
  async mount(ctx) {
    const session = ctx.session!;
    const centre = session.role === 'centre';
    const day = ctx.query.get('day') ?? todayServiceDay();
    const classFilter = (CLASSES as readonly string[]).includes(ctx.query.get('class') ?? '') ? (ctx.query.get('class') as LineClass) : '';
    const status = h('p', { role: 'status', class: 'status', 'data-testid': 'recon-status' });
    const statement = h('div', { 'data-testid': 'statement' });
    const heads = (await api.get<Paged<Head>>('/v1/reconciliations', { serviceDay: day, limit: 200 }, ctx.signal)).items;
    const operatorId = centre ? (ctx.query.get('operator') ?? heads[0]?.operatorId ?? '') : (session.operatorId ?? '');
    const head = heads.find((x) => x.operatorId === operatorId);

    const go = (params: Record<string, string>) =>
      ctx.navigate(`/reconciliation?${new URLSearchParams({ day, ...(centre && operatorId ? { operator: operatorId } : {}), ...params })}`);
    const form = h(
      'form',
      {
        class: 'filters',
        onsubmit: (ev) => {
          ev.preventDefault();
          navigateWithFilters(form, '/reconciliation', ctx.navigate);
        },
      },
      field('rc-day', t('day'), h('input', { type: 'date', name: 'day', id: 'rc-day', value: day, required: true })),
      centre && heads.length
        ? field(
            'rc-operator',
            t('operator'),
            h(
              'select',
              { name: 'operator', id: 'rc-operator' },
              heads.map((x) => h('option', { value: x.operatorId, selected: x.operatorId === operatorId }, x.operatorId)),
            ),
          )
        : null,
      h('button', { type: 'submit' }, t('show')),
      centre
        ? h('button', { type: 'button', class: 'secondary', 'data-action': 'run', onclick: () => void run() }, heads.length ? t('rerun') : t('run'))
        : null,
      h('a', { href: `/settlement?${new URLSearchParams({ month: day.slice(0, 7), ...(operatorId ? { operator: operatorId } : {}) })}` }, t('settlement')),
    );
    ctx.root.append(h('section', { class: 'panel wide recon' }, h('h1', {}, t('title')), form, status, statement));

    async function run(): Promise<void> {
      try {
        await api.post('/v1/reconciliations', { serviceDay: day });
        go({});
      } catch (err) {
        status.textContent = t('failed', { message: (err as Error).message });
      }
    }

    if (!head) {
      statement.append(h('p', { class: 'muted' }, centre ? t('none') : t('noneOperator')));
      return;
    }
    const base = `/v1/reconciliations/${seg(day)}/${seg(operatorId)}`;
    const routes = await api.get<{ items: RouteSummary[] }>('/v1/routes', undefined, ctx.signal);
    const stopNames = new StopNames(new Set(routes.items.map((r) => r.routeId)), ctx.signal);

    const render = (view: View) => {
      const v = view.version;
      const lines = v.statement.lines.filter((l) => !classFilter || l.class === classFilter);
      replace(
        statement,
        h(
          'div',
          { class: 'recon-head' },
          h('h2', {}, `${operatorId} · ${day}`),
          h(
            'span',
            { class: `badge rs-${view.head.status}`, 'data-testid': 'recon-version' },
            `${t('version', { v: v.version })} · ${t(`status.${view.head.status}`)}`,
          ),
        ),
        totalsList(v.statement.totals),
        h(
          'div',
          { class: 'recon-actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'data-action': 'csv',
              onclick: () =>
                void downloadExport(ctx, `${base}/csv`, { version: String(v.version), lang: lang() }, `doi-soat-${operatorId}-${day}-v${v.version}.csv`).catch(
                  fail,
                ),
            },
            t('csv'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'data-action': 'record',
              onclick: () => void openExport(ctx, `${base}/acceptance-record`, { version: String(v.version), lang: lang() }).catch(fail),
            },
            t('record'),
          ),
          centre && view.head.status === 'open' && v.version === view.head.version ? approveControl(view) : null,
        ),
        v.diff ? diffBlock(v.diff) : null,
        h('h2', {}, t('lines')),
        h(
          'div',
          { class: 'filters' },
          field(
            'rc-class',
            t('filterClass'),
            h(
              'select',
              { id: 'rc-class', onchange: (ev) => go((ev.target as HTMLSelectElement).value ? { class: (ev.target as HTMLSelectElement).value } : {}) },
              h('option', { value: '' }, t('all')),
              CLASSES.map((c) => h('option', { value: c, selected: c === classFilter }, `${classText(c)} (${v.statement.totals.byClass[c] ?? 0})`)),
            ),
          ),
        ),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'orders recon-lines' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [t('order'), t('departure'), t('bus'), t('class'), t('amount'), t('penalties'), t('revenue'), ''].map((c) => h('th', { scope: 'col' }, c)),
              ),
            ),
            h('tbody', {}, lines.length ? lines.flatMap((l) => lineRow(l, view)) : h('tr', {}, h('td', { colspan: 8 }, t('noLines')))),
          ),
        ),
      );
    };

    const fail = (err: Error) => {
      status.textContent = t('failed', { message: err.message });
    };

    function approveControl(view: View): HTMLElement {
      const open = view.version.statement.openReviewLineIds.length;
      if (open) return h('p', { class: 'muted' }, t('approveBlocked', { n: open }));
      return h(
        'button',
        {
          type: 'button',
          'data-action': 'approve',
          onclick: async () => {
            try {
              const record = await api.post<{ subsidyPayableVnd: number }>(`${base}/approve`, { version: view.version.version });
              render(await load());
              status.textContent = t('approved', { amount: vnd(record.subsidyPayableVnd) });
            } catch (err) {
              fail(err as Error);
            }
          },
        },
        t('approve', { v: view.version.version }),
      );
    }

    function lineRow(l: Line, view: View): HTMLTableRowElement[] {
      const { toggle, detail } = detailRow({
        className: 'line-evidence',
        colspan: 8,
        show: t('evidence'),
        hide: t('hide'),
        fill: (cell) => void evidence(cell, l, view),
      });
      const dep = l.planned?.plannedDepartureMs ?? l.evidence.actualDepartureMs;
      return [
        h(
          'tr',
          { 'data-line': l.lineId, 'data-class': l.class },
          h('td', {}, l.planned ? `${l.planned.orderNumber} #${l.planned.sequence}` : (l.evidence.performedTrip?.tripId ?? l.lineId)),
          h('td', {}, dep ? hhmm(dep) : '—'),
          h('td', {}, l.planned?.plate ?? l.evidence.performedTrip?.busId ?? '—'),
          h('td', {}, h('span', { class: `badge lc-${l.class}` }, classText(l.class))),
          h('td', { class: 'num', 'data-testid': 'line-amount' }, vnd(l.amountVnd)),
          h('td', { class: 'num' }, l.penalties.totalVnd ? `−${vnd(l.penalties.totalVnd)}` : '—'),
          h('td', { class: 'num' }, vnd(l.evidence.fareRevenueVnd)),
          h('td', { class: 'actions' }, toggle),
        ),
        detail,
      ];
    }

    async function evidence(cell: HTMLElement, l: Line, view: View): Promise<void> {
      const e = l.evidence;
      const names = await stopNames.of(l.routeId);
      const name = (id: string) => names.get(id) ?? id;
      const timeline = h('div', { class: 'timeline' }, h('p', { class: 'muted' }, t('loadingTimeline')));
      // Statements stored before the Vietnamese reason existed have only the English one.
      const reason = lang() === 'vi' ? (l.reasonVi ?? l.reason) : l.reason;
      const items: [string, Node | string][] = [[t('reason'), h('span', { 'data-testid': 'line-reason' }, reason)]];
      if (e.plannedDepartureMs) items.push([t('plannedDep'), hhmm(e.plannedDepartureMs)]);
      if (e.actualDepartureMs) items.push([t('actualDep'), hhmm(e.actualDepartureMs)]);
      if (e.departureDelayS !== undefined) items.push([t('delay'), t('delayMin', { min: Math.round(e.departureDelayS / 60) })]);
      if (e.stops) {
        items.push([t('stopsServed'), t('stopsOf', { visited: e.stops.visited, total: e.stops.total })]);
        items.push([
          t('skipped'),
          h('span', { 'data-testid': 'skipped-stops' }, e.stops.skippedStopIds.length ? e.stops.skippedStopIds.map(name).join(', ') : t('noneSkipped')),
        ]);
        if (e.stops.notReachedStopIds.length) items.push([t('notReached'), e.stops.notReachedStopIds.map(name).join(', ')]);
      }
      items.push([t('revenue'), vnd(e.fareRevenueVnd)]);
      if (e.confirmations.length)
        items.push([t('confirmations'), e.confirmations.map((c) => `${c.kind} ${hhmm(c.at)} ${name(c.stopId)} (${c.confirmedBy})`).join('; ')]);
      if (l.resolution)
        items.push([
          t('resolution'),
          `${classText(l.resolution.classBefore)} → ${t(`decision.${l.resolution.decision as 'completed'}`)}: ${l.resolution.reason}`,
        ]);
      replace(
        cell,
        h(
          'dl',
          { class: 'evidence-list' },
          items.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
        ),
        centre && l.class === 'needs-review' && view.head.status === 'open' ? resolveForm(l) : null,
        timeline,
      );
      const trip = e.performedTrip;
      if (!trip) {
        replace(timeline, h('p', { class: 'muted' }, t('noTimeline')));
        return;
      }
      try {
        const journeys = await api.get<Paged<{ tripId: string; plannedDepartureMs?: number; performed: { startMs?: number }; visits: Visit[] }>>(
          '/v1/journeys',
          { serviceDay: trip.serviceDay, busId: trip.busId, operatorId, limit: 200 },
          ctx.signal,
        );
        const sameTrip = journeys.items.filter((j) => j.tripId === trip.tripId);
        const record = sameTrip.find((j) => j.performed.startMs === trip.startMs) ?? sameTrip[0];
        if (!record) {
          replace(timeline, h('p', { class: 'muted' }, t('noTimeline')));
          return;
        }
        replace(
          timeline,
          h('h3', {}, t('timeline')),
          h(
            'ol',
            { class: 'visits' },
            [...record.visits]
              .sort((a, b) => a.stopSequence - b.stopSequence)
              .map((vis) =>
                h(
                  'li',
                  { 'data-status': vis.status },
                  h('span', { class: `badge vs-${vis.status}` }, t(`visit.${vis.status}`)),
                  h('span', {}, name(vis.stopId)),
                  h('span', { class: 'muted' }, vis.arrivalMs ? hhmm(vis.arrivalMs) : ''),
                  vis.delayS !== undefined ? h('span', { class: 'muted' }, t('delayMin', { min: Math.round(vis.delayS / 60) })) : null,
                  vis.revenueVnd ? h('span', { class: 'muted' }, vnd(vis.revenueVnd)) : null,
                ),
              ),
          ),
        );
      } catch (err) {
        replace(timeline, h('p', { class: 'error' }, t('failed', { message: (err as Error).message })));
      }
    }

    function resolveForm(l: Line): HTMLElement {
      const id = (k: string) => `${k}-${l.lineId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      const decision = h(
        'select',
        { id: id('decision'), name: 'decision' },
        DECISIONS.map((d) => h('option', { value: d }, t(`decision.${d}`))),
      );
      const reason = h('input', { type: 'text', id: id('reason'), name: 'reason', required: true, maxlength: 1000 });
      return h(
        'form',
        {
          class: 'inline-form resolve',
          onsubmit: async (ev) => {
            ev.preventDefault();
            try {
              render(await api.post<View>(`${base}/resolutions`, { lineId: l.lineId, decision: decision.value, reason: reason.value }));
              status.textContent = t('done');
            } catch (err) {
              fail(err as Error);
            }
          },
        },
        h('label', { for: id('decision') }, t('decision')),
        decision,
        h('label', { for: id('reason') }, t('reason')),
        reason,
        h('button', { type: 'submit' }, t('save')),
      );
    }

    const load = () => api.get<View>(base, undefined, ctx.signal);
    render(await load());
  },
};

function totalsList(x: Totals): HTMLElement {
  const rows: [string, string, string][] = [
    ['planned', t('planned'), String(x.plannedTrips)],
    ['accepted', t('accepted'), String(x.acceptedTrips)],
    ['cost', t('cost'), vnd(x.costBeforePenaltiesVnd)],
    ['penalties', t('penalties'), vnd(x.penaltiesVnd)],
    ['fares', t('fares'), vnd(x.fareRevenueVnd)],
  ];
  if (x.bidDiscountVnd) rows.push(['discount', t('discount'), vnd(x.bidDiscountVnd)]);
  if (x.revenueAboveCostVnd) rows.push(['above-cost', t('aboveCost'), vnd(x.revenueAboveCostVnd)]);
  if (x.revenueDueToCityVnd) rows.push(['due-to-city', t('dueToCity'), vnd(x.revenueDueToCityVnd)]);
  rows.push(['subsidy', t('subsidy'), vnd(x.subsidyPayableVnd)]);
  return h(
    'div',
    { class: 'totals' },
    h('h3', { class: 'visually-hidden' }, t('totals')),
    h(
      'dl',
      { class: 'totals-list' },
      rows.map(([key, label, value]) => h('div', { class: `total total-${key}` }, h('dt', {}, label), h('dd', { 'data-testid': `total-${key}` }, value))),
    ),
    h(
      'p',
      { class: 'by-class' },
      CLASSES.filter((c) => x.byClass[c]).map((c) => h('span', { class: `badge lc-${c}` }, `${classText(c)}: ${x.byClass[c]}`)),
    ),
  );
}

function diffBlock(d: Diff): HTMLElement {
  const empty = !d.changed.length && !d.added.length && !d.removed.length && !d.totals.length;
  const show = (v: unknown) => (typeof v === 'number' ? v.toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en-GB') : String(v));
  return h(
    'details',
    { class: 'diff' },
    h('summary', {}, t('diff')),
    empty ? h('p', {}, t('diffNone')) : null,
    d.totals.length ? h('p', {}, `${t('diffTotals')}: ${d.totals.map((c) => `${c.field} ${show(c.from)} → ${show(c.to)}`).join('; ')}`) : null,
    d.added.length ? h('p', {}, t('diffAdded', { ids: d.added.map((l) => l.lineId).join(', ') })) : null,
    d.removed.length ? h('p', {}, t('diffRemoved', { ids: d.removed.map((l) => l.lineId).join(', ') })) : null,
    h(
      'ul',
      {},
      d.changed.map((c) =>
        h(
          'li',
          {},
          `${c.lineId}: ${c.changes.map((x) => `${x.field} ${show(x.from)} → ${show(x.to)}`).join('; ')}${c.why.length ? ` (${c.why.join('; ')})` : ''}`,
        ),
      ),
    ),
  );
}

/** Stop names of a route's patterns, asked once per route and only for routes of the network (no 404 for others). */
class StopNames {
  private readonly cache = new Map<string, Promise<Map<string, string>>>();
  constructor(
    private readonly known: Set<string>,
    private readonly signal: AbortSignal,
  ) {}

  of(routeId: string): Promise<Map<string, string>> {
    if (!this.known.has(routeId)) return Promise.resolve(new Map());
    let names = this.cache.get(routeId);
    if (!names) {
      names = api.get<RouteDetail>(`/v1/routes/${seg(routeId)}`, undefined, this.signal).then(
        (r) => new Map(r.patterns.flatMap((p) => p.stops.map((s) => [s.stopId, s.name] as const))),
        () => new Map(),
      );
      this.cache.set(routeId, names);
    }
    return names;
  }
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}
