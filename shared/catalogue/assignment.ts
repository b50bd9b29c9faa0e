/**
 * What a bus receives on `bus/{busId}/assignment` (published by BusFlow, retained, QoS 1) when its trip order
 * is approved or amended: the order as the driver console needs it. A device contract, like the telemetry
 * messages: the driver console is built against this schema.
 */
import { z } from 'zod';
import { operatorIdSchema, orderNumberSchema, routeIdSchema, serviceDaySchema, staffIdSchema, tripIdSchema, tripOrderIdSchema } from './ids.js';
import { CONTRACT_VERSION } from './messages.js';

export const assignmentMessageSchema = z.object({
  v: z.literal(CONTRACT_VERSION),
  tripOrderId: tripOrderIdSchema,
  orderNumber: orderNumberSchema,
  serviceDay: serviceDaySchema,
  operatorId: operatorIdSchema,
  routeId: routeIdSchema,
  /** Rises with every amendment: a console keeps the highest it has seen. */
  revision: z.int().min(1),
  status: z.string().min(1),
  driver: z.object({ driverId: staffIdSchema, name: z.string().optional() }),
  staff: z.array(z.object({ role: z.string().min(1), staffId: staffIdSchema, name: z.string().optional() })),
  trips: z.array(
    z.object({
      sequence: z.int().min(1),
      tripId: tripIdSchema.optional(),
      directionId: z.union([z.literal(0), z.literal(1)]).optional(),
      /** ISO 8601 instant. */
      plannedDeparture: z.string(),
    }),
  ),
});

export type AssignmentMessage = z.infer<typeof assignmentMessageSchema>;
