/**
 * The order desk: the trip-order use cases behind the API (create, issue, approve, amend, cancel, confirm, list,
 * get). Who may do what (the lifecycle), what an order must satisfy (the validation rules), persistence with
 * optimistic concurrency, and the assignment pushed to the bus when its order is approved or amended after
 * approval. The steps driven by telemetry and by the day's end are `service-start.ts` and `day-close.ts`.
 */
import { randomUUID } from 'node:crypto';
import { contractInForce } from '../contracts/contracts.js';
import type { RouteContract } from '../contracts/schemas.js';
import { assertCallerOwns, scopedToCaller } from '../access/operator-scope.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { forEachLimit } from '../../kernel/util/concurrency.js';
import { amend, approve, cancel, confirm, createTripOrder, issue, type Actor } from './lifecycle.js';
import { changeTripOrder, readTripOrder, type OrderChangeDeps } from './order-change.js';
import type { AssignmentPublisher, ContractStore, TripDurations, TripOrderFilter, TripOrderPage, VehicleRegistry } from './ports.js';
import type { CancelRequest, Confirmation, TripOrder, TripOrderAmend, TripOrderCreate } from './schemas.js';
import { tripOrderIssues, type TripOrderValidationContext, type VehicleRegistration } from './validate.js';

/** Orders per storage transaction (each order is written with its order-number guard). */
const ORDERS_PER_TRANSACTION = 50;

/** What the order desk needs: the orders and their clock and log, plus what validation and approval consult. */
export interface TripOrderDeskDeps extends OrderChangeDeps {
  contracts: ContractStore;
  vehicles: VehicleRegistry;
  durations: TripDurations;
  assignments: AssignmentPublisher;
  newId?: () => string;
}

/** The trip-order use cases an operator or the centre performs through the API. */
export class TripOrderDesk {
  constructor(private readonly d: TripOrderDeskDeps) {}

  /**
   * Validates every order (against the contracts, the registry, the service day and the vehicles' other orders,
   * including the others of the batch) and only then writes them; operators create only their own.
   */
  async create(inputs: readonly TripOrderCreate[], actor: Actor, fieldPrefix?: (i: number) => string): Promise<TripOrder[]> {
    for (const [i, input] of inputs.entries())
      assertCallerOwns(actor, input.operatorId, `${fieldPrefix?.(i) ?? ''}operatorId: a trip order for ${input.operatorId}`);
    const contracts = await this.d.contracts.all();
    const registrations = new Map<string, VehicleRegistration | undefined>();
    const existing = new Map<string, TripOrder[]>();
    await forEachLimit([...new Set(inputs.map((o) => o.vehicle.busId))], 16, async (busId) => {
      registrations.set(busId, await this.d.vehicles.registration(busId));
    });
    await forEachLimit([...new Set(inputs.map((o) => `${o.vehicle.busId}|${o.serviceDay}`))], 16, async (key) => {
      const [busId, day] = key.split('|') as [string, string];
      existing.set(
        key,
        (await this.d.orders.ofVehicle(busId, day)).filter((o) => o.status !== 'cancelled'),
      );
    });

    const now = this.d.clock.now();
    const created: TripOrder[] = [];
    const issues: FieldIssue[] = [];
    const seenNumbers = new Map<string, number>();
    inputs.forEach((input, i) => {
      const prefix = fieldPrefix?.(i) ?? '';
      const numberKey = `${input.operatorId}#${input.orderNumber}`;
      if (seenNumbers.has(numberKey))
        issues.push({ field: `${prefix}orderNumber`, message: `is also used by orders[${seenNumbers.get(numberKey)}] of this batch` });
      seenNumbers.set(numberKey, i);
      const order = createTripOrder(input, actor, now, this.d.newId?.() ?? randomUUID());
      const key = `${input.vehicle.busId}|${input.serviceDay}`;
      const ctx = this.context(contracts, registrations, existing.get(key) ?? []);
      for (const issue of tripOrderIssues(order, ctx)) issues.push({ field: `${prefix}${issue.field}`, message: issue.message });
      // Later orders of the batch are checked against this one too (overlaps of one vehicle).
      existing.set(key, [...(existing.get(key) ?? []), order]);
      // createTripOrder already issues an order created with `issue: true`.
      created.push(order);
    });
    if (issues.length) throw new ValidationError(issues);
    for (let i = 0; i < created.length; i += ORDERS_PER_TRANSACTION) await this.d.orders.create(created.slice(i, i + ORDERS_PER_TRANSACTION));
    return created;
  }

  get(id: string, actor: Actor): Promise<TripOrder> {
    return readTripOrder(this.d.orders, id, actor);
  }

  async list(filter: TripOrderFilter, actor: Actor, limit: number, after?: Record<string, unknown>): Promise<TripOrderPage> {
    return this.d.orders.list(scopedToCaller(actor, filter, 'trip orders'), limit, after);
  }

  issue(id: string, actor: Actor): Promise<TripOrder> {
    return this.change(id, actor, (o, now) => issue(o, actor, now));
  }

  async approve(id: string, actor: Actor): Promise<TripOrder> {
    const order = await this.change(id, actor, (o, now) => approve(o, actor, now));
    await this.d.assignments.publishAssignment(order);
    return order;
  }

  cancel(id: string, actor: Actor, body: CancelRequest): Promise<TripOrder> {
    return this.change(id, actor, (o, now) => cancel(o, actor, body.reason, now));
  }

  async amend(id: string, actor: Actor, body: TripOrderAmend): Promise<TripOrder> {
    const { reason, ...changes } = body;
    const contracts = await this.d.contracts.all();
    const order = await this.change(id, actor, async (o, now) => {
      const amended = amend(o, changes, actor, reason, now);
      const registrations = new Map([[amended.vehicle.busId, await this.d.vehicles.registration(amended.vehicle.busId)]]);
      const others = (await this.d.orders.ofVehicle(amended.vehicle.busId, amended.serviceDay)).filter((x) => x.status !== 'cancelled' && x.id !== o.id);
      const issues = tripOrderIssues(amended, this.context(contracts, registrations, others));
      if (issues.length) throw new ValidationError(issues);
      return amended;
    });
    // The bus already holds the approved version: it must hear of the change.
    if (order.status === 'approved' || order.status === 'in_service') await this.d.assignments.publishAssignment(order);
    return order;
  }

  confirm(id: string, actor: Actor, confirmation: Confirmation): Promise<TripOrder> {
    return this.change(id, actor, (o, now) => confirm(o, confirmation, actor, now));
  }

  private change(id: string, actor: Actor, step: (order: TripOrder, now: number) => TripOrder | Promise<TripOrder>): Promise<TripOrder> {
    return changeTripOrder(this.d, id, actor, step);
  }

  private context(
    contracts: readonly RouteContract[],
    registrations: ReadonlyMap<string, VehicleRegistration | undefined>,
    others: readonly TripOrder[],
  ): TripOrderValidationContext {
    return {
      contractFor: (routeId, day) => contractInForce(contracts, routeId, day),
      vehicle: (busId) => registrations.get(busId),
      otherOrdersOfVehicle: () => others,
      tripDurationS: (routeId, directionId, tripId) => this.d.durations.tripDurationS(routeId, directionId, tripId),
    };
  }
}
