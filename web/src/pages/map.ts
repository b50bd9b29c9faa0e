/**
 * The live map `/`: every route's shape and stops, and its buses coloured by delay (stale ones greyed, those
 * waiting at a terminal between trips hollow), moved by polling `/v1/vehicles` every few seconds. Selecting a bus — on the map or in the list, which the keyboard
 * reaches — shows its trip, next stops and predicted arrivals. Without a tile server the map draws on a plain
 * background.
 */
import type * as Leaflet from 'leaflet';
import { api, seg } from '../api.js';
import type { RouteDetail, RouteSummary, StopArrivals, Vehicle } from '../api-types.js';
import { h, replace } from '../dom.js';
import { defineMessages, hhmm } from '../i18n.js';
import type { Page, PageContext } from '../page.js';

const t = defineMessages({
  vi: {
    title: 'Bản đồ trực tuyến',
    buses: 'Xe trên tuyến ({n})',
    legend: 'Chú thích',
    onTime: 'Đúng giờ',
    late: 'Trễ 2–5 phút',
    veryLate: 'Trễ trên 5 phút',
    early: 'Sớm',
    stale: 'Mất tín hiệu',
    layover: 'Chờ xuất bến',
    pick: 'Chọn một xe trên bản đồ hoặc trong danh sách.',
    route: 'Tuyến {name}',
    trip: 'Chuyến',
    delay: 'Độ trễ',
    delayValue: '{sign}{min} phút',
    lastFix: 'Vị trí lúc',
    speed: 'Tốc độ',
    nextStops: 'Trạm sắp tới',
    noTrip: 'Xe không chạy chuyến nào lúc này.',
    predicted: 'dự kiến {time}',
    busLabel: 'Xe {plate}, tuyến {route}',
    close: 'Đóng',
  },
  en: {
    title: 'Live map',
    buses: 'Buses on routes ({n})',
    legend: 'Legend',
    onTime: 'On time',
    late: '2–5 min late',
    veryLate: 'Over 5 min late',
    early: 'Early',
    stale: 'No signal',
    layover: 'At terminal',
    pick: 'Pick a bus on the map or in the list.',
    route: 'Route {name}',
    trip: 'Trip',
    delay: 'Delay',
    delayValue: '{sign}{min} min',
    lastFix: 'Position at',
    speed: 'Speed',
    nextStops: 'Next stops',
    noTrip: 'The bus runs no trip right now.',
    predicted: 'due {time}',
    busLabel: 'Bus {plate}, route {route}',
    close: 'Close',
  },
});

const POLL_MS = 4000;
const NEXT_STOPS = 3;
/** Ho Chi Minh City centre, until the routes are drawn. */
const CITY: [number, number] = [10.7769, 106.7009];

type DelayClass = 'on-time' | 'late' | 'very-late' | 'early' | 'stale' | 'layover';

/**
 * The colour class of a bus: stale first (its delay is old news), then waiting at its terminal (no trip, no
 * delay), then by minutes behind the timetable.
 */
function delayClass(v: Vehicle): DelayClass {
  if (v.stale) return 'stale';
  if (v.status === 'layover') return 'layover';
  const d = v.delayS ?? 0;
  if (d < -60) return 'early';
  if (d <= 120) return 'on-time';
  if (d <= 300) return 'late';
  return 'very-late';
}

/** Route lines when the feed gives no colour: muted, distinct, none close to the delay colours of the buses. */
const ROUTE_PALETTE = ['#5b6fa8', '#8a5fa0', '#4f8c8c', '#9a7b4f', '#6b7d3a', '#a0607a', '#4a6b8a'];

/** A bus on layover is hollow: white inside its dark ring. */
const COLOURS: Record<DelayClass, string> = {
  'on-time': '#1a7f37',
  late: '#b35900',
  'very-late': '#c01c28',
  early: '#1f5fbf',
  stale: '#6b6b6b',
  layover: '#ffffff',
};

export const mapPage: Page = {
  path: '/',
  access: 'public',
  nav: 'map',
  title: () => t('title'),
  async mount(ctx) {
    const L = (window as unknown as { L: typeof Leaflet }).L;
    const mapEl = h('div', { class: 'map', 'data-testid': 'map' });
    const detail = h('div', { class: 'bus-detail', 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('pick')));
    const listTitle = h('h2', {}, t('buses', { n: 0 }));
    const list = h('ul', { class: 'bus-list' });
    ctx.root.append(
      // The list first in the page's order (the map is drawn left of it): the keyboard reaches the buses at once.
      h(
        'div',
        { class: 'map-page' },
        h('aside', { class: 'map-side' }, h('h1', { class: 'visually-hidden' }, t('title')), detail, legend(), listTitle, list),
        mapEl,
      ),
    );
    const map = L.map(mapEl, { zoomControl: true, attributionControl: !!ctx.config.tileUrl }).setView(CITY, 12);
    ctx.signal.addEventListener('abort', () => map.remove());
    if (ctx.config.tileUrl) L.tileLayer(ctx.config.tileUrl, { maxZoom: 19, attribution: ctx.config.tileAttribution ?? '' }).addTo(map);

    const { items: summaries } = await api.get<{ items: RouteSummary[] }>('/v1/routes', undefined, ctx.signal);
    const routes = await Promise.all(summaries.map((r) => api.get<RouteDetail>(`/v1/routes/${seg(r.routeId)}`, undefined, ctx.signal)));
    const byId = new Map(routes.map((r) => [r.routeId, r]));
    const bounds = L.latLngBounds([]);
    for (const [i, r] of routes.entries()) drawRoute(L, map, r, bounds, r.colour ?? ROUTE_PALETTE[i % ROUTE_PALETTE.length]!);
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });

    const markers = new Map<string, Leaflet.CircleMarker>();
    let selected: string | undefined;
    const select = (busId: string) => {
      selected = busId;
      void showBus(ctx, detail, busId, byId, () => {
        selected = undefined;
        replace(detail, h('p', { class: 'muted' }, t('pick')));
      });
    };

    ctx.every(POLL_MS, async () => {
      const answers = await Promise.all(routes.map((r) => api.get<{ items: Vehicle[] }>('/v1/vehicles', { routeId: r.routeId }, ctx.signal)));
      const vehicles = answers.flatMap((a) => a.items).filter((v) => v.position);
      const seen = new Set<string>();
      for (const v of vehicles) {
        seen.add(v.busId);
        const cls = delayClass(v);
        const at: [number, number] = [v.position!.lat, v.position!.lon];
        let marker = markers.get(v.busId);
        if (!marker) {
          marker = L.circleMarker(at, { radius: 8, weight: 2, color: '#111', fillOpacity: 0.95, className: `bus-marker bus-${cssId(v.busId)}` }).addTo(map);
          marker.on('click', () => select(v.busId));
          markers.set(v.busId, marker);
        }
        marker.setLatLng(at);
        marker.setStyle({ fillColor: COLOURS[cls] });
        marker.getElement()?.setAttribute('data-delay', cls);
        marker.bindTooltip(t('busLabel', { plate: v.plate ?? v.busId, route: byId.get(v.routeId ?? '')?.shortName ?? v.routeId ?? '—' }));
      }
      for (const [busId, marker] of markers)
        if (!seen.has(busId)) {
          marker.remove();
          markers.delete(busId);
        }
      listTitle.textContent = t('buses', { n: vehicles.length });
      replace(
        list,
        vehicles
          .sort((a, b) => (a.routeId ?? '').localeCompare(b.routeId ?? '') || a.busId.localeCompare(b.busId))
          .map((v) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: `bus-item ${delayClass(v)}`,
                  'data-bus': v.busId,
                  'aria-pressed': v.busId === selected ? 'true' : 'false',
                  onclick: () => select(v.busId),
                },
                h('span', { class: 'dot', style: `background:${COLOURS[delayClass(v)]}` }),
                `${byId.get(v.routeId ?? '')?.shortName ?? '—'} · ${v.plate ?? v.busId}`,
                h('span', { class: 'muted' }, delayText(v)),
              ),
            ),
          ),
      );
      if (selected) await showBus(ctx, detail, selected, byId, () => undefined, true);
    });
  },
};

function drawRoute(L: typeof Leaflet, map: Leaflet.Map, r: RouteDetail, bounds: Leaflet.LatLngBounds, colour: string): void {
  const stops = new Set<string>();
  for (const p of r.patterns) {
    const line = p.shape.coordinates.map(([lon, lat]) => L.latLng(lat, lon));
    L.polyline(line, { color: colour, weight: 4, opacity: 0.75, className: `route-shape route-${cssId(r.routeId)}` })
      .bindTooltip(`${r.shortName} · ${r.longName}`)
      .addTo(map);
    for (const ll of line) bounds.extend(ll);
    for (const s of p.stops) {
      if (stops.has(s.stopId)) continue;
      stops.add(s.stopId);
      L.circleMarker([s.lat, s.lon], { radius: 3, weight: 1, color: colour, fillColor: '#fff', fillOpacity: 1, className: 'stop-marker' })
        .bindTooltip(s.name)
        .addTo(map);
    }
  }
}

function legend(): HTMLElement {
  const items: [DelayClass, string][] = [
    ['on-time', t('onTime')],
    ['late', t('late')],
    ['very-late', t('veryLate')],
    ['early', t('early')],
    ['stale', t('stale')],
    ['layover', t('layover')],
  ];
  return h(
    'details',
    { class: 'legend' },
    h('summary', {}, t('legend')),
    h(
      'ul',
      {},
      items.map(([cls, label]) => h('li', {}, h('span', { class: 'dot', style: `background:${COLOURS[cls]}` }), label)),
    ),
  );
}

function delayText(v: Vehicle): string {
  if (v.stale) return t('stale');
  if (v.status === 'layover') return t('layover');
  if (v.delayS === undefined) return '';
  const min = Math.round(Math.abs(v.delayS) / 60);
  return t('delayValue', { sign: v.delayS < 0 ? '−' : '+', min });
}

/** A bus's trip, its next stops and their predicted arrivals (the stop's arrivals for the bus's trip). */
async function showBus(
  ctx: PageContext,
  el: HTMLElement,
  busId: string,
  routes: Map<string, RouteDetail>,
  onClose: () => void,
  refresh = false,
): Promise<void> {
  const v = await api.get<Vehicle>(`/v1/vehicles/${seg(busId)}`, undefined, ctx.signal);
  const route = routes.get(v.routeId ?? '');
  const pattern = route?.patterns.find((p) => v.nextStopId && p.stops.some((s) => s.stopId === v.nextStopId));
  const from = pattern ? pattern.stops.findIndex((s) => s.stopId === v.nextStopId) : -1;
  const next = pattern && from >= 0 && v.tripId ? pattern.stops.slice(from, from + NEXT_STOPS) : [];
  const predictions = await Promise.all(
    next.map(async (s) => {
      const answer = await api.get<StopArrivals>(`/v1/stops/${seg(s.stopId)}/arrivals`, { routeId: v.routeId, limit: 20 }, ctx.signal);
      return answer.items.find((a) => a.tripId === v.tripId);
    }),
  );
  if (ctx.signal.aborted || (refresh && el.dataset.bus !== busId)) return;
  el.dataset.bus = busId;
  replace(
    el,
    h(
      'div',
      { class: 'bus-card', 'data-testid': 'bus-detail' },
      h('h2', {}, `${v.plate ?? v.busId}`, h('span', { class: `badge ${delayClass(v)}` }, delayText(v) || '—')),
      h(
        'dl',
        {},
        h('dt', {}, t('route', { name: '' }).trim()),
        h('dd', {}, route ? `${route.shortName} · ${route.longName}` : (v.routeId ?? '—')),
        h('dt', {}, t('trip')),
        h('dd', { 'data-testid': 'bus-trip' }, v.tripId ?? '—'),
        h('dt', {}, t('lastFix')),
        h('dd', {}, v.lastFixAt ? hhmm(v.lastFixAt) : '—'),
        v.position?.speedKmh !== undefined ? [h('dt', {}, t('speed')), h('dd', {}, `${Math.round(v.position.speedKmh)} km/h`)] : null,
      ),
      h('h3', {}, t('nextStops')),
      next.length
        ? h(
            'ol',
            { class: 'next-stops' },
            next.map((s, i) => {
              const p = predictions[i];
              return h('li', {}, h('span', {}, s.name), p ? h('span', { class: 'muted' }, t('predicted', { time: hhmm(p.predictedAt) })) : null);
            }),
          )
        : h('p', { class: 'muted' }, t('noTrip')),
      h('button', { type: 'button', class: 'secondary', onclick: onClose }, t('close')),
    ),
  );
}

/** A bus id as a CSS class fragment. */
function cssId(busId: string): string {
  return busId.replace(/[^A-Za-z0-9_-]/g, '_');
}
