/**
 * Request and response schemas of the reconciliation routes: runs, statements with their lines and evidence,
 * diffs, resolutions, payment records, settlements and advances, as the domain's types go out.
 */
import { z } from 'zod';
import { cursorSchema, operatorIdSchema, serviceDaySchema } from '../catalogue/ids.js';

const vnd = z.number().int().describe('Integer VND');
const ms = z.number().describe('Epoch milliseconds');
const iso = z.string().describe('ISO 8601 instant');
const text = z.string().trim().min(1).max(1000);
const LINE_CLASSES = ['completed', 'late', 'partial', 'missed', 'needs-review', 'unscheduled'] as const;

/** A month, YYYY-MM. */
const monthSchema = z
  .string()
  .max(7)
  .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM')
  .describe('A month, YYYY-MM');
/** A version of an operator-day's statement, from 1. */
const versionSchema = z.coerce.number().int().min(1).max(1_000_000);

export const reconciliationParams = z.object({ serviceDay: serviceDaySchema, operatorId: operatorIdSchema });
export const settlementParams = z.object({ operatorId: operatorIdSchema, month: monthSchema });
export const exportLangQuery = z.object({ lang: z.enum(['vi', 'en']).default('vi').describe('Headers and labels: Vietnamese (default) or English') });

export const runRequestSchema = z.object({
  serviceDay: serviceDaySchema,
  operatorId: operatorIdSchema.optional().describe('One operator; absent: every operator with orders or trips that day'),
});
export const resolveRequestSchema = z.object({
  lineId: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces')
    .describe('The line: `{tripOrderId}#{sequence}`'),
  decision: z.enum(['completed', 'partial', 'rejected']),
  reason: text,
});
export const approveRequestSchema = z.object({
  version: z.int().min(1).max(1_000_000).optional().describe('The version the centre reviewed: refused if another is current'),
});
export const reopenRequestSchema = z.object({ reason: text });
export const advanceRequestSchema = z.object({
  operatorId: operatorIdSchema,
  month: monthSchema,
  amountVnd: z.int().min(1).max(1e13),
  paidOn: z.iso.date().optional(),
  reference: z.string().trim().min(1).max(200).optional(),
});

export const versionQuerySchema = z.object({ version: versionSchema.optional().describe('A version; absent: the current one') });
export const diffQuerySchema = z.object({ from: versionSchema, to: versionSchema });
export const listQuerySchema = z.object({
  serviceDay: serviceDaySchema.optional(),
  operatorId: operatorIdSchema.optional(),
  fromDay: serviceDaySchema.optional(),
  toDay: serviceDaySchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorSchema.optional(),
});
export const advanceQuerySchema = z.object({ operatorId: operatorIdSchema, month: monthSchema });

const actorSchema = z.object({ role: z.enum(['centre', 'operator', 'system']), id: z.string() });
const classCounts = z.record(z.enum(LINE_CLASSES), z.number().int());
const dayTotalsSchema = z.object({
  plannedTrips: z.number().int(),
  byClass: classCounts,
  acceptedTrips: z.number().int(),
  costBeforePenaltiesVnd: vnd,
  penaltiesVnd: vnd,
  fareRevenueVnd: vnd,
  revenueAboveCostVnd: vnd,
  revenueDueToCityVnd: vnd,
  bidDiscountVnd: vnd,
  subsidyPayableVnd: vnd,
});
const contractVersion = z.object({ routeId: z.string(), effectiveFrom: z.string() });
const performedTripSchema = z.object({
  serviceDay: z.string(),
  tripId: z.string(),
  busId: z.string(),
  routeId: z.string(),
  directionId: z.union([z.literal(0), z.literal(1)]).optional(),
  tripOrderId: z.string().optional(),
  startMs: ms.optional(),
  endMs: ms.optional(),
});
const resolutionSchema = z.object({
  lineId: z.string(),
  decision: z.enum(['completed', 'partial', 'rejected']),
  reason: z.string(),
  resolvedBy: z.string().optional(),
  resolvedAt: z.string().optional(),
});
const lineSchema = z.object({
  lineId: z.string(),
  kind: z.enum(['planned', 'unscheduled']),
  routeId: z.string(),
  planned: z
    .object({
      tripOrderId: z.string(),
      orderNumber: z.string(),
      sequence: z.number().int(),
      routeId: z.string(),
      directionId: z.union([z.literal(0), z.literal(1)]).optional(),
      tripId: z.string().optional(),
      busId: z.string(),
      plate: z.string(),
      driverId: z.string(),
      plannedDepartureMs: ms,
    })
    .optional(),
  class: z.enum(LINE_CLASSES),
  possibleClasses: z.array(z.enum(LINE_CLASSES)).optional(),
  reason: z.string(),
  /** Vietnamese; absent on statements stored before it existed (read `reason` then). */
  reasonVi: z.string().optional(),
  unitCostVnd: vnd,
  amountVnd: vnd,
  penalties: z.object({ skippedStops: z.number().int(), skippedStopsVnd: vnd, lateTripVnd: vnd, totalVnd: vnd }),
  evidence: z.object({
    performedTrip: performedTripSchema.optional(),
    plannedDepartureMs: ms.optional(),
    actualDepartureMs: ms.optional(),
    departureSource: z.enum(['first-stop', 'later-stop', 'terminal-confirmation']).optional(),
    departureDelayS: z.number().optional(),
    stops: z
      .object({
        total: z.number().int(),
        visited: z.number().int(),
        skipped: z.number().int(),
        unobserved: z.number().int(),
        notReached: z.number().int(),
        skippedStopIds: z.array(z.string()),
        unobservedStopIds: z.array(z.string()),
        notReachedStopIds: z.array(z.string()),
        visitedShare: z.number(),
      })
      .optional(),
    fareRevenueVnd: vnd,
    contractVersion: contractVersion.optional(),
    confirmations: z.array(z.object({ kind: z.enum(['departure', 'arrival']), at: z.string(), stopId: z.string(), confirmedBy: z.string() })),
    vehicleSwap: z.object({ plannedBusId: z.string(), performedBusId: z.string() }).optional(),
    competingTrips: z.array(performedTripSchema).optional(),
    claimedLineId: z.string().optional(),
  }),
  resolution: resolutionSchema.extend({ classBefore: z.enum(LINE_CLASSES) }).optional(),
  flagged: z.boolean(),
});
const routeTotalsSchema = z.object({
  routeId: z.string(),
  contractVersion: contractVersion.optional(),
  contractType: z.enum(['net-cost', 'gross-cost']).optional(),
  subsidised: z.boolean(),
  plannedTrips: z.number().int(),
  byClass: classCounts,
  acceptedTrips: z.number().int(),
  costBeforePenaltiesVnd: vnd,
  penaltiesVnd: vnd,
  fareRevenueVnd: vnd,
  netResultVnd: vnd,
  revenueAboveCostVnd: vnd,
  revenueDueToCityVnd: vnd,
  bidDiscountShare: z.number(),
  bidDiscountVnd: vnd,
  subsidyPayableVnd: vnd,
});
const statementSchema = z.object({
  serviceDay: z.string(),
  operatorId: z.string(),
  inputHash: z.string(),
  rounding: z.string(),
  lines: z.array(lineSchema),
  routes: z.array(routeTotalsSchema),
  totals: dayTotalsSchema,
  unappliedResolutions: z.array(resolutionSchema),
  openReviewLineIds: z.array(z.string()),
});
const fieldChange = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
export const diffSchema = z.object({
  fromHash: z.string(),
  toHash: z.string(),
  added: z.array(lineSchema),
  removed: z.array(lineSchema),
  changed: z.array(z.object({ lineId: z.string(), changes: z.array(fieldChange), why: z.array(z.string()) })),
  totals: z.array(fieldChange),
});
export const headSchema = z.object({
  serviceDay: z.string(),
  operatorId: z.string(),
  version: z.number().int(),
  inputHash: z.string(),
  status: z.enum(['open', 'approved']),
  approvals: z.number().int(),
  totals: dayTotalsSchema,
  openReviewLines: z.number().int(),
  updatedAt: iso,
  reopened: z.object({ at: iso, by: actorSchema, reason: z.string() }).optional(),
});
export const paymentRecordSchema = z.object({
  serviceDay: z.string(),
  operatorId: z.string(),
  sequence: z.number().int(),
  version: z.number().int(),
  inputHash: z.string(),
  approvedBy: actorSchema,
  approvedAt: iso,
  resolutions: z.array(resolutionSchema),
  totals: dayTotalsSchema,
  subsidyPayableVnd: vnd,
});
const auditSchema = z.object({
  id: z.string(),
  at: iso,
  actor: actorSchema,
  action: z.string(),
  version: z.number().int().optional(),
  inputHash: z.string().optional(),
  lineId: z.string().optional(),
  reason: z.string().optional(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export const runResultSchema = z.object({
  runs: z.array(
    z.object({
      serviceDay: z.string(),
      operatorId: z.string(),
      outcome: z.enum(['created', 'unchanged', 'approved']),
      version: z.number().int(),
      inputHash: z.string(),
      status: z.enum(['open', 'approved']),
    }),
  ),
});
export const versionViewSchema = z.object({
  head: headSchema,
  version: z.object({
    serviceDay: z.string(),
    operatorId: z.string(),
    version: z.number().int(),
    inputHash: z.string(),
    createdAt: iso,
    createdBy: actorSchema,
    statement: statementSchema,
    diff: diffSchema.optional(),
  }),
  resolutions: z.array(resolutionSchema),
  approvals: z.array(paymentRecordSchema),
  audit: z.array(auditSchema),
});
const advanceSchema = z.object({ operatorId: z.string(), month: z.string(), amountVnd: vnd, paidOn: z.string().optional(), reference: z.string().optional() });
export const storedAdvanceSchema = advanceSchema.extend({ id: z.string(), recordedAt: iso, recordedBy: actorSchema });
const deduction = { deductionShare: z.number(), deductionVnd: vnd, met: z.boolean() };
export const settlementSchema = z.object({
  operatorId: z.string(),
  month: z.string(),
  rounding: z.string(),
  routes: z.array(
    z.object({
      routeId: z.string(),
      approvedPayableVnd: vnd,
      approvedDays: z.number().int(),
      onTime: z
        .object({ departuresObserved: z.number().int(), departuresOnTime: z.number().int(), onTimeShare: z.number(), minShare: z.number(), ...deduction })
        .optional(),
      excessWaitTime: z
        .object({
          timingStopIds: z.array(z.string()),
          scheduledBusesPerHour: z.number(),
          highFrequency: z.boolean(),
          scheduledWaitMin: z.number(),
          actualWaitMin: z.number(),
          ewtMin: z.number(),
          thresholdMin: z.number(),
          ...deduction,
        })
        .optional(),
      deductionsVnd: vnd,
      payableVnd: vnd,
    }),
  ),
  approvedDays: z.array(z.string()),
  outstandingDays: z.array(z.object({ serviceDay: z.string(), status: z.enum(['not-run', 'pending-approval']) })),
  approvedTotalVnd: vnd,
  advancesVnd: vnd,
  advances: z.array(advanceSchema),
  balanceVnd: vnd,
  balanceStatus: z.enum(['payable-to-operator', 'owed-by-operator', 'settled']),
});

/** UTF-8 CSV with a byte-order mark (so that Excel shows Vietnamese), header line first. */
export const reconciliationCsvSchema = z
  .string()
  .refine((csv) => csv.startsWith('\uFEFF') && csv.includes('\r\n'), 'is not a CSV with a byte-order mark')
  .describe('CSV (text/csv; charset=utf-8) with a BOM');
/** The print-ready acceptance record (biên bản nghiệm thu). */
export const acceptanceRecordSchema = z
  .string()
  .refine((html) => html.startsWith('<!DOCTYPE html>'), 'is not an HTML page')
  .describe('HTML page (text/html; charset=utf-8)');
