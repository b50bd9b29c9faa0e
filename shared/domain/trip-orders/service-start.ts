/** The start of service from telemetry: a bus started a trip of its approved order. */
import { Conflict } from '../errors.js';
import { SYSTEM_ACTOR, startService } from './lifecycle.js';
import { changeTripOrder, type OrderChangeDeps } from './order-change.js';
import type { TripOrder } from './schemas.js';

/**
 * Telemetry says the bus started a trip of order `id`: approved → in_service. Anything else (already in
 * service, not approved yet, unknown order) is left as it is: telemetry cannot move an order backwards.
 * Returns the order put into service, or undefined when nothing changed.
 */
export async function startTripOrderService(d: OrderChangeDeps, id: string, evidence: string): Promise<TripOrder | undefined> {
  const order = await d.orders.get(id);
  if (order?.status !== 'approved') return undefined;
  try {
    return await changeTripOrder(d, id, SYSTEM_ACTOR, (o, now) => startService(o, now, { reason: evidence }));
  } catch (err) {
    if (err instanceof Conflict) return undefined; // someone else moved it first
    throw err;
  }
}
