/**
 * One step of an order's lifecycle, persisted: read the order (as the actor may see it), apply the step, write
 * it under the revision it was read at. Shared by the order desk, the start of service and the day close.
 */
import { assertCallerOwns } from '../access/operator-scope.js';
import { NotFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Actor } from './lifecycle.js';
import type { TripOrderStore } from './ports.js';
import type { TripOrder } from './schemas.js';

/** What persisting a lifecycle step needs. */
export interface OrderChangeDeps {
  orders: TripOrderStore;
  clock: Clock;
  logger: Logger;
}

/** The order `id` as `actor` may see it: NotFound if absent, Forbidden if it is another operator's. */
export async function readTripOrder(orders: TripOrderStore, id: string, actor: Actor): Promise<TripOrder> {
  const order = await orders.get(id);
  if (!order) throw new NotFound('trip order', id);
  assertCallerOwns(actor, order.operatorId, `trip order ${id}`);
  return order;
}

/** Applies `step` to order `id` and stores the result if nobody changed the order meanwhile (else a Conflict). */
export async function changeTripOrder(
  d: OrderChangeDeps,
  id: string,
  actor: Actor,
  step: (order: TripOrder, now: number) => TripOrder | Promise<TripOrder>,
): Promise<TripOrder> {
  const current = await readTripOrder(d.orders, id, actor);
  const next = await step(current, d.clock.now());
  await d.orders.update(next, current.revision);
  d.logger.info('trip order changed', { id, status: next.status, revision: next.revision, actor: actor.role });
  return next;
}
