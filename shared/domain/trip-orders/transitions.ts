/**
 * The trip-order lifecycle as data: for every action, the statuses it applies to, the status it leads to and
 * the roles that may take it. `lifecycle.ts` applies it; tests and the API derive their matrices from it.
 *
 *   draft → issued → approved → in_service → closed → reconciled
 *   cancel (operator, centre) from draft | issued | approved → cancelled
 *   amend (operator) keeps the status: draft | issued | approved
 *   confirm (operator: terminal confirmations) keeps the status: approved | in_service | closed
 */
import { Conflict, Forbidden } from '../errors.js';
import { type ActorRole, TRIP_ORDER_ACTIONS, type TripOrder, type TripOrderAction, type TripOrderStatus } from './schemas.js';

/** Who acts. An operator acts for one operatorId and only on that operator's orders. */
export type Actor = { role: 'operator'; id: string; operatorId: string } | { role: 'centre'; id: string } | { role: 'system'; id: string };

/** The actor of telemetry- and schedule-driven steps (start of service, day end, reconciliation). */
export const SYSTEM_ACTOR: Actor = { role: 'system', id: 'system' };

export interface TransitionRule {
  from: readonly TripOrderStatus[];
  /** The status after the action; undefined when the action keeps the status (amend, confirm). */
  to?: TripOrderStatus;
  roles: readonly ActorRole[];
}

export const TRANSITIONS: Readonly<Record<TripOrderAction, TransitionRule>> = {
  issue: { from: ['draft'], to: 'issued', roles: ['operator'] },
  approve: { from: ['issued'], to: 'approved', roles: ['centre'] },
  // A draft is editable too; an approved order stays approved (the amendment shows in the audit trail).
  amend: { from: ['draft', 'issued', 'approved'], roles: ['operator'] },
  cancel: { from: ['draft', 'issued', 'approved'], to: 'cancelled', roles: ['operator', 'centre'] },
  startService: { from: ['approved'], to: 'in_service', roles: ['system'] },
  // Day end closes an approved order that never started too, so that reconciliation counts its trips missed.
  close: { from: ['approved', 'in_service'], to: 'closed', roles: ['system'] },
  // A re-run of reconciliation after late data marks the order again.
  markReconciled: { from: ['closed', 'reconciled'], to: 'reconciled', roles: ['system'] },
  confirm: { from: ['approved', 'in_service', 'closed'], roles: ['operator'] },
};

/**
 * Throws Forbidden when the actor may not take the action at all or acts on another operator's order, and
 * Conflict (`illegal-transition`) when the action does not apply to the order's status. Forbidden is checked
 * first: a caller learns nothing about an order it may not touch.
 */
export function authorise(order: Pick<TripOrder, 'id' | 'status' | 'operatorId'>, action: TripOrderAction, actor: Actor): TransitionRule {
  const rule = TRANSITIONS[action];
  if (!rule.roles.includes(actor.role)) throw new Forbidden(`${actor.role} ${actor.id} may not ${action} a trip order`);
  if (actor.role === 'operator' && actor.operatorId !== order.operatorId) {
    throw new Forbidden(`operator ${actor.operatorId} may not ${action} trip order ${order.id} of operator ${order.operatorId}`);
  }
  if (!rule.from.includes(order.status)) {
    throw new Conflict(`cannot ${action} trip order ${order.id}: it is ${order.status} (allowed from ${rule.from.join(', ')})`, 'illegal-transition');
  }
  return rule;
}

/** The actions `actor` may take on `order` now, in lifecycle order. */
export function allowedActions(order: Pick<TripOrder, 'id' | 'status' | 'operatorId'>, actor: Actor): TripOrderAction[] {
  return TRIP_ORDER_ACTIONS.filter((action) => {
    const rule = TRANSITIONS[action];
    return rule.roles.includes(actor.role) && rule.from.includes(order.status) && (actor.role !== 'operator' || actor.operatorId === order.operatorId);
  });
}
