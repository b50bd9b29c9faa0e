/**
 * The rules a trip order must satisfy against the rest of the world: the route's contract, the vehicle
 * registry, the service day and the vehicle's other orders. Run on create and after every amendment; the
 * caller loads what the context answers (pure, synchronous).
 */
import { Conflict, type FieldIssue, ValidationError } from '../errors.js';
import type { RouteContract } from '../contracts/schemas.js';
import { DEFAULT_SERVICE_DAY_START_HOUR, SERVICE_TIMEZONE, serviceDayOf, zoneOffsetMs } from '../../kernel/time/service-day.js';
import type { PlannedTrip, TripOrder } from './schemas.js';

/** What the vehicle registry knows of a bus. */
export interface VehicleRegistration {
  operatorId: string;
  plate: string;
}

export interface TripOrderValidationContext {
  /** The contract version in force for the route on the service day (see `contractInForce`). */
  contractFor(routeId: string, day: string): RouteContract | undefined;
  vehicle(busId: string): VehicleRegistration | undefined;
  /** The vehicle's existing orders of that service day, not cancelled; the order itself may be among them. */
  otherOrdersOfVehicle(busId: string, day: string): readonly TripOrder[];
  /** Expected run time of a trip, departure to arrival; `tripId` is given when the trip names one. */
  tripDurationS(routeId: string, directionId?: 0 | 1, tripId?: string): number;
  /** IANA zone of the service day; Asia/Ho_Chi_Minh by default. */
  timezone?: string;
}

/** The fields the rules read: a create body, an amended order, or a stored order. */
export interface TripOrderCandidate {
  /** Present for a stored order, so that it is not compared with itself. */
  id?: string;
  orderNumber?: string;
  serviceDay: string;
  operatorId: string;
  routeId: string;
  vehicle: { busId: string; plate: string };
  trips: readonly PlannedTrip[];
}

interface Interval {
  startMs: number;
  endMs: number;
}

/** Every rule the order breaks, with the field to blame; empty when it is valid. */
export function tripOrderIssues(order: TripOrderCandidate, ctx: TripOrderValidationContext): FieldIssue[] {
  const timezone = ctx.timezone ?? SERVICE_TIMEZONE;
  return [...contractIssues(order, ctx), ...vehicleIssues(order, ctx), ...tripIssues(order, ctx, timezone)];
}

/** Throws a ValidationError carrying every issue of `tripOrderIssues`. */
export function validateTripOrder(order: TripOrderCandidate, ctx: TripOrderValidationContext): void {
  const issues = tripOrderIssues(order, ctx);
  if (issues.length > 0) throw new ValidationError(issues);
}

/** The key that makes an order number unique: order numbers are the operator's, so unique per operator. */
export function orderNumberKey(operatorId: string, orderNumber: string): string {
  return `${operatorId}#${orderNumber.trim()}`;
}

/**
 * Throws Conflict (`duplicate-order-number`) when another order of the operator, cancelled or not, already
 * carries the order number: a cancelled order is still a document on record.
 */
export function ensureOrderNumberFree(
  candidate: { id?: string; operatorId: string; orderNumber: string },
  existing: readonly Pick<TripOrder, 'id' | 'operatorId' | 'orderNumber'>[],
): void {
  const key = orderNumberKey(candidate.operatorId, candidate.orderNumber);
  const clash = existing.find((o) => o.id !== candidate.id && orderNumberKey(o.operatorId, o.orderNumber) === key);
  if (clash) throw new Conflict(`order number ${candidate.orderNumber} is already used by trip order ${clash.id}`, 'duplicate-order-number');
}

function contractIssues(order: TripOrderCandidate, ctx: TripOrderValidationContext): FieldIssue[] {
  const contract = ctx.contractFor(order.routeId, order.serviceDay);
  if (!contract) return [{ field: 'routeId', message: `route ${order.routeId} has no contract in force on ${order.serviceDay}` }];
  if (contract.operatorId !== order.operatorId) {
    return [
      { field: 'routeId', message: `route ${order.routeId} is contracted to operator ${contract.operatorId} on ${order.serviceDay}, not ${order.operatorId}` },
    ];
  }
  return [];
}

function vehicleIssues(order: TripOrderCandidate, ctx: TripOrderValidationContext): FieldIssue[] {
  const { busId, plate } = order.vehicle;
  const registered = ctx.vehicle(busId);
  if (!registered) return [{ field: 'vehicle.busId', message: `bus ${busId} is not registered` }];
  const issues: FieldIssue[] = [];
  if (registered.operatorId !== order.operatorId) {
    issues.push({ field: 'vehicle.busId', message: `bus ${busId} belongs to operator ${registered.operatorId}, not ${order.operatorId}` });
  }
  if (normalisePlate(registered.plate) !== normalisePlate(plate)) {
    issues.push({ field: 'vehicle.plate', message: `plate ${plate} does not match the registry's ${registered.plate} for bus ${busId}` });
  }
  return issues;
}

function tripIssues(order: TripOrderCandidate, ctx: TripOrderValidationContext, timezone: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (i: number, key: keyof PlannedTrip) => `trips[${i}].${key}`;
  const departures = order.trips.map((t) => Date.parse(t.plannedDeparture));
  const seenSequence = new Map<number, number>();

  order.trips.forEach((trip, i) => {
    const prev = order.trips[i - 1];
    const firstWithSequence = seenSequence.get(trip.sequence);
    if (firstWithSequence !== undefined)
      issues.push({ field: at(i, 'sequence'), message: `duplicate sequence ${trip.sequence} (also trips[${firstWithSequence}])` });
    else if (prev && trip.sequence < prev.sequence)
      issues.push({ field: at(i, 'sequence'), message: `trips must be in order of sequence: ${trip.sequence} comes after ${prev.sequence}` });
    if (firstWithSequence === undefined) seenSequence.set(trip.sequence, i);

    const depMs = departures[i]!;
    if (Number.isNaN(depMs)) {
      issues.push({ field: at(i, 'plannedDeparture'), message: `not an instant: ${trip.plannedDeparture}` });
      return;
    }
    const day = serviceDayOf(depMs, timezone, DEFAULT_SERVICE_DAY_START_HOUR);
    if (day !== order.serviceDay) {
      issues.push({ field: at(i, 'plannedDeparture'), message: `${localTime(depMs, timezone, true)} belongs to service day ${day}, not ${order.serviceDay}` });
    }
    const prevMs = departures[i - 1];
    if (prev && prevMs !== undefined && depMs < prevMs) {
      issues.push({
        field: at(i, 'plannedDeparture'),
        message: `trips must be in order of departure: departs before trip ${prev.sequence} (${localTime(prevMs, timezone)})`,
      });
    }
  });

  issues.push(...overlapIssues(order, ctx, departures, timezone));
  return issues;
}

/** A vehicle runs one trip at a time: each trip against the order's earlier trips and the vehicle's other orders. */
function overlapIssues(order: TripOrderCandidate, ctx: TripOrderValidationContext, departures: number[], timezone: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const own = order.trips.map((t, i) => intervalOf(departures[i]!, ctx.tripDurationS(order.routeId, t.directionId, t.tripId)));
  const others = ctx
    .otherOrdersOfVehicle(order.vehicle.busId, order.serviceDay)
    .filter((o) => o.status !== 'cancelled' && !isSameOrder(o, order))
    .flatMap((o) =>
      o.trips.map((t) => ({
        order: o,
        trip: t,
        interval: intervalOf(Date.parse(t.plannedDeparture), ctx.tripDurationS(o.routeId, t.directionId, t.tripId)),
      })),
    );

  own.forEach((interval, i) => {
    if (!interval) return;
    const field = `trips[${i}].plannedDeparture`;
    const j = own.findIndex((other, k) => k < i && other !== undefined && overlaps(interval, other));
    if (j >= 0) {
      const other = own[j]!;
      issues.push({ field, message: `overlaps trip ${order.trips[j]!.sequence} of this order (${span(other, timezone)})` });
    }
    const clash = others.find((o) => o.interval !== undefined && overlaps(interval, o.interval));
    if (clash) {
      issues.push({
        field,
        message: `overlaps trip ${clash.trip.sequence} of order ${clash.order.orderNumber} (${clash.order.id}) of bus ${order.vehicle.busId} (${span(clash.interval!, timezone)})`,
      });
    }
  });
  return issues;
}

function isSameOrder(o: TripOrder, candidate: TripOrderCandidate): boolean {
  if (candidate.id !== undefined && o.id === candidate.id) return true;
  return candidate.orderNumber !== undefined && o.operatorId === candidate.operatorId && o.orderNumber === candidate.orderNumber;
}

function intervalOf(startMs: number, durationS: number): Interval | undefined {
  if (Number.isNaN(startMs)) return undefined;
  const d = Number.isFinite(durationS) && durationS > 0 ? durationS : 0;
  return { startMs, endMs: startMs + d * 1000 };
}

/** Half-open intervals: a trip may depart the minute the previous one arrives. Equal departures always clash. */
function overlaps(a: Interval, b: Interval): boolean {
  return a.startMs === b.startMs || (a.startMs < b.endMs && b.startMs < a.endMs);
}

function span(i: Interval, timezone: string): string {
  return `${localTime(i.startMs, timezone)}–${localTime(i.endMs, timezone)}`;
}

/** `06:40` (or `2026-11-27 00:30` with the date) in local time, for messages. */
function localTime(tsMs: number, timezone: string, withDate = false): string {
  const iso = new Date(tsMs + zoneOffsetMs(tsMs, timezone)).toISOString();
  return withDate ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} local` : iso.slice(11, 16);
}

/** Plates are written `51B-123.45`, `51B12345`, `51b 123.45`: compare letters and digits only. */
function normalisePlate(plate: string): string {
  return plate.toUpperCase().replace(/[^0-9A-Z]/g, '');
}
