/** The trip-order routes: each parses through the catalogue's schemas and calls the trip-order service. */
import { apiRoutes } from '../../shared/api/index.js';
import type { ApiDeps } from '../../shared/adapters/api-deps.js';
import { actorOf } from '../../shared/adapters/http/actor.js';
import { apiFunction, type ApiFunctionEnv } from '../../shared/adapters/http/api-function.js';
import { decodeCursor, encodeCursor } from '../../shared/adapters/http/cursor.js';
import { HttpResponse } from '../../shared/adapters/http/http-types.js';
import { scopedToCaller } from '../../shared/domain/access/operator-scope.js';

const r = apiRoutes;

export function makeHandlers(env: ApiFunctionEnv<ApiDeps>) {
  return {
    [r.createTripOrder.id]: apiFunction(r.createTripOrder, env, async ({ body, principal }, d) => {
      const [order] = await d.tripOrders.create([body], actorOf(principal));
      return new HttpResponse(201, order, { location: `/v1/trip-orders/${order!.id}` });
    }),
    [r.createTripOrders.id]: apiFunction(r.createTripOrders, env, async ({ body, principal }, d) => ({
      created: await d.tripOrders.create(body.orders, actorOf(principal), (i) => `orders[${i}].`),
    })),
    [r.listTripOrders.id]: apiFunction(r.listTripOrders, env, async ({ query, principal }, d) => {
      const { limit, cursor, ...asked } = query;
      // The cursor is bound to the filter as it runs: an operator's names its own operator.
      const filter = scopedToCaller(principal, asked, 'trip orders');
      const page = await d.tripOrders.list(filter, actorOf(principal), limit, await decodeCursor(cursor, d.cursorKey, filter));
      const nextCursor = await encodeCursor(page.lastKey, d.cursorKey, filter);
      return { items: page.items, ...(nextCursor ? { nextCursor } : {}) };
    }),
    [r.getTripOrder.id]: apiFunction(r.getTripOrder, env, ({ params, principal }, d) => d.tripOrders.get(params.id, actorOf(principal))),
    [r.issueTripOrder.id]: apiFunction(r.issueTripOrder, env, ({ params, principal }, d) => d.tripOrders.issue(params.id, actorOf(principal))),
    [r.approveTripOrder.id]: apiFunction(r.approveTripOrder, env, ({ params, principal }, d) => d.tripOrders.approve(params.id, actorOf(principal))),
    [r.amendTripOrder.id]: apiFunction(r.amendTripOrder, env, ({ params, body, principal }, d) => d.tripOrders.amend(params.id, actorOf(principal), body)),
    [r.cancelTripOrder.id]: apiFunction(r.cancelTripOrder, env, ({ params, body, principal }, d) => d.tripOrders.cancel(params.id, actorOf(principal), body)),
    [r.confirmTrip.id]: apiFunction(r.confirmTrip, env, ({ params, body, principal }, d) => d.tripOrders.confirm(params.id, actorOf(principal), body)),
  };
}
