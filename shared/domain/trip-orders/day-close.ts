/** The end of a service day for its trip orders. */
import { Conflict } from '../errors.js';
import { SYSTEM_ACTOR, close } from './lifecycle.js';
import { changeTripOrder, type OrderChangeDeps } from './order-change.js';

/** Orders read per page while closing a day. */
const CLOSE_PAGE_SIZE = 100;

/** The service day is over: every approved or in-service order of it is closed. Returns how many. */
export async function closeTripOrdersOfDay(d: OrderChangeDeps, serviceDay: string): Promise<number> {
  let closed = 0;
  for (const status of ['approved', 'in_service'] as const) {
    let after: Record<string, unknown> | undefined;
    do {
      const page = await d.orders.list({ serviceDay, status }, CLOSE_PAGE_SIZE, after);
      for (const order of page.items) {
        try {
          await changeTripOrder(d, order.id, SYSTEM_ACTOR, (o, now) => close(o, now, { reason: `service day ${serviceDay} ended` }));
          closed++;
        } catch (err) {
          if (!(err instanceof Conflict)) throw err; // moved meanwhile: the other writer's step stands
        }
      }
      after = page.lastKey;
    } while (after);
  }
  d.logger.info('service day closed', { serviceDay, closed });
  return closed;
}
