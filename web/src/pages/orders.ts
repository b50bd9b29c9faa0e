/**
 * Trip orders `/orders` (lệnh vận chuyển): a service day's orders, filtered by operator, route and status
 * (the filters live in the address, so a view can be shared). The centre approves an issued order; the
 * centre or the operator cancels one with a reason; the operator amends the bus or the driver with a reason.
 * An operator sees only its own orders: the API answers nothing else.
 */
import { api, seg } from '../api.js';
import { TRIP_ORDER_STATUSES, type Paged, type RouteSummary, type TripOrder, type TripOrderStatus } from '../api-types.js';
import { h, replace } from '../dom.js';
import { defineMessages, hhmm } from '../i18n.js';
import type { Page } from '../page.js';
import { todayServiceDay } from '../service-day.js';

const t = defineMessages({
  vi: {
    title: 'Lệnh vận chuyển',
    day: 'Ngày',
    operator: 'Doanh nghiệp',
    route: 'Tuyến',
    status: 'Trạng thái',
    all: 'Tất cả',
    show: 'Xem',
    number: 'Số lệnh',
    bus: 'Xe',
    driver: 'Lái xe',
    trips: 'Chuyến',
    first: 'Xuất bến đầu',
    actions: 'Thao tác',
    approve: 'Duyệt',
    cancel: 'Hủy lệnh',
    amend: 'Điều chỉnh',
    reason: 'Lý do',
    busId: 'Mã xe',
    plate: 'Biển số',
    driverId: 'Mã lái xe',
    driverName: 'Tên lái xe',
    confirmCancel: 'Xác nhận hủy',
    confirmAmend: 'Lưu điều chỉnh',
    dismiss: 'Thôi',
    more: 'Xem thêm',
    none: 'Không có lệnh nào.',
    count: '{n} lệnh',
    done: 'Đã lưu lệnh {number}: {status}.',
    failed: 'Không thực hiện được: {message}',
    'status.draft': 'Nháp',
    'status.issued': 'Chờ duyệt',
    'status.approved': 'Đã duyệt',
    'status.in_service': 'Đang chạy',
    'status.closed': 'Đã kết thúc',
    'status.reconciled': 'Đã đối soát',
    'status.cancelled': 'Đã hủy',
  },
  en: {
    title: 'Trip orders',
    day: 'Day',
    operator: 'Operator',
    route: 'Route',
    status: 'Status',
    all: 'All',
    show: 'Show',
    number: 'Order',
    bus: 'Bus',
    driver: 'Driver',
    trips: 'Trips',
    first: 'First departure',
    actions: 'Actions',
    approve: 'Approve',
    cancel: 'Cancel order',
    amend: 'Amend',
    reason: 'Reason',
    busId: 'Bus id',
    plate: 'Plate',
    driverId: 'Driver id',
    driverName: 'Driver name',
    confirmCancel: 'Confirm cancellation',
    confirmAmend: 'Save amendment',
    dismiss: 'Never mind',
    more: 'Show more',
    none: 'No orders.',
    count: '{n} orders',
    done: 'Order {number} saved: {status}.',
    failed: 'Could not do it: {message}',
    'status.draft': 'Draft',
    'status.issued': 'Awaiting approval',
    'status.approved': 'Approved',
    'status.in_service': 'In service',
    'status.closed': 'Closed',
    'status.reconciled': 'Reconciled',
    'status.cancelled': 'Cancelled',
  },
});

const statusText = (s: TripOrderStatus) => t(`status.${s}`);

export const ordersPage: Page = {
  path: '/orders',
  access: 'signedIn',
  nav: 'orders',
  title: () => t('title'),
  async mount(ctx) {
    const session = ctx.session!;
    const q = ctx.query;
    const { items: routes } = await api.get<{ items: RouteSummary[] }>('/v1/routes', undefined, ctx.signal);
    const operators = [...new Map(routes.map((r) => [r.operator.operatorId, r.operator.name])).entries()];
    const filters = {
      serviceDay: q.get('day') ?? todayServiceDay(),
      operatorId: session.role === 'operator' ? (session.operatorId ?? '') : (q.get('operator') ?? ''),
      routeId: q.get('route') ?? '',
      status: q.get('status') ?? '',
    };
    const status = h('p', { role: 'status', class: 'status', 'data-testid': 'orders-status' });
    const body = h('tbody');
    const count = h('p', { class: 'muted' });
    const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('more'));
    const form = h(
      'form',
      {
        class: 'filters',
        onsubmit: (ev) => {
          ev.preventDefault();
          const data = new FormData(form);
          const params = new URLSearchParams();
          params.set('day', String(data.get('day')));
          for (const k of ['operator', 'route', 'status']) if (data.get(k)) params.set(k, String(data.get(k)));
          ctx.navigate(`/orders?${params}`);
        },
      },
      field(t('day'), h('input', { type: 'date', name: 'day', id: 'f-day', value: filters.serviceDay, required: true })),
      session.role === 'centre'
        ? field(
            t('operator'),
            select(
              'operator',
              filters.operatorId,
              operators.map(([id, name]) => [id, name]),
            ),
          )
        : null,
      field(
        t('route'),
        select(
          'route',
          filters.routeId,
          routes
            .filter((r) => session.role === 'centre' || r.operator.operatorId === session.operatorId)
            .map((r) => [r.routeId, `${r.shortName} · ${r.longName}`]),
        ),
      ),
      field(
        t('status'),
        select(
          'status',
          filters.status,
          TRIP_ORDER_STATUSES.map((s) => [s, statusText(s)]),
        ),
      ),
      h('button', { type: 'submit' }, t('show')),
    );
    ctx.root.append(
      h(
        'section',
        { class: 'panel wide' },
        h('h1', {}, t('title')),
        form,
        status,
        count,
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
                [t('number'), t('operator'), t('route'), t('bus'), t('driver'), t('trips'), t('first'), t('status'), t('actions')].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            body,
          ),
        ),
        more,
      ),
    );

    const routeName = new Map(routes.map((r) => [r.routeId, r.shortName]));
    const operatorName = new Map(operators);
    let shown = 0;
    const load = async (cursor?: string) => {
      const page = await api.get<Paged<TripOrder>>(
        '/v1/trip-orders',
        { serviceDay: filters.serviceDay, operatorId: filters.operatorId, routeId: filters.routeId, status: filters.status, limit: 100, cursor },
        ctx.signal,
      );
      if (!cursor) body.replaceChildren();
      for (const order of page.items) body.append(orderRow(order));
      shown += page.items.length;
      if (!shown) replace(body, h('tr', {}, h('td', { colspan: 9 }, t('none'))));
      count.textContent = t('count', { n: shown });
      more.hidden = !page.nextCursor;
      more.onclick = () => void load(page.nextCursor);
    };

    const act = async (order: TripOrder, path: string, payload?: unknown) => {
      try {
        const updated = await api.post<TripOrder>(`/v1/trip-orders/${seg(order.id)}/${path}`, payload);
        status.textContent = t('done', { number: updated.orderNumber, status: statusText(updated.status) });
        body.querySelector(`tr[data-order="${CSS.escape(order.id)}"]`)?.replaceWith(orderRow(updated));
      } catch (err) {
        status.textContent = t('failed', { message: (err as Error).message });
      }
    };

    function orderRow(o: TripOrder): HTMLTableRowElement {
      const first = o.trips.map((x) => x.plannedDeparture).sort()[0];
      const actions = h('td', { class: 'actions' });
      const row = h(
        'tr',
        { 'data-order': o.id, 'data-status': o.status },
        h('td', { 'data-label': t('number') }, o.orderNumber),
        h('td', { 'data-label': t('operator') }, operatorName.get(o.operatorId) ?? o.operatorId),
        h('td', { 'data-label': t('route') }, routeName.get(o.routeId) ?? o.routeId),
        h('td', { 'data-label': t('bus') }, o.vehicle.plate),
        h('td', { 'data-label': t('driver') }, o.driver.name ?? o.driver.driverId),
        h('td', { class: 'num', 'data-label': t('trips') }, o.trips.length),
        h('td', { 'data-label': t('first') }, first ? hhmm(first) : '—'),
        h('td', { 'data-label': t('status') }, h('span', { class: `badge st-${o.status}` }, statusText(o.status))),
        actions,
      );
      const open = ['draft', 'issued', 'approved'].includes(o.status);
      if (session.role === 'centre' && o.status === 'issued')
        actions.append(h('button', { type: 'button', 'data-action': 'approve', onclick: () => void act(o, 'approve') }, t('approve')));
      if (session.role === 'operator' && (o.status === 'issued' || o.status === 'approved'))
        actions.append(h('button', { type: 'button', class: 'secondary', 'data-action': 'amend', onclick: () => amendForm(actions, o, act) }, t('amend')));
      if (open)
        actions.append(h('button', { type: 'button', class: 'danger', 'data-action': 'cancel', onclick: () => cancelForm(actions, o, act) }, t('cancel')));
      return row;
    }

    await load();
  },
};

type Act = (order: TripOrder, path: string, payload?: unknown) => Promise<void>;

function cancelForm(cell: HTMLElement, o: TripOrder, act: Act): void {
  const reason = h('input', { type: 'text', name: 'reason', id: `reason-${o.id}`, required: true, maxlength: 1000 });
  const form = h(
    'form',
    {
      class: 'inline-form',
      onsubmit: (ev) => {
        ev.preventDefault();
        void act(o, 'cancel', { reason: reason.value });
      },
    },
    h('label', { for: `reason-${o.id}` }, t('reason')),
    reason,
    h('button', { type: 'submit', class: 'danger' }, t('confirmCancel')),
    h('button', { type: 'button', class: 'secondary', onclick: () => form.remove() }, t('dismiss')),
  );
  cell.append(form);
  reason.focus();
}

function amendForm(cell: HTMLElement, o: TripOrder, act: Act): void {
  const id = (k: string) => `${k}-${o.id}`;
  const busId = h('input', { type: 'text', id: id('bus'), value: o.vehicle.busId, required: true });
  const plate = h('input', { type: 'text', id: id('plate'), value: o.vehicle.plate, required: true });
  const driverId = h('input', { type: 'text', id: id('driver'), value: o.driver.driverId, required: true });
  const driverName = h('input', { type: 'text', id: id('driver-name'), value: o.driver.name ?? '' });
  const reason = h('input', { type: 'text', id: id('reason'), required: true, maxlength: 1000 });
  const form = h(
    'form',
    {
      class: 'inline-form',
      onsubmit: (ev) => {
        ev.preventDefault();
        void act(o, 'amend', {
          reason: reason.value,
          vehicle: { busId: busId.value.trim(), plate: plate.value.trim() },
          driver: { driverId: driverId.value.trim(), ...(driverName.value.trim() ? { name: driverName.value.trim() } : {}) },
        });
      },
    },
    h('label', { for: id('bus') }, t('busId')),
    busId,
    h('label', { for: id('plate') }, t('plate')),
    plate,
    h('label', { for: id('driver') }, t('driverId')),
    driverId,
    h('label', { for: id('driver-name') }, t('driverName')),
    driverName,
    h('label', { for: id('reason') }, t('reason')),
    reason,
    h('button', { type: 'submit' }, t('confirmAmend')),
    h('button', { type: 'button', class: 'secondary', onclick: () => form.remove() }, t('dismiss')),
  );
  cell.append(form);
  reason.focus();
}

function field(label: string, control: HTMLElement): HTMLElement {
  const id = control.id || `f-${control.getAttribute('name')}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function select(name: string, value: string, options: [string, string][]): HTMLSelectElement {
  return h(
    'select',
    { name },
    h('option', { value: '' }, t('all')),
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)),
  );
}
