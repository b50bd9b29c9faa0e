/**
 * Trip-order lifecycle steps as pure functions: each checks who acts and from which status (`transitions.ts`),
 * and returns a new order with its status, revision + 1, updatedAt and one audit event appended. `now` is
 * epoch ms. Rules against the outside world (contract, registry, overlaps) are `validateTripOrder`'s: the
 * service runs it after `createTripOrder` and `amend`.
 */
import { Conflict, Forbidden, ValidationError } from '../errors.js';
import type { AuditEvent, Confirmation, TripOrder, TripOrderAction, TripOrderChanges, TripOrderCreate } from './schemas.js';
import { type Actor, SYSTEM_ACTOR, authorise } from './transitions.js';

export { type Actor, SYSTEM_ACTOR, TRANSITIONS, allowedActions } from './transitions.js';

/** A terminal confirmation may be recorded ahead of `now` by at most this much (device clocks drift). */
const CONFIRMATION_CLOCK_SKEW_MS = 5 * 60_000;

const AMENDABLE_FIELDS = ['vehicle', 'driver', 'staff', 'trips'] as const;

/** Options of the system's steps: another system actor (a named job) and why. */
export interface SystemStepOptions {
  actor?: Actor;
  reason?: string;
}

/** A lifecycle request as data, for `applyAction`. */
export type TripOrderActionRequest =
  | { action: 'issue' | 'approve' }
  | { action: 'cancel'; reason: string }
  | { action: 'amend'; changes: TripOrderChanges; reason: string }
  | { action: 'confirm'; confirmation: Confirmation }
  | { action: 'startService' | 'close' | 'markReconciled'; reason?: string };

/** A new order from a parsed create body: a draft, or issued when `input.issue`. Only its own operator creates it. */
export function createTripOrder(input: TripOrderCreate, actor: Actor, now: number, id: string): TripOrder {
  if (actor.role !== 'operator') throw new Forbidden(`${actor.role} ${actor.id} may not create a trip order`);
  if (actor.operatorId !== input.operatorId) throw new Forbidden(`operator ${actor.operatorId} may not create a trip order for operator ${input.operatorId}`);
  const at = isoOf(now);
  const who = auditActor(actor);
  const history: AuditEvent[] = [{ at, actor: who, action: 'create', changes: { status: { to: 'draft' } } }];
  if (input.issue) history.push({ at, actor: who, action: 'issue', changes: { status: { from: 'draft', to: 'issued' } } });
  return {
    id,
    orderNumber: input.orderNumber,
    serviceDay: input.serviceDay,
    operatorId: input.operatorId,
    routeId: input.routeId,
    vehicle: { ...input.vehicle },
    driver: { ...input.driver },
    staff: input.staff.map((s) => ({ ...s })),
    trips: normaliseTrips(input.trips),
    status: input.issue ? 'issued' : 'draft',
    revision: 1,
    createdAt: at,
    updatedAt: at,
    confirmations: [],
    history,
  };
}

/** draft → issued, by its operator. */
export function issue(order: TripOrder, actor: Actor, now: number): TripOrder {
  return step(order, 'issue', actor, now);
}

/** issued → approved, by the centre. */
export function approve(order: TripOrder, actor: Actor, now: number): TripOrder {
  return step(order, 'approve', actor, now);
}

/** draft | issued | approved → cancelled, by its operator or the centre, with a reason. */
export function cancel(order: TripOrder, actor: Actor, reason: string, now: number): TripOrder {
  authorise(order, 'cancel', actor);
  return step(order, 'cancel', actor, now, { reason: requireReason(reason) });
}

/**
 * Replaces vehicle, driver, staff and/or trips of a draft, issued or approved order, by its operator, with a
 * reason. The status is kept (an approved order stays approved); the event records each changed field as
 * { from, to }. An amendment that changes nothing returns the order as is (a retried request). Trips that
 * carry a terminal confirmation cannot be removed (Conflict `confirmed-trip-removed`). Re-validate the
 * result with `validateTripOrder`; the centre sees the amendments in the history (`amendmentsSinceApproval`).
 */
export function amend(order: TripOrder, changes: TripOrderChanges, actor: Actor, reason: string, now: number): TripOrder {
  authorise(order, 'amend', actor);
  const why = requireReason(reason);
  const next: Partial<Pick<TripOrder, (typeof AMENDABLE_FIELDS)[number]>> = {
    ...(changes.vehicle && { vehicle: { ...changes.vehicle } }),
    ...(changes.driver && { driver: { ...changes.driver } }),
    ...(changes.staff && { staff: changes.staff.map((s) => ({ ...s })) }),
    ...(changes.trips && { trips: normaliseTrips(changes.trips) }),
  };
  const diff: NonNullable<AuditEvent['changes']> = {};
  for (const field of AMENDABLE_FIELDS) {
    if (next[field] !== undefined && !deepEqual(next[field], order[field])) diff[field] = { from: order[field], to: next[field] };
  }
  if (Object.keys(diff).length === 0) return order;
  if (next.trips) {
    const kept = new Set(next.trips.map((t) => t.sequence));
    const lost = order.confirmations.find((c) => !kept.has(c.tripSequence));
    if (lost) {
      throw new Conflict(`trip ${lost.tripSequence} has a terminal ${lost.kind} confirmation and cannot be removed`, 'confirmed-trip-removed');
    }
  }
  const patch = Object.fromEntries(Object.keys(diff).map((f) => [f, next[f as keyof typeof next]]));
  return step(order, 'amend', actor, now, { reason: why, changes: diff, patch });
}

/** approved → in_service: the system saw the vehicle run its first trip. */
export function startService(order: TripOrder, now: number, opts: SystemStepOptions = {}): TripOrder {
  return step(order, 'startService', opts.actor ?? SYSTEM_ACTOR, now, { reason: opts.reason });
}

/** approved | in_service → closed: the service day ended. */
export function close(order: TripOrder, now: number, opts: SystemStepOptions = {}): TripOrder {
  return step(order, 'close', opts.actor ?? SYSTEM_ACTOR, now, { reason: opts.reason });
}

/** closed | reconciled → reconciled: a reconciliation run (or a re-run) covered the order. */
export function markReconciled(order: TripOrder, now: number, opts: SystemStepOptions = {}): TripOrder {
  return step(order, 'markReconciled', opts.actor ?? SYSTEM_ACTOR, now, { reason: opts.reason });
}

/**
 * Records a terminal's departure or arrival confirmation of a planned trip on an approved, in-service or closed
 * order, by its operator. One confirmation per trip and kind: an identical repeat returns the order as is, a
 * different one is a Conflict. Validation: the trip sequence exists, `at` is not in the future, an arrival is
 * not before its departure.
 */
export function confirm(order: TripOrder, confirmation: Confirmation, actor: Actor, now: number): TripOrder {
  authorise(order, 'confirm', actor);
  const atMs = Date.parse(confirmation.at);
  if (Number.isNaN(atMs)) throw new ValidationError('at', `not an instant: ${confirmation.at}`);
  const recorded = { ...confirmation, at: isoOf(atMs) };
  if (!order.trips.some((t) => t.sequence === recorded.tripSequence)) {
    throw new ValidationError('tripSequence', `trip order ${order.id} has no trip ${recorded.tripSequence}`);
  }
  if (atMs > now + CONFIRMATION_CLOCK_SKEW_MS) throw new ValidationError('at', `${recorded.at} is in the future`);

  const same = order.confirmations.find((c) => c.tripSequence === recorded.tripSequence && c.kind === recorded.kind);
  if (same) {
    if (same.at === recorded.at && same.stopId === recorded.stopId && same.confirmedBy === recorded.confirmedBy) return order;
    throw new Conflict(
      `trip ${same.tripSequence} of trip order ${order.id} already has a ${same.kind} confirmation (${same.at} at ${same.stopId})`,
      'already-confirmed',
    );
  }
  const counterpart = order.confirmations.find((c) => c.tripSequence === recorded.tripSequence && c.kind !== recorded.kind);
  if (counterpart) {
    const [dep, arr] = recorded.kind === 'arrival' ? [counterpart.at, recorded.at] : [recorded.at, counterpart.at];
    if (Date.parse(arr) < Date.parse(dep)) throw new ValidationError('at', `trip ${recorded.tripSequence} cannot arrive (${arr}) before it departs (${dep})`);
  }
  const entry = { ...recorded, recordedAt: isoOf(now) };
  return step(order, 'confirm', actor, now, {
    changes: { confirmation: { to: entry } },
    patch: { confirmations: [...order.confirmations, entry] },
  });
}

/** Applies a lifecycle request given as data (the API's action endpoint, the tests' matrix). */
export function applyAction(order: TripOrder, request: TripOrderActionRequest, actor: Actor, now: number): TripOrder {
  switch (request.action) {
    case 'issue':
      return issue(order, actor, now);
    case 'approve':
      return approve(order, actor, now);
    case 'cancel':
      return cancel(order, actor, request.reason, now);
    case 'amend':
      return amend(order, request.changes, actor, request.reason, now);
    case 'confirm':
      return confirm(order, request.confirmation, actor, now);
    case 'startService':
      return startService(order, now, { actor, reason: request.reason });
    case 'close':
      return close(order, now, { actor, reason: request.reason });
    case 'markReconciled':
      return markReconciled(order, now, { actor, reason: request.reason });
  }
}

/** Amendments made since the order was last approved: what the centre has not signed off, newest last. */
export function amendmentsSinceApproval(order: TripOrder): AuditEvent[] {
  let lastApproval = -1;
  order.history.forEach((e, i) => {
    if (e.action === 'approve') lastApproval = i;
  });
  return lastApproval < 0 ? [] : order.history.slice(lastApproval + 1).filter((e) => e.action === 'amend');
}

function step(
  order: TripOrder,
  action: TripOrderAction,
  actor: Actor,
  now: number,
  extra: { reason?: string | undefined; changes?: AuditEvent['changes']; patch?: Partial<TripOrder> } = {},
): TripOrder {
  const rule = authorise(order, action, actor);
  const at = isoOf(now);
  const status = rule.to ?? order.status;
  const changes = { ...(status !== order.status && { status: { from: order.status, to: status } }), ...extra.changes };
  const event: AuditEvent = {
    at,
    actor: auditActor(actor),
    action,
    ...(extra.reason !== undefined && { reason: extra.reason }),
    ...(Object.keys(changes).length > 0 && { changes }),
  };
  return { ...order, ...extra.patch, status, revision: order.revision + 1, updatedAt: at, history: [...order.history, event] };
}

function auditActor(actor: Actor): AuditEvent['actor'] {
  return { role: actor.role, id: actor.id };
}

function requireReason(reason: string): string {
  const r = typeof reason === 'string' ? reason.trim() : '';
  if (!r) throw new ValidationError('reason', 'a reason is required');
  return r;
}

function normaliseTrips(trips: TripOrderChanges['trips'] & {}): TripOrder['trips'] {
  return trips.map((t) => ({ ...t, plannedDeparture: canonicalInstant(t.plannedDeparture) }));
}

/** One spelling per instant (`…T23:30:00.000Z`), so that equal times compare equal whatever offset was sent. */
function canonicalInstant(text: string): string {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : isoOf(ms);
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
