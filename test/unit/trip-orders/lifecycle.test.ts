import { describe, expect, it } from 'vitest';
import { Conflict, Forbidden, ValidationError } from '../../../shared/domain/errors.js';
import {
  type Actor,
  type TripOrderActionRequest,
  TRANSITIONS,
  allowedActions,
  amend,
  amendmentsSinceApproval,
  applyAction,
  approve,
  cancel,
  close,
  confirm,
  createTripOrder,
  issue,
  markReconciled,
  startService,
} from '../../../shared/domain/trip-orders/lifecycle.js';
import {
  TRIP_ORDER_ACTIONS,
  TRIP_ORDER_STATUSES,
  type TripOrder,
  type TripOrderAction,
  type TripOrderStatus,
  tripOrderCreateSchema,
} from '../../../shared/domain/trip-orders/schemas.js';

const T0 = Date.parse('2026-11-25T20:00:00Z'); // 03:00 local, start of service day 2026-11-26
const NOW = Date.parse('2026-11-26T05:00:00Z'); // 12:00 local
const DEP1 = '2026-11-25T23:00:00.000Z'; // 06:00 local

const own: Actor = { role: 'operator', id: 'op-user', operatorId: 'SB' };
const foreign: Actor = { role: 'operator', id: 'other-user', operatorId: 'PT' };
const centre: Actor = { role: 'centre', id: 'centre-user' };
const system: Actor = { role: 'system', id: 'day-end' };
const ACTORS = { own, foreign, centre, system } as const;

function newOrder(over: Record<string, unknown> = {}): TripOrder {
  const input = tripOrderCreateSchema.parse({
    orderNumber: 'LVC-1',
    serviceDay: '2026-11-26',
    operatorId: 'SB',
    routeId: 'R1',
    vehicle: { busId: 'B1', plate: '51B-123.45' },
    driver: { driverId: 'D1' },
    staff: [{ role: 'conductor', staffId: 'C1' }],
    trips: [
      { sequence: 1, tripId: 'T1', directionId: 0, plannedDeparture: DEP1 },
      { sequence: 2, tripId: 'T2', directionId: 1, plannedDeparture: '2026-11-26T00:00:00.000Z' },
    ],
    ...over,
  });
  return createTripOrder(input, own, T0, 'to-1');
}

const inStatus = (status: TripOrderStatus): TripOrder => ({ ...newOrder(), status });

const departure = { tripSequence: 1, kind: 'departure' as const, at: '2026-11-25T23:02:00Z', stopId: 'BX1', confirmedBy: 'T-7' };

const REQUESTS: Record<TripOrderAction, TripOrderActionRequest> = {
  issue: { action: 'issue' },
  approve: { action: 'approve' },
  amend: { action: 'amend', changes: { driver: { driverId: 'D2' } }, reason: 'driver ill' },
  cancel: { action: 'cancel', reason: 'vehicle broke down' },
  startService: { action: 'startService' },
  close: { action: 'close' },
  markReconciled: { action: 'markReconciled' },
  confirm: { action: 'confirm', confirmation: departure },
};

type Outcome = { legal: TripOrderStatus } | { error: typeof Conflict | typeof Forbidden };

/** The expected outcome, derived from the transition table: role first, then ownership, then status. */
function expected(status: TripOrderStatus, action: TripOrderAction, who: keyof typeof ACTORS): Outcome {
  const rule = TRANSITIONS[action];
  const actor = ACTORS[who];
  if (!rule.roles.includes(actor.role) || who === 'foreign') return { error: Forbidden };
  if (!rule.from.includes(status)) return { error: Conflict };
  return { legal: rule.to ?? status };
}

const matrix = TRIP_ORDER_STATUSES.flatMap((status) =>
  TRIP_ORDER_ACTIONS.flatMap((action) =>
    (Object.keys(ACTORS) as (keyof typeof ACTORS)[]).map((who) => {
      const outcome = expected(status, action, who);
      return { status, action, who, outcome: 'legal' in outcome ? `→ ${outcome.legal}` : outcome.error.name };
    }),
  ),
);

describe('the transition table', () => {
  it('encodes the trip-order lifecycle of the design (every legal status × action × role, nothing else)', () => {
    const legal = matrix.filter((c) => 'legal' in expected(c.status, c.action, c.who)).map((c) => `${c.status} ${c.action} ${c.who}`);
    expect(legal.sort()).toEqual(
      [
        'draft issue own',
        'issued approve centre',
        'draft amend own',
        'issued amend own',
        'approved amend own',
        'draft cancel own',
        'draft cancel centre',
        'issued cancel own',
        'issued cancel centre',
        'approved cancel own',
        'approved cancel centre',
        'approved startService system',
        'approved close system',
        'in_service close system',
        'closed markReconciled system',
        'reconciled markReconciled system',
        'approved confirm own',
        'in_service confirm own',
        'closed confirm own',
      ].sort(),
    );
  });

  it.each(matrix)('$action on a $status order by $who: $outcome', ({ status, action, who }) => {
    const order = inStatus(status);
    const outcome = expected(status, action, who);
    const run = () => applyAction(order, REQUESTS[action], ACTORS[who], NOW);
    if ('error' in outcome) {
      expect(run).toThrow(outcome.error);
      expect(allowedActions(order, ACTORS[who])).not.toContain(action);
      return;
    }
    const next = run();
    expect(next.status).toBe(outcome.legal);
    expect(next.revision).toBe(order.revision + 1);
    expect(next.updatedAt).toBe(new Date(NOW).toISOString());
    expect(next.history).toHaveLength(order.history.length + 1);
    const event = next.history.at(-1)!;
    expect(event).toMatchObject({ at: next.updatedAt, action, actor: { role: ACTORS[who].role, id: ACTORS[who].id } });
    if (outcome.legal !== status) expect(event.changes?.status).toEqual({ from: status, to: outcome.legal });
    else expect(event.changes?.status).toBeUndefined();
    expect(allowedActions(order, ACTORS[who])).toContain(action);
    expect(order.status).toBe(status); // the input is not mutated
  });
});

describe('trip-order lifecycle', () => {
  it('creates a draft, or an issued order when asked, with revision 1 and its audit trail', () => {
    const draft = newOrder();
    expect(draft).toMatchObject({ id: 'to-1', status: 'draft', revision: 1, createdAt: new Date(T0).toISOString(), confirmations: [] });
    expect(draft.history.map((e) => e.action)).toEqual(['create']);
    const issued = newOrder({ issue: true });
    expect(issued.status).toBe('issued');
    expect(issued.history.map((e) => e.action)).toEqual(['create', 'issue']);
  });

  it('forbids creating an order for another operator, or by the centre', () => {
    const input = tripOrderCreateSchema.parse({ ...newOrder(), staff: [] });
    expect(() => createTripOrder(input, foreign, T0, 'x')).toThrow(Forbidden);
    expect(() => createTripOrder(input, centre, T0, 'x')).toThrow(Forbidden);
  });

  it('stores departures in one UTC spelling whatever offset was sent', () => {
    const order = newOrder({ trips: [{ sequence: 1, plannedDeparture: '2026-11-26T06:00:00+07:00' }] });
    expect(order.trips[0]!.plannedDeparture).toBe(DEP1);
  });

  it('runs the whole happy path with one audit event per step', () => {
    let o = newOrder();
    o = issue(o, own, T0 + 1);
    o = approve(o, centre, T0 + 2);
    o = confirm(o, departure, own, NOW);
    o = startService(o, NOW + 1);
    o = close(o, NOW + 2, { reason: 'day end' });
    o = markReconciled(o, NOW + 3, { reason: 'run 2026-11-26 v1' });
    o = markReconciled(o, NOW + 4, { reason: 'run 2026-11-26 v2 (late data)' });
    expect(o.status).toBe('reconciled');
    expect(o.revision).toBe(8);
    expect(o.history.map((e) => `${e.action}:${e.actor.role}`)).toEqual([
      'create:operator',
      'issue:operator',
      'approve:centre',
      'confirm:operator',
      'startService:system',
      'close:system',
      'markReconciled:system',
      'markReconciled:system',
    ]);
    expect(o.history[5]!.reason).toBe('day end');
  });

  it('names the illegal transition in the Conflict', () => {
    const err = (() => {
      try {
        approve(inStatus('draft'), centre, NOW);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ status: 409, code: 'illegal-transition' });
    expect((err as Error).message).toMatch(/cannot approve trip order to-1: it is draft/);
  });

  it("forbids an operator every action on another operator's order, even where the status allows it", () => {
    for (const status of TRIP_ORDER_STATUSES) {
      expect(allowedActions(inStatus(status), foreign)).toEqual([]);
    }
    expect(() => issue(inStatus('draft'), foreign, NOW)).toThrow(Forbidden);
    expect(() => cancel(inStatus('approved'), foreign, 'no', NOW)).toThrow(Forbidden);
    expect(() => confirm(inStatus('approved'), departure, foreign, NOW)).toThrow(Forbidden);
  });

  it('lists allowed actions per actor', () => {
    expect(allowedActions(inStatus('issued'), own)).toEqual(['amend', 'cancel']);
    expect(allowedActions(inStatus('issued'), centre)).toEqual(['approve', 'cancel']);
    expect(allowedActions(inStatus('approved'), system)).toEqual(['startService', 'close']);
    expect(allowedActions(inStatus('cancelled'), own)).toEqual([]);
  });
});

describe('cancel', () => {
  it('records the reason and requires one', () => {
    const o = cancel(inStatus('approved'), centre, '  road closed  ', NOW);
    expect(o.status).toBe('cancelled');
    expect(o.history.at(-1)).toMatchObject({ action: 'cancel', reason: 'road closed' });
    expect(() => cancel(inStatus('issued'), own, ' ', NOW)).toThrow(ValidationError);
  });
});

describe('amend', () => {
  it('keeps an approved order approved, bumps the revision and records each changed field', () => {
    const approved = approve(issue(newOrder(), own, T0), centre, T0 + 1);
    const vehicle = { busId: 'B2', plate: '51B-555.55' };
    const o = amend(approved, { vehicle, driver: approved.driver }, own, 'B1 broke down', NOW);
    expect(o.status).toBe('approved');
    expect(o.revision).toBe(approved.revision + 1);
    expect(o.vehicle).toEqual(vehicle);
    expect(o.history.at(-1)).toEqual({
      at: new Date(NOW).toISOString(),
      actor: { role: 'operator', id: 'op-user' },
      action: 'amend',
      reason: 'B1 broke down',
      changes: { vehicle: { from: approved.vehicle, to: vehicle } }, // the unchanged driver is not listed
    });
    expect(amendmentsSinceApproval(o)).toEqual([o.history.at(-1)]);
    expect(amendmentsSinceApproval(approved)).toEqual([]);
  });

  it('replaces the trips and compares departures by instant, not spelling', () => {
    const o = inStatus('issued');
    const same = amend(
      o,
      { trips: o.trips.map((t) => ({ ...t, plannedDeparture: new Date(Date.parse(t.plannedDeparture)).toISOString().replace('.000Z', '+00:00') })) },
      own,
      'retry',
      NOW,
    );
    expect(same).toBe(o); // nothing changed: a retried request is a no-op
    const moved = amend(o, { trips: [o.trips[0]!, { ...o.trips[1]!, plannedDeparture: '2026-11-26T07:15:00+07:00' }] }, own, 'later', NOW);
    expect(moved.trips[1]!.plannedDeparture).toBe('2026-11-26T00:15:00.000Z');
    expect(Object.keys(moved.history.at(-1)!.changes!)).toEqual(['trips']);
  });

  it('requires a reason', () => {
    expect(() => amend(inStatus('issued'), { driver: { driverId: 'D2' } }, own, '', NOW)).toThrow(ValidationError);
  });

  it('refuses to drop a trip that has a terminal confirmation', () => {
    const o = confirm(inStatus('approved'), departure, own, NOW);
    expect(() => amend(o, { trips: [o.trips[1]!] }, own, 'drop the first trip', NOW)).toThrow(expect.objectContaining({ code: 'confirmed-trip-removed' }));
    expect(amend(o, { trips: [o.trips[0]!] }, own, 'drop the second trip', NOW).trips).toHaveLength(1);
  });
});

describe('terminal confirmations', () => {
  const approved = inStatus('approved');
  const arrival = { ...departure, kind: 'arrival' as const, at: '2026-11-25T23:45:00Z', stopId: 'BX2' };

  it('records departure and arrival with when they were recorded', () => {
    const o = confirm(confirm(approved, departure, own, NOW), arrival, own, NOW + 1000);
    expect(o.confirmations).toEqual([
      { ...departure, at: '2026-11-25T23:02:00.000Z', recordedAt: new Date(NOW).toISOString() },
      { ...arrival, at: '2026-11-25T23:45:00.000Z', recordedAt: new Date(NOW + 1000).toISOString() },
    ]);
    expect(o.status).toBe('approved');
    expect(o.history.at(-1)!.changes!.confirmation!.to).toEqual(o.confirmations[1]);
  });

  it('rejects a trip sequence the order does not have', () => {
    expect(() => confirm(approved, { ...departure, tripSequence: 9 }, own, NOW)).toThrow(expect.objectContaining({ field: 'tripSequence' }));
  });

  it('rejects a confirmation in the future and an arrival before its departure', () => {
    expect(() => confirm(approved, { ...departure, at: new Date(NOW + 10 * 60_000).toISOString() }, own, NOW)).toThrow(
      expect.objectContaining({ field: 'at' }),
    );
    const departed = confirm(approved, departure, own, NOW);
    expect(() => confirm(departed, { ...arrival, at: '2026-11-25T23:00:00Z' }, own, NOW)).toThrow(expect.objectContaining({ field: 'at' }));
  });

  it('treats an identical repeat as a no-op and a different one as a Conflict', () => {
    const once = confirm(approved, departure, own, NOW);
    expect(confirm(once, { ...departure, at: '2026-11-26T06:02:00+07:00' }, own, NOW + 5)).toBe(once);
    expect(() => confirm(once, { ...departure, at: '2026-11-25T23:03:00Z' }, own, NOW)).toThrow(expect.objectContaining({ code: 'already-confirmed' }));
  });
});
