/**
 * Complaints `/complaints` (phản ánh): the centre records a passenger's complaint — the route or the plate, the
 * stop (searched by name), when, what happened — and BusFlow answers with the evidence of the buses that passed
 * the stop within ±15 min and a verdict. The day's complaints are listed with their verdicts; one opens its
 * evidence: each bus's visit status, dwell, doors, speed through the stop zone and closest approach.
 * An operator sees the complaints about its own buses and routes (the API answers nothing else).
 */
import { api, seg } from '../api.js';
import type { Paged, RouteSummary } from '../api-types.js';
import { detailRow, h, replace } from '../dom.js';
import { defineMessages, hhmm, lang } from '../i18n.js';
import type { Page } from '../page.js';
import { todayServiceDay } from '../service-day.js';

const KINDS = ['skipped-stop', 'no-alighting', 'late', 'other'] as const;
const VERDICTS = ['confirmed-skipped', 'confirmed-late', 'bus-stopped', 'on-time', 'no-data'] as const;
type Kind = (typeof KINDS)[number];
type Verdict = (typeof VERDICTS)[number];
const CONFIRMING: ReadonlySet<Verdict> = new Set(['confirmed-skipped', 'confirmed-late']);
const FINDINGS = ['skipped', 'no-door', 'stopped', 'unobserved', 'late', 'on-time', 'missed'] as const;

interface Pass {
  busId: string;
  plate?: string;
  operatorId: string;
  routeId: string;
  tripId: string;
  status: 'visited' | 'skipped' | 'unobserved';
  finding: (typeof FINDINGS)[number];
  passedAt?: string;
  dwellS?: number;
  doorOpened?: boolean;
  delayS?: number;
  zone: { radiusM: number; fixes: number; minSpeedKmh?: number; meanSpeedKmh?: number; doorOpenFixes: number };
  closestApproach?: { distanceM: number; at: string };
}

interface Complaint {
  id: string;
  kind: Kind;
  routeId?: string;
  plate?: string;
  busId?: string;
  stopId: string;
  stopName?: string;
  at: string;
  description?: string;
  reference?: string;
  serviceDay: string;
  window: { from: string; to: string };
  verdict: Verdict;
  summary: { vi: string; en: string };
  evidence: Pass[];
}

const t = defineMessages({
  vi: {
    title: 'Phản ánh',
    record: 'Ghi nhận phản ánh',
    day: 'Ngày',
    show: 'Xem',
    kind: 'Nội dung',
    'kind.skipped-stop': 'Xe không dừng đón',
    'kind.no-alighting': 'Xe không cho xuống',
    'kind.late': 'Xe trễ',
    'kind.other': 'Khác',
    route: 'Tuyến',
    noRoute: '— (theo biển số)',
    plate: 'Biển số xe',
    stopSearch: 'Tìm trạm (tên hoặc mã)',
    stop: 'Trạm',
    pickStop: 'Gõ tên trạm để tìm…',
    noStop: 'Không tìm thấy trạm.',
    at: 'Thời điểm',
    description: 'Nội dung hành khách phản ánh',
    reference: 'Số phiếu',
    submit: 'Ghi nhận và đối chiếu',
    needRouteOrPlate: 'Cần chọn tuyến hoặc nhập biển số.',
    list: 'Phản ánh trong ngày',
    none: 'Không có phản ánh nào.',
    time: 'Giờ',
    verdict: 'Kết luận',
    'verdict.confirmed-skipped': 'Xác nhận bỏ trạm',
    'verdict.confirmed-late': 'Xác nhận trễ',
    'verdict.bus-stopped': 'Xe có dừng',
    'verdict.on-time': 'Đúng giờ',
    'verdict.no-data': 'Không có dữ liệu',
    evidence: 'Bằng chứng',
    hide: 'Ẩn',
    window: 'Các xe qua trạm từ {from} đến {to}',
    noPasses: 'Không có xe nào qua trạm trong khoảng này.',
    bus: 'Xe',
    trip: 'Chuyến',
    finding: 'Ghi nhận',
    'finding.skipped': 'Qua trạm không dừng',
    'finding.no-door': 'Dừng nhưng không mở cửa',
    'finding.stopped': 'Có dừng',
    'finding.unobserved': 'Không đủ dữ liệu',
    'finding.late': 'Trễ',
    'finding.on-time': 'Đúng giờ',
    'finding.missed': 'Chuyến không chạy',
    passed: 'Qua trạm lúc',
    dwell: 'Dừng',
    seconds: '{n} giây',
    doors: 'Cửa',
    doorsOpen: 'có mở',
    doorsShut: 'không mở',
    doorsUnknown: 'không rõ',
    speed: 'Tốc độ trong vùng trạm (thấp nhất / trung bình)',
    kmh: '{min} / {mean} km/h',
    fixes: 'Số điểm GPS trong vùng {r} m',
    closest: 'Gần trạm nhất',
    metres: '{n} m lúc {time}',
    recorded: 'Đã ghi nhận: {verdict}.',
    failed: 'Không thực hiện được: {message}',
  },
  en: {
    title: 'Complaints',
    record: 'Record a complaint',
    day: 'Day',
    show: 'Show',
    kind: 'What happened',
    'kind.skipped-stop': 'Bus did not stop',
    'kind.no-alighting': 'Did not let passengers off',
    'kind.late': 'Bus late',
    'kind.other': 'Other',
    route: 'Route',
    noRoute: '— (by plate)',
    plate: 'Plate',
    stopSearch: 'Find the stop (name or code)',
    stop: 'Stop',
    pickStop: 'Type a stop name to search…',
    noStop: 'No stop found.',
    at: 'When',
    description: "The passenger's account",
    reference: 'Case number',
    submit: 'Record and check',
    needRouteOrPlate: 'Pick a route or enter a plate.',
    list: "The day's complaints",
    none: 'No complaints.',
    time: 'Time',
    verdict: 'Verdict',
    'verdict.confirmed-skipped': 'Skipped stop confirmed',
    'verdict.confirmed-late': 'Late confirmed',
    'verdict.bus-stopped': 'The bus stopped',
    'verdict.on-time': 'On time',
    'verdict.no-data': 'No data',
    evidence: 'Evidence',
    hide: 'Hide',
    window: 'Buses passing the stop from {from} to {to}',
    noPasses: 'No bus passed the stop in that window.',
    bus: 'Bus',
    trip: 'Trip',
    finding: 'Finding',
    'finding.skipped': 'Passed without stopping',
    'finding.no-door': 'Stopped, doors shut',
    'finding.stopped': 'Stopped',
    'finding.unobserved': 'Not enough data',
    'finding.late': 'Late',
    'finding.on-time': 'On time',
    'finding.missed': 'Trip not run',
    passed: 'Passed at',
    dwell: 'Dwell',
    seconds: '{n} s',
    doors: 'Doors',
    doorsOpen: 'opened',
    doorsShut: 'shut',
    doorsUnknown: 'unknown',
    speed: 'Speed in the stop zone (lowest / mean)',
    kmh: '{min} / {mean} km/h',
    fixes: 'GPS fixes within {r} m',
    closest: 'Closest approach',
    metres: '{n} m at {time}',
    recorded: 'Recorded: {verdict}.',
    failed: 'Could not do it: {message}',
  },
});

export const complaintsPage: Page = {
  path: '/complaints',
  access: 'signedIn',
  nav: 'complaints',
  title: () => t('title'),
  async mount(ctx) {
    const session = ctx.session!;
    const centre = session.role === 'centre';
    const day = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.get('day') ?? '') ? ctx.query.get('day')! : todayServiceDay();
    const { items: routes } = await api.get<{ items: RouteSummary[] }>('/v1/routes', undefined, ctx.signal);
    const routeName = new Map(routes.map((r) => [r.routeId, r.shortName]));
    const status = h('p', { role: 'status', class: 'status', 'data-testid': 'complaint-status' });
    const list = h('tbody');
    const dayForm = h(
      'form',
      {
        class: 'filters',
        onsubmit: (ev) => {
          ev.preventDefault();
          ctx.navigate(`/complaints?${new URLSearchParams({ day: String(new FormData(dayForm).get('day')) })}`);
        },
      },
      h('div', { class: 'field' }, h('label', { for: 'c-day' }, t('day')), h('input', { type: 'date', id: 'c-day', name: 'day', value: day, required: true })),
      h('button', { type: 'submit' }, t('show')),
    );
    ctx.root.append(
      h(
        'section',
        { class: 'panel wide complaints' },
        h('h1', {}, t('title')),
        centre ? recordForm() : null,
        status,
        h('h2', {}, t('list')),
        dayForm,
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'orders complaint-list' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [t('time'), t('route'), t('stop'), t('kind'), t('verdict'), ''].map((c) => h('th', { scope: 'col' }, c)),
              ),
            ),
            list,
          ),
        ),
      ),
    );

    function row(c: Complaint): HTMLTableRowElement[] {
      const { toggle, detail } = detailRow({
        className: 'complaint-evidence',
        colspan: 6,
        show: t('evidence'),
        hide: t('hide'),
        fill: (cell) =>
          api.get<Complaint>(`/v1/complaints/${seg(c.id)}`, undefined, ctx.signal).then(
            (full) => replace(cell, evidenceOf(full)),
            (err: Error) => replace(cell, h('p', { class: 'error' }, t('failed', { message: err.message }))),
          ),
      });
      return [
        h(
          'tr',
          { 'data-complaint': c.id, 'data-verdict': c.verdict },
          h('td', {}, hhmm(c.at)),
          h('td', {}, [c.routeId ? (routeName.get(c.routeId) ?? c.routeId) : '', c.plate ?? ''].filter(Boolean).join(' · ') || '—'),
          h('td', {}, c.stopName ?? c.stopId),
          h('td', {}, t(`kind.${c.kind}`)),
          h('td', {}, verdictBadge(c.verdict)),
          h('td', { class: 'actions' }, toggle),
        ),
        detail,
      ];
    }

    function show(items: Complaint[]): void {
      replace(list, items.length ? items.flatMap(row) : h('tr', {}, h('td', { colspan: 6 }, t('none'))));
    }

    function recordForm(): HTMLElement {
      const stopQuery = h('input', { type: 'search', id: 'c-stop-q', autocomplete: 'off', placeholder: t('pickStop'), maxlength: 64 });
      const stopSelect = h('select', { id: 'c-stop', name: 'stopId', required: true }, h('option', { value: '' }, t('pickStop')));
      let searchTimer: ReturnType<typeof setTimeout> | undefined;
      stopQuery.addEventListener('input', () => {
        clearTimeout(searchTimer);
        const q = stopQuery.value.trim();
        if (!q) return;
        searchTimer = setTimeout(async () => {
          try {
            const { items } = await api.get<{ items: { stopId: string; name: string; code?: string }[] }>('/v1/stops', { q, limit: 20 }, ctx.signal);
            replace(
              stopSelect,
              items.length
                ? items.map((s) => h('option', { value: s.stopId }, `${s.name}${s.code ? ` (${s.code})` : ''}`))
                : h('option', { value: '' }, t('noStop')),
            );
          } catch (err) {
            if (!ctx.signal.aborted) status.textContent = t('failed', { message: (err as Error).message });
          }
        }, 250);
      });
      const form = h(
        'form',
        {
          class: 'complaint-form',
          'data-testid': 'complaint-form',
          onsubmit: async (ev) => {
            ev.preventDefault();
            const data = new FormData(form);
            const routeId = String(data.get('routeId') ?? '');
            const plate = String(data.get('plate') ?? '').trim();
            if (!routeId && !plate) {
              status.textContent = t('needRouteOrPlate');
              return;
            }
            const optional = (k: string) => String(data.get(k) ?? '').trim();
            try {
              const made = await api.post<Complaint>('/v1/complaints', {
                kind: data.get('kind'),
                ...(routeId ? { routeId } : {}),
                ...(plate ? { plate } : {}),
                stopId: data.get('stopId'),
                at: `${String(data.get('at'))}:00+07:00`,
                ...(optional('description') ? { description: optional('description') } : {}),
                ...(optional('reference') ? { reference: optional('reference') } : {}),
              });
              status.textContent = t('recorded', { verdict: t(`verdict.${made.verdict}`) });
              if (made.serviceDay === day) await refresh();
              const opened = list.querySelector<HTMLButtonElement>(`tr[data-complaint="${CSS.escape(made.id)}"] button[data-action=evidence]`);
              opened?.click();
            } catch (err) {
              status.textContent = t('failed', { message: (err as Error).message });
            }
          },
        },
        h('h2', {}, t('record')),
        h(
          'div',
          { class: 'filters' },
          control(
            'c-kind',
            t('kind'),
            h(
              'select',
              { id: 'c-kind', name: 'kind' },
              KINDS.map((k) => h('option', { value: k }, t(`kind.${k}`))),
            ),
          ),
          control(
            'c-route',
            t('route'),
            h(
              'select',
              { id: 'c-route', name: 'routeId' },
              h('option', { value: '' }, t('noRoute')),
              routes.map((r) => h('option', { value: r.routeId }, `${r.shortName} · ${r.longName}`)),
            ),
          ),
          control('c-plate', t('plate'), h('input', { type: 'text', id: 'c-plate', name: 'plate', maxlength: 20, autocomplete: 'off' })),
          control('c-stop-q', t('stopSearch'), stopQuery),
          control('c-stop', t('stop'), stopSelect),
          control('c-at', t('at'), h('input', { type: 'datetime-local', id: 'c-at', name: 'at', required: true, value: `${day}T07:30` })),
          control('c-ref', t('reference'), h('input', { type: 'text', id: 'c-ref', name: 'reference', maxlength: 64 })),
        ),
        control('c-desc', t('description'), h('textarea', { id: 'c-desc', name: 'description', rows: 2, maxlength: 2000 })),
        h('button', { type: 'submit' }, t('submit')),
      );
      return form;
    }

    async function refresh(): Promise<void> {
      const items: Complaint[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.get<Paged<Complaint>>('/v1/complaints', { serviceDay: day, limit: 200, cursor }, ctx.signal);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      show(items.sort((a, b) => a.at.localeCompare(b.at)));
    }

    await refresh();

    function evidenceOf(c: Complaint): HTMLElement {
      return h(
        'div',
        { class: 'complaint-detail', 'data-testid': 'complaint-detail' },
        h('p', { class: 'summary' }, verdictBadge(c.verdict), ' ', lang() === 'vi' ? c.summary.vi : c.summary.en),
        c.description ? h('blockquote', {}, c.description) : null,
        h('p', { class: 'muted' }, t('window', { from: hhmm(c.window.from), to: hhmm(c.window.to) })),
        c.evidence.length
          ? h(
              'ul',
              { class: 'passes' },
              c.evidence.map((p) =>
                h(
                  'li',
                  { 'data-finding': p.finding, 'data-bus': p.busId },
                  h(
                    'p',
                    {},
                    h('strong', {}, `${t('bus')} ${p.plate ?? p.busId}`),
                    ` · ${routeName.get(p.routeId) ?? p.routeId} · ${t('trip')} ${p.tripId} `,
                    h('span', { class: `badge pf-${p.finding}` }, t(`finding.${p.finding}`)),
                  ),
                  h(
                    'dl',
                    { class: 'evidence-list' },
                    pair(t('passed'), p.passedAt ? hhmm(p.passedAt) : '—'),
                    pair(t('dwell'), p.dwellS !== undefined ? t('seconds', { n: p.dwellS }) : '—'),
                    pair(t('doors'), p.doorOpened === undefined ? t('doorsUnknown') : p.doorOpened ? t('doorsOpen') : t('doorsShut')),
                    pair(
                      t('speed'),
                      p.zone.minSpeedKmh === undefined
                        ? '—'
                        : t('kmh', { min: Math.round(p.zone.minSpeedKmh), mean: Math.round(p.zone.meanSpeedKmh ?? p.zone.minSpeedKmh) }),
                    ),
                    pair(t('fixes', { r: p.zone.radiusM }), String(p.zone.fixes)),
                    pair(t('closest'), p.closestApproach ? t('metres', { n: Math.round(p.closestApproach.distanceM), time: hhmm(p.closestApproach.at) }) : '—'),
                  ),
                ),
              ),
            )
          : h('p', {}, t('noPasses')),
      );
    }
  },
};

function verdictBadge(v: Verdict): HTMLElement {
  return h('span', { class: `badge cv-${v}${CONFIRMING.has(v) ? ' confirmed' : ''}`, 'data-testid': 'verdict' }, t(`verdict.${v}`));
}

function pair(label: string, value: string): HTMLElement[] {
  return [h('dt', {}, label), h('dd', {}, value)];
}

function control(id: string, label: string, el: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), el);
}
