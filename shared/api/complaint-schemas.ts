/**
 * The complaint routes' schemas: the body that records a complaint, the list query, and the complaint with its
 * evidence and verdict as it goes out (typed against the domain's `Complaint`, so a field the domain drops or
 * retypes fails to compile here).
 */
import { z } from 'zod';
import { busIdSchema, complaintIdSchema, cursorSchema, operatorIdSchema, routeIdSchema, serviceDaySchema, stopIdSchema } from '../catalogue/ids.js';
import { COMPLAINT_KINDS, COMPLAINT_VERDICTS, type Complaint } from '../domain/complaints/types.js';

const instant = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 instant with Z or an offset' });
const text = (max: number) => z.string().trim().min(1).max(max);

/** Body of `POST /v1/complaints`: the route, the plate or the bus (one at least), the stop, the instant, the kind. */
export const complaintCreateSchema = z
  .object({
    kind: z.enum(COMPLAINT_KINDS).describe('skipped-stop: the bus did not stop; no-alighting: it did not let passengers off; late; other'),
    routeId: routeIdSchema.optional(),
    plate: text(20).describe('Registration plate (`51B-123.45`); compared ignoring case, spaces, dots and dashes').optional(),
    busId: busIdSchema.optional(),
    stopId: stopIdSchema,
    at: instant.describe('When it happened, as reported: ISO 8601 with Z or an offset; not in the future'),
    description: text(2000).describe("The passenger's account, as received").optional(),
    reference: text(64).describe('The case number in the channel it came through (hotline ticket, letter)').optional(),
  })
  .refine((c) => c.routeId !== undefined || c.plate !== undefined || c.busId !== undefined, {
    path: ['routeId'],
    message: 'a complaint names the route (routeId), the plate or the bus (busId)',
  });

export const complaintParams = z.object({ id: complaintIdSchema });

export const complaintListQuerySchema = z.object({
  serviceDay: serviceDaySchema,
  operatorId: operatorIdSchema.optional(),
  verdict: z.enum(COMPLAINT_VERDICTS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorSchema.optional(),
});

const at = z.string().describe('ISO 8601 instant (UTC)');

const passSchema = z.object({
  busId: z.string(),
  plate: z.string().optional(),
  operatorId: z.string(),
  routeId: z.string(),
  tripId: z.string(),
  tripOrderId: z.string().optional(),
  directionId: z.union([z.literal(0), z.literal(1)]).optional(),
  stopSequence: z.number().int(),
  status: z.enum(['visited', 'skipped', 'unobserved']).describe("The stop visit's status as the journeys judged it"),
  method: z.enum(['slow-fixes', 'bracket', 'gap', 'off-route', 'no-fixes']).describe('How the journeys decided the visit'),
  finding: z
    .enum(['skipped', 'no-door', 'stopped', 'unobserved', 'late', 'on-time', 'missed'])
    .describe('What this pass shows: passed without stopping, stopped with doors shut, stopped, cannot tell, late, on time, trip never run'),
  passedAt: at.optional(),
  passedAtSource: z.enum(['arrival', 'departure', 'closest-fix', 'interpolated', 'scheduled']),
  arrivalAt: at.optional(),
  departureAt: at.optional(),
  dwellS: z.number().int().optional(),
  doorOpened: z.boolean().optional(),
  scheduledArrivalAt: at.optional(),
  delayS: z.number().int().optional().describe('Arrival against the timetable, seconds, late positive'),
  zone: z
    .object({
      radiusM: z.number(),
      fixes: z.number().int(),
      minSpeedKmh: z.number().optional(),
      meanSpeedKmh: z.number().optional(),
      doorOpenFixes: z.number().int(),
    })
    .describe("The bus's GPS fixes within radiusM of the stop around its pass"),
  closestApproach: z.object({ distanceM: z.number(), at }).optional().describe("The bus's nearest fix to the stop around its pass"),
});

export const complaintSchema: z.ZodType<Complaint> = z.object({
  id: z.string(),
  kind: z.enum(COMPLAINT_KINDS),
  routeId: z.string().optional(),
  plate: z.string().optional(),
  busId: z.string().optional(),
  stopId: z.string(),
  stopName: z.string().optional(),
  at,
  description: z.string().optional(),
  reference: z.string().optional(),
  serviceDay: z.string(),
  receivedAt: at,
  recordedBy: z.object({ role: z.enum(['centre', 'operator', 'system']), id: z.string() }),
  window: z.object({ from: at, to: at }).describe('The passes considered: ±15 min of `at`'),
  verdict: z.enum(COMPLAINT_VERDICTS),
  summary: z.object({ vi: z.string(), en: z.string() }).describe('What the evidence shows, in a sentence'),
  evidence: z.array(passSchema),
  operatorIds: z.array(z.string()).describe('The operators the complaint concerns (they may read it)'),
  confirmedOperatorIds: z.array(z.string()).describe("The operators whose buses' passes uphold it"),
});
