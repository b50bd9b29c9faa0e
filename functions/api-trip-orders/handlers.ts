/** The trip-order routes: each parses through the catalogue's schemas and calls the trip-order service. */
import { apiRoutes } from '../../shared/api/index.js';
import type { ApiDeps } from '../../shared/adapters/api-deps.js';
import { actorOf } from '../../shared/adapters/http/actor.js';
import { decodeCursor, encodeCursor } from '../../shared/adapters/http/cursor.js';
import { httpHandler, HttpResponse } from '../../shared/adapters/http/http-handler.js';

const r = apiRoutes;

export function makeHandlers(deps: () => Promise<ApiDeps>) {
  return {
    [r.createTripOrder.id]: httpHandler(r.createTripOrder, deps, async ({ body, principal }, d) => {
      const [order] = await d.tripOrders.create([body], actorOf(principal));
      return new HttpResponse(201, order, { location: `/v1/trip-orders/${order!.id}` });
    }),
    [r.createTripOrders.id]: httpHandler(r.createTripOrders, deps, async ({ body, principal }, d) => ({
      created: await d.tripOrders.create(body.orders, actorOf(principal), (i) => `orders[${i}].`),
    })),
    [r.listTripOrders.id]: httpHandler(r.listTripOrders, deps, async ({ query, principal }, d) => {
      const { limit, cursor, ...filter } = query;
      const page = await d.tripOrders.list(filter, actorOf(principal), limit, decodeCursor(cursor, d.cursorKey));
      const nextCursor = encodeCursor(page.lastKey, d.cursorKey);
      return { items: page.items, ...(nextCursor ? { nextCursor } : {}) };
    }),
    [r.getTripOrder.id]: httpHandler(r.getTripOrder, deps, ({ params, principal }, d) => d.tripOrders.get(params.id, actorOf(principal))),
    [r.issueTripOrder.id]: httpHandler(r.issueTripOrder, deps, ({ params, principal }, d) => d.tripOrders.issue(params.id, actorOf(principal))),
    [r.approveTripOrder.id]: httpHandler(r.approveTripOrder, deps, ({ params, principal }, d) => d.tripOrders.approve(params.id, actorOf(principal))),
    [r.amendTripOrder.id]: httpHandler(r.amendTripOrder, deps, ({ params, body, principal }, d) => d.tripOrders.amend(params.id, actorOf(principal), body)),
    [r.cancelTripOrder.id]: httpHandler(r.cancelTripOrder, deps, ({ params, body, principal }, d) => d.tripOrders.cancel(params.id, actorOf(principal), body)),
    [r.confirmTrip.id]: httpHandler(r.confirmTrip, deps, ({ params, body, principal }, d) => d.tripOrders.confirm(params.id, actorOf(principal), body)),
  };
}
