/**
 * The stop board `/board/{stopId}`: a stop's next arrivals as its electronic board shows them — route,
 * headsign, minutes or "Sắp đến", live or timetable — large and high-contrast for a TV at the stop or a
 * passenger's phone. No sign-in; it polls the public arrivals every few seconds.
 */
import { ApiError, api, seg } from '../api.js';
import type { Arrival, StopArrivals, StopDetail } from '../api-types.js';
import { h, replace } from '../dom.js';
import { defineMessages, hhmm, lang, setLang } from '../i18n.js';
import type { Page } from '../page.js';

const t = defineMessages({
  vi: {
    title: 'Bảng giờ xe đến',
    stop: 'Trạm {id}',
    route: 'Tuyến',
    towards: 'Hướng đi',
    due: 'Dự kiến',
    soon: 'Sắp đến',
    minutes: '{n} phút',
    live: 'Theo xe',
    scheduled: 'Theo lịch',
    liveLabel: 'Thời gian theo vị trí thực của xe',
    scheduledLabel: 'Thời gian theo lịch chạy',
    none: 'Chưa có chuyến xe nào sắp đến.',
    updated: 'Cập nhật {time}',
    offline: 'Mất kết nối — đang thử lại…',
    unknown: 'Không có trạm {id}.',
    switchLang: 'EN',
  },
  en: {
    title: 'Stop board',
    stop: 'Stop {id}',
    route: 'Route',
    towards: 'Towards',
    due: 'Due',
    soon: 'Due now',
    minutes: '{n} min',
    live: 'Live',
    scheduled: 'Timetable',
    liveLabel: 'Time from the bus’s live position',
    scheduledLabel: 'Time from the timetable',
    none: 'No buses due.',
    updated: 'Updated {time}',
    offline: 'Connection lost — retrying…',
    unknown: 'There is no stop {id}.',
    switchLang: 'VI',
  },
});

/** How often the board asks for its arrivals. */
const POLL_MS = 3000;
/** Under this, a bus is "Sắp đến" rather than a number of minutes. */
const DUE_S = 60;

export const boardPage: Page = {
  path: '/board/:stopId',
  access: 'public',
  bare: true,
  title: (p) => `${t('title')} ${p.stopId ?? ''}`,
  async mount(ctx) {
    const stopId = ctx.params.stopId!;
    const name = h('h1', { class: 'board-stop' }, t('stop', { id: stopId }));
    const clock = h('p', { class: 'board-clock', 'aria-live': 'off' });
    const rows = h('tbody');
    const note = h('p', { class: 'board-note', role: 'status' });
    const board = h(
      'section',
      { class: 'board', 'data-testid': 'board' },
      h(
        'header',
        { class: 'board-head' },
        name,
        clock,
        h('button', { type: 'button', class: 'board-lang', onclick: () => setLang(lang() === 'vi' ? 'en' : 'vi') }, t('switchLang')),
      ),
      h(
        'table',
        { class: 'board-table' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col' }, t('route')), h('th', { scope: 'col' }, t('towards')), h('th', { scope: 'col', class: 'num' }, t('due'))),
        ),
        rows,
      ),
      note,
    );
    ctx.root.append(board);
    // The board names routes as passengers know them (short name), once the stop's routes are known.
    const shortNames = new Map<string, string>();
    api.get<StopDetail>(`/v1/stops/${seg(stopId)}`, undefined, ctx.signal).then(
      (stop) => {
        replace(name, stop.name);
        for (const r of stop.routes) shortNames.set(r.routeId, r.shortName);
      },
      () => undefined,
    );
    ctx.every(POLL_MS, async () => {
      try {
        const arrivals = await api.get<StopArrivals>(`/v1/stops/${seg(stopId)}/arrivals`, { limit: 8 }, ctx.signal);
        replace(
          rows,
          arrivals.items.length
            ? arrivals.items.map((a) => row(a, Date.parse(arrivals.at), shortNames.get(a.routeId) ?? a.routeId))
            : h('tr', {}, h('td', { colspan: 3 }, t('none'))),
        );
        clock.textContent = hhmm(arrivals.at);
        // The instant of the answer shown, for whoever checks the board is current (the browser tests).
        board.dataset.at = arrivals.at;
        note.textContent = t('updated', { time: hhmm(arrivals.at) });
      } catch (err) {
        if (!ctx.signal.aborted) note.textContent = err instanceof ApiError && err.status === 404 ? t('unknown', { id: stopId }) : t('offline');
        throw err;
      }
    });
  },
};

function row(a: Arrival, nowMs: number, routeName: string): HTMLTableRowElement {
  const inS = Math.round((Date.parse(a.predictedAt) - nowMs) / 1000);
  const live = a.source === 'realtime';
  return h(
    'tr',
    { 'data-trip': a.tripId, 'data-source': a.source, class: live ? 'live' : 'scheduled' },
    h('td', { class: 'board-route' }, routeName),
    h('td', { class: 'board-headsign' }, a.headsign ?? ''),
    h(
      'td',
      { class: 'num board-due' },
      h('span', { class: 'due' }, inS < DUE_S ? t('soon') : t('minutes', { n: Math.round(inS / 60) })),
      h(
        'span',
        { class: `source ${live ? 'src-live' : 'src-scheduled'}`, title: live ? t('liveLabel') : t('scheduledLabel') },
        live ? `● ${t('live')}` : `◷ ${t('scheduled')}`,
      ),
    ),
  );
}
