/**
 * Trip orders (lệnh vận chuyển điện tử, ARCHITECTURE §9): the API inputs and the stored shape. The schemas
 * check shape only; rules that need the registry, the contracts or other orders are in `validate.ts`, the
 * lifecycle in `lifecycle.ts`.
 */
import { z } from 'zod';
import {
  busIdSchema,
  operatorIdSchema,
  orderNumberSchema,
  routeIdSchema,
  serviceDaySchema,
  staffIdSchema,
  stopIdSchema,
  tripIdSchema,
  tripOrderIdSchema,
} from '../../catalogue/ids.js';

export const TRIP_ORDER_STATUSES = ['draft', 'issued', 'approved', 'in_service', 'closed', 'reconciled', 'cancelled'] as const;
export type TripOrderStatus = (typeof TRIP_ORDER_STATUSES)[number];

/** Every change to an order is recorded under one of these (`create` is not a transition: it makes the order). */
export const TRIP_ORDER_ACTIONS = ['issue', 'approve', 'amend', 'cancel', 'startService', 'close', 'markReconciled', 'confirm'] as const;
export type TripOrderAction = (typeof TRIP_ORDER_ACTIONS)[number];

const ACTOR_ROLES = ['operator', 'centre', 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

const text = z.string().trim().min(1).max(200);
/** A UTC instant: ISO 8601 with `Z` or an offset (a local time without offset is ambiguous, so rejected). */
const instant = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 instant with Z or an offset' });
const reason = z.string().trim().min(1, 'a reason is required').max(1000);

const vehicleRefSchema = z.object({
  busId: busIdSchema,
  /** Registration plate as on the registry (`51B-123.45`); compared ignoring case, spaces, dots and dashes. */
  plate: z.string().trim().min(1).max(20),
});

const driverSchema = z.object({ driverId: staffIdSchema, name: text.optional() });

const staffMemberSchema = z.object({
  role: z.enum(['conductor', 'attendant']),
  staffId: staffIdSchema,
  name: text.optional(),
});

const plannedTripSchema = z.object({
  /** Order of the trip in the vehicle's day, from 1; confirmations refer to it. */
  sequence: z.int().min(1).max(10_000),
  /** The GTFS trip, when the trip follows the timetable. */
  tripId: tripIdSchema.optional(),
  directionId: z.union([z.literal(0), z.literal(1)]).optional(),
  plannedDeparture: instant,
});

const tripsSchema = z.array(plannedTripSchema).min(1, 'at least one trip').max(200, 'at most 200 trips');
const staffListSchema = z.array(staffMemberSchema).max(20);

/** Body of `POST /trip-orders`. Accepts the simulator's `TripOrderDraft` as is. */
export const tripOrderCreateSchema = z.object({
  orderNumber: orderNumberSchema,
  serviceDay: serviceDaySchema,
  operatorId: operatorIdSchema,
  routeId: routeIdSchema,
  vehicle: vehicleRefSchema,
  driver: driverSchema,
  staff: staffListSchema.default([]),
  trips: tripsSchema,
  /** Create the order directly as issued rather than as a draft. */
  issue: z.boolean().optional(),
});

/** Body of an amendment: a reason and at least one of vehicle, driver, staff, trips (each replaced whole). */
export const tripOrderAmendSchema = z
  .object({
    reason,
    vehicle: vehicleRefSchema.optional(),
    driver: driverSchema.optional(),
    staff: staffListSchema.optional(),
    trips: tripsSchema.optional(),
  })
  .refine((a) => a.vehicle !== undefined || a.driver !== undefined || a.staff !== undefined || a.trips !== undefined, {
    message: 'an amendment must change at least one of vehicle, driver, staff, trips',
  });

export const cancelSchema = z.object({ reason });

/** A terminal's confirmation that a planned trip departed or arrived. */
export const confirmationSchema = z.object({
  tripSequence: z.int().min(1).max(10_000),
  kind: z.enum(['departure', 'arrival']),
  at: instant,
  /** The terminal stop (GTFS stop_id). */
  stopId: stopIdSchema,
  /** Who at the terminal confirmed (staff id). */
  confirmedBy: staffIdSchema,
});

/** `id` is the caller's token subject (or a system job), not an input of the API. */
const auditActorSchema = z.object({ role: z.enum(ACTOR_ROLES), id: z.string().min(1) });

const auditEventSchema = z.object({
  at: instant,
  actor: auditActorSchema,
  action: z.enum(['create', ...TRIP_ORDER_ACTIONS]),
  reason: z.string().optional(),
  /** What changed, by field: `status`, `vehicle`, `trips`, `confirmation`…, each as { from, to }. */
  changes: z.record(z.string(), z.object({ from: z.unknown().optional(), to: z.unknown().optional() })).optional(),
});

const recordedConfirmationSchema = confirmationSchema.extend({ recordedAt: instant });

/** A trip order as stored and returned by the API. */
export const tripOrderSchema = z.object({
  id: tripOrderIdSchema,
  orderNumber: z.string(),
  serviceDay: serviceDaySchema,
  operatorId: operatorIdSchema,
  routeId: routeIdSchema,
  vehicle: vehicleRefSchema,
  driver: driverSchema,
  staff: z.array(staffMemberSchema),
  trips: z.array(plannedTripSchema),
  status: z.enum(TRIP_ORDER_STATUSES),
  /** 1 at creation, +1 on every change: the version for optimistic concurrency and for the audit trail. */
  revision: z.int().min(1),
  createdAt: instant,
  updatedAt: instant,
  confirmations: z.array(recordedConfirmationSchema),
  history: z.array(auditEventSchema),
});

export type PlannedTrip = z.infer<typeof plannedTripSchema>;
/** A create body after parsing (staff defaulted). */
export type TripOrderCreate = z.output<typeof tripOrderCreateSchema>;
export type TripOrderAmend = z.output<typeof tripOrderAmendSchema>;
/** The fields an amendment may replace. */
export type TripOrderChanges = Omit<TripOrderAmend, 'reason'>;
export type CancelRequest = z.output<typeof cancelSchema>;
export type Confirmation = z.output<typeof confirmationSchema>;
export type AuditEvent = z.output<typeof auditEventSchema>;
export type TripOrder = z.output<typeof tripOrderSchema>;
