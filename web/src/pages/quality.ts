/**
 * Quality `/quality` (chất lượng dịch vụ): over the week up to a day, punctuality, skipped stops and ridership
 * by route and day as charts (uPlot, bundled), the day's figures per route, the watch list (routes losing
 * riders or punctuality, operators with most violations) and the complaints upheld per operator. Every chart
 * has its figures in a table beside it, for screen readers and for copying.
 */
import uPlot from 'uplot';
import { api } from '../api.js';
import type { RouteSummary } from '../api-types.js';
import { h, navigateWithFilters, replace } from '../dom.js';
import { dayText, percent } from '../format.js';
import { defineMessages } from '../i18n.js';
import type { Page } from '../page.js';
import { todayServiceDay } from '../service-day.js';

const DAYS = 7;
const TOP_ROUTES = 6;
/** Series colours: each ≥ 3:1 against white, told apart without relying on hue alone (dashes alternate). */
const COLOURS = ['#0b4f9c', '#a3111c', '#0f6b2f', '#7a3e00', '#5b2a86', '#00606b'];

interface Quality {
  trips: number;
  planned: number;
  missed: number;
  partial: number;
  unscheduled: number;
  onTimeShare: number | null;
  skippedStops: number;
  skippedByRoute: Record<string, number>;
  skippedByOperator: Record<string, number>;
  ridership: { byRoute: Record<string, number> };
  headwayCvByRoute: Record<string, number>;
  /** Upheld complaints per operator (present once the API counts complaints). */
  confirmedComplaintsByOperator?: Record<string, number>;
}

interface WatchList {
  days: string[];
  fallingRidership: { routeId: string; ridership: number[] }[];
  fallingPunctuality: { routeId: string; onTimeShare: (number | null)[] }[];
  operatorsByViolations: { operatorId: string; violations: number; skippedStops: number; missedTrips: number; lateTrips: number }[];
}

const t = defineMessages({
  vi: {
    title: 'Chất lượng dịch vụ',
    day: 'Đến ngày',
    operator: 'Doanh nghiệp',
    all: 'Tất cả',
    show: 'Xem',
    week: '{n} ngày đến {day}',
    punctuality: 'Tỉ lệ xuất bến đúng giờ',
    onTimePct: 'Đúng giờ (%)',
    skipped: 'Trạm bị bỏ qua theo tuyến',
    ridership: 'Lượt hành khách theo tuyến',
    date: 'Ngày',
    dayFigures: 'Số liệu ngày {day}',
    route: 'Tuyến',
    trips: 'Chuyến',
    planned: 'Kế hoạch',
    missed: 'Không chạy',
    onTime: 'Đúng giờ',
    skippedStops: 'Trạm bỏ qua',
    riders: 'Hành khách',
    headwayCv: 'Độ đều giãn cách (CV)',
    watch: 'Danh sách theo dõi',
    fallingRidership: 'Tuyến giảm hành khách',
    fallingPunctuality: 'Tuyến giảm đúng giờ',
    violations: 'Doanh nghiệp vi phạm nhiều nhất',
    violationCount: 'Vi phạm',
    lateTrips: 'Chuyến trễ',
    none: 'Không có.',
    complaints: 'Phản ánh được xác nhận theo doanh nghiệp',
    complaintsCount: 'Phản ánh xác nhận',
    noComplaints: 'Không có phản ánh nào được xác nhận trong ngày.',
    chartData: 'Số liệu của biểu đồ',
  },
  en: {
    title: 'Service quality',
    day: 'Up to',
    operator: 'Operator',
    all: 'All',
    show: 'Show',
    week: '{n} days up to {day}',
    punctuality: 'On-time departures',
    onTimePct: 'On time (%)',
    skipped: 'Skipped stops by route',
    ridership: 'Ridership by route',
    date: 'Day',
    dayFigures: 'Figures of {day}',
    route: 'Route',
    trips: 'Trips',
    planned: 'Planned',
    missed: 'Missed',
    onTime: 'On time',
    skippedStops: 'Skipped stops',
    riders: 'Riders',
    headwayCv: 'Headway regularity (CV)',
    watch: 'Watch list',
    fallingRidership: 'Routes losing riders',
    fallingPunctuality: 'Routes losing punctuality',
    violations: 'Operators with most violations',
    violationCount: 'Violations',
    lateTrips: 'Late trips',
    none: 'None.',
    complaints: 'Upheld complaints per operator',
    complaintsCount: 'Upheld complaints',
    noComplaints: 'No upheld complaint that day.',
    chartData: 'The chart’s figures',
  },
});

export const qualityPage: Page = {
  path: '/quality',
  access: 'signedIn',
  nav: 'quality',
  title: () => t('title'),
  async mount(ctx) {
    const session = ctx.session!;
    const centre = session.role === 'centre';
    const endDay = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.get('day') ?? '') ? ctx.query.get('day')! : todayServiceDay();
    const operatorId = centre ? (ctx.query.get('operator') ?? '') : (session.operatorId ?? '');
    const { items: routes } = await api.get<{ items: RouteSummary[] }>('/v1/routes', undefined, ctx.signal);
    const routeName = new Map(routes.map((r) => [r.routeId, r.shortName]));
    const operators = [...new Map(routes.map((r) => [r.operator.operatorId, r.operator.name])).entries()];
    const operatorName = new Map(operators);
    const form = h(
      'form',
      {
        class: 'filters',
        onsubmit: (ev) => {
          ev.preventDefault();
          navigateWithFilters(form, '/quality', ctx.navigate);
        },
      },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'q-day' }, t('day')),
        h('input', { type: 'date', id: 'q-day', name: 'day', value: endDay, required: true }),
      ),
      centre
        ? h(
            'div',
            { class: 'field' },
            h('label', { for: 'q-operator' }, t('operator')),
            h(
              'select',
              { id: 'q-operator', name: 'operator' },
              h('option', { value: '' }, t('all')),
              operators.map(([id, name]) => h('option', { value: id, selected: id === operatorId }, name)),
            ),
          )
        : null,
      h('button', { type: 'submit' }, t('show')),
    );
    const body = h('div', { class: 'quality' });
    ctx.root.append(
      h('section', { class: 'panel wide' }, h('h1', {}, t('title')), form, h('p', { class: 'muted' }, t('week', { n: DAYS, day: dayText(endDay) })), body),
    );

    const days = lastDays(endDay, DAYS);
    const [summaries, watch] = await Promise.all([
      Promise.all(days.map((serviceDay) => api.get<Quality>('/v1/quality', { serviceDay, operatorId }, ctx.signal))),
      api.get<WatchList>('/v1/quality/watch-list', { endDay, days: DAYS, operatorId }, ctx.signal),
    ]);
    const today = summaries.at(-1)!;
    const label = (routeId: string) => routeName.get(routeId) ?? routeId;
    const topRoutes = (pick: (q: Quality) => Record<string, number>) => {
      const sum = new Map<string, number>();
      for (const q of summaries) for (const [r, n] of Object.entries(pick(q))) sum.set(r, (sum.get(r) ?? 0) + n);
      return [...sum.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, TOP_ROUTES)
        .map(([r]) => r);
    };
    const skippedRoutes = topRoutes((q) => q.skippedByRoute);
    const riderRoutes = topRoutes((q) => q.ridership.byRoute);

    const charts = [
      chartBlock(
        'punctuality',
        t('punctuality'),
        days,
        [{ label: t('onTimePct'), values: summaries.map((q) => (q.onTimeShare === null ? null : Math.round(q.onTimeShare * 1000) / 10)) }],
        [0, 100],
      ),
      chartBlock(
        'skipped',
        t('skipped'),
        days,
        skippedRoutes.map((r) => ({ label: label(r), values: summaries.map((q) => q.skippedByRoute[r] ?? 0) })),
      ),
      chartBlock(
        'ridership',
        t('ridership'),
        days,
        riderRoutes.map((r) => ({ label: label(r), values: summaries.map((q) => q.ridership.byRoute[r] ?? 0) })),
      ),
    ];
    const routeIds = [
      ...new Set([...Object.keys(today.ridership.byRoute), ...Object.keys(today.skippedByRoute), ...Object.keys(today.headwayCvByRoute)]),
    ].sort();
    const complaints = Object.entries(today.confirmedComplaintsByOperator ?? {}).sort((a, b) => b[1] - a[1]);
    replace(
      body,
      h(
        'div',
        { class: 'charts' },
        charts.map((c) => c.element),
      ),
      h('h2', {}, t('dayFigures', { day: dayText(endDay) })),
      h(
        'dl',
        { class: 'totals-list' },
        [
          [t('trips'), String(today.trips)],
          [t('planned'), String(today.planned)],
          [t('missed'), String(today.missed)],
          [t('onTime'), percent(today.onTimeShare)],
          [t('skippedStops'), String(today.skippedStops)],
        ].map(([k, v]) => h('div', { class: 'total' }, h('dt', {}, k), h('dd', {}, v))),
      ),
      table(
        [t('route'), t('riders'), t('skippedStops'), t('headwayCv')],
        routeIds.map((r) => [label(r), today.ridership.byRoute[r] ?? 0, today.skippedByRoute[r] ?? 0, today.headwayCvByRoute[r]?.toFixed(2) ?? '—']),
      ),
      h('h2', {}, t('watch')),
      h('h3', {}, t('fallingRidership')),
      watch.fallingRidership.length
        ? table(
            [t('route'), ...watch.days.map(dayText)],
            watch.fallingRidership.map((w) => [label(w.routeId), ...w.ridership]),
          )
        : h('p', { class: 'muted' }, t('none')),
      h('h3', {}, t('fallingPunctuality')),
      watch.fallingPunctuality.length
        ? table(
            [t('route'), ...watch.days.map(dayText)],
            watch.fallingPunctuality.map((w) => [label(w.routeId), ...w.onTimeShare.map(percent)]),
          )
        : h('p', { class: 'muted' }, t('none')),
      h('h3', {}, t('violations')),
      watch.operatorsByViolations.length
        ? table(
            [t('operator'), t('violationCount'), t('skippedStops'), t('missed'), t('lateTrips')],
            watch.operatorsByViolations.map((o) => [operatorName.get(o.operatorId) ?? o.operatorId, o.violations, o.skippedStops, o.missedTrips, o.lateTrips]),
          )
        : h('p', { class: 'muted' }, t('none')),
      h('h2', {}, t('complaints')),
      complaints.length
        ? h(
            'div',
            { 'data-testid': 'confirmed-complaints' },
            table(
              [t('operator'), t('complaintsCount')],
              complaints.map(([id, n]) => [operatorName.get(id) ?? id, n]),
            ),
          )
        : h('p', { class: 'muted', 'data-testid': 'confirmed-complaints' }, t('noComplaints')),
    );
    // uPlot measures its container: draw once the page is laid out, and again when the width changes.
    for (const c of charts) c.draw();
    const resize = new ResizeObserver(() => {
      for (const c of charts) c.resize();
    });
    for (const c of charts) resize.observe(c.element);
    ctx.signal.addEventListener('abort', () => {
      resize.disconnect();
      for (const c of charts) c.destroy();
    });
  },
};

interface Series {
  label: string;
  values: (number | null)[];
}

/** A chart with its figures table; `fixedRange` fixes the value axis (a percentage), else it runs from 0 to the largest value. */
function chartBlock(
  name: string,
  title: string,
  days: string[],
  series: Series[],
  fixedRange?: [number, number],
): { element: HTMLElement; draw(): void; resize(): void; destroy(): void } {
  const plotEl = h('div', { class: 'chart-plot', 'aria-hidden': 'true' });
  const element = h(
    'figure',
    { class: 'chart', 'data-chart': name },
    h('figcaption', {}, title),
    plotEl,
    h(
      'details',
      {},
      h('summary', {}, t('chartData')),
      table(
        [t('date'), ...series.map((s) => s.label)],
        days.map((d, i) => [dayText(d), ...series.map((s) => s.values[i] ?? '—')]),
      ),
    ),
  );
  let plot: uPlot | undefined;
  const size = () => ({ width: Math.max(240, plotEl.clientWidth), height: 220 });
  return {
    element,
    draw() {
      if (!series.length) {
        plotEl.append(h('p', { class: 'muted' }, t('none')));
        return;
      }
      const xs = days.map((d) => Date.parse(`${d}T12:00:00+07:00`) / 1000);
      const dayOf = (s: number) => dayText(new Date(s * 1000 + 7 * 3600_000).toISOString().slice(0, 10));
      plot = new uPlot(
        {
          ...size(),
          scales: { x: { time: true }, y: { range: (_u, min, max) => fixedRange ?? [Math.min(0, min), Math.max(1, max)] } },
          axes: [{ values: (_u, splits) => splits.map((s) => dayOf(s).slice(0, 5)) }, {}],
          series: [
            { label: t('date'), value: (_u, s) => (s === null ? '—' : dayOf(s)) },
            ...series.map((s, i) => ({
              label: s.label,
              stroke: COLOURS[i % COLOURS.length]!,
              width: 2,
              points: { show: true, size: 6 },
              ...(i % 2 ? { dash: [6, 3] } : {}),
            })),
          ],
        },
        [xs, ...series.map((s) => s.values)],
        plotEl,
      );
    },
    resize() {
      if (plot && Math.abs(plot.width - size().width) > 4) plot.setSize(size());
    },
    destroy() {
      plot?.destroy();
    },
  };
}

function table(head: string[], rows: (string | number)[][]): HTMLElement {
  return h(
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
          head.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            r.map((c) => h('td', { class: typeof c === 'number' ? 'num' : undefined }, c)),
          ),
        ),
      ),
    ),
  );
}

/** The `n` service days ending with `endDay`, oldest first. */
function lastDays(endDay: string, n: number): string[] {
  const end = Date.parse(`${endDay}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(end - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}
