/**
 * Response schemas of the journeys and quality routes: the domain's trips performed, quality summary and watch
 * list as they go out. Typed against the domain's interfaces, so that a field the domain drops or retypes fails
 * to compile here; a field it adds is not sent undeclared for long, the response check of the tests sees it.
 */
import { z } from 'zod';
import type { JourneyRecord } from '../domain/journeys/journey-record.js';
import type { QualitySummary, WatchList } from '../domain/journeys/quality.js';
import { FARE_TRANSACTIONS_COLUMNS, PASSENGER_EVENTS_COLUMNS, STOP_VISITS_COLUMNS, TRIPS_PERFORMED_COLUMNS } from '../domain/journeys/tides.js';

const ms = z.number().describe('Epoch milliseconds');
const counts = z.record(z.string(), z.number());

const tapSchema = z.object({
  tapId: z.string(),
  ts: ms,
  amountVnd: z.number(),
  product: z.string(),
  medium: z.string(),
  cardHash: z.string().describe("The card's keyed hash under the key version current at the tap"),
  cardKeyVersion: z.number().int().positive().optional().describe('The key version of cardHash; absent: 1'),
  cardLinkHashes: z
    .record(z.string(), z.string())
    .optional()
    .describe("The card's hashes under older key versions not yet retired, by version: a card's taps are linked when they agree on one"),
});

const visitSchema = z.object({
  stopId: z.string(),
  stopSequence: z.number().int(),
  status: z.enum(['visited', 'skipped', 'unobserved']),
  arrivalMs: ms.optional(),
  departureMs: ms.optional(),
  dwellS: z.number().optional(),
  doorOpened: z.boolean().optional(),
  evidence: z.object({
    method: z.enum(['slow-fixes', 'bracket', 'gap', 'off-route', 'no-fixes']),
    fixesInZone: z.number().int(),
    slowFixesInZone: z.number().int(),
    gapS: z.number().optional(),
    excessS: z.number().optional(),
    freeFlowKmh: z.number().optional(),
  }),
  scheduledArrivalMs: ms.optional(),
  scheduledDepartureMs: ms.optional(),
  delayS: z.number().optional(),
  distanceM: z.number(),
  boardings: z.number().int(),
  revenueVnd: z.number(),
  transactions: z.number().int(),
  taps: z.array(tapSchema).optional(),
});

export const performedTripSchema: z.ZodType<JourneyRecord> = z.object({
  serviceDay: z.string(),
  tripId: z.string(),
  busId: z.string(),
  operatorId: z.string(),
  routeId: z.string(),
  patternId: z.string().optional(),
  directionId: z.union([z.literal(0), z.literal(1)]).optional(),
  tripOrderId: z.string().optional(),
  driverId: z.string().optional(),
  classification: z.enum(['completed', 'late', 'partial', 'missed', 'unscheduled', 'scheduled']),
  source: z.enum(['duty', 'order']),
  announcedTripId: z.string().optional(),
  unscheduledReason: z.enum(['unknown-trip-id']).optional(),
  plannedDepartureMs: ms.optional(),
  plannedArrivalMs: ms.optional(),
  performed: z.object({
    status: z.enum(['completed', 'partial', 'in_progress']),
    performed: z.boolean(),
    stopsVisited: z.number().int(),
    stopsSkipped: z.number().int(),
    stopsUnobserved: z.number().int(),
    startMs: ms.optional(),
    endMs: ms.optional(),
    distanceM: z.number(),
  }),
  wifi: z.object({ samples: z.number().int(), upShare: z.number(), clientsMax: z.number() }).optional(),
  visits: z.array(visitSchema),
  computedAt: z.string(),
});

/** The quality view: the journeys' summary, and the upheld complaints per operator (complaints.ts). */
export const qualitySummarySchema: z.ZodType<QualitySummary & { confirmedComplaintsByOperator: Record<string, number> }> = z.object({
  trips: z.number().int(),
  planned: z.number().int(),
  scheduled: z.number().int(),
  missed: z.number().int(),
  partial: z.number().int(),
  unscheduled: z.number().int(),
  onTimeShare: z.number().nullable(),
  skippedStops: z.number().int(),
  skippedByRoute: counts,
  skippedByOperator: counts,
  skippedByDriver: counts,
  ridership: z.object({ byRoute: counts, byStop: counts, byHour: counts }),
  revenueVnd: z.number(),
  wifiAvailability: z.number().nullable(),
  headwayCvByRoute: counts,
  confirmedComplaintsByOperator: counts.describe(
    'Complaints of the day upheld by the evidence (confirmed-skipped, confirmed-late), per operator whose bus upheld them',
  ),
});

export const watchListSchema: z.ZodType<WatchList> = z.object({
  days: z.array(z.string()),
  fallingRidership: z.array(z.object({ routeId: z.string(), ridership: z.array(z.number()) })),
  fallingPunctuality: z.array(z.object({ routeId: z.string(), onTimeShare: z.array(z.number().nullable()) })),
  operatorsByViolations: z.array(
    z.object({
      operatorId: z.string(),
      violations: z.number().int(),
      skippedStops: z.number().int(),
      missedTrips: z.number().int(),
      lateTrips: z.number().int(),
    }),
  ),
});

/** The header line of each TIDES table the API exports. */
export const TIDES_HEADERS: Readonly<Record<string, string>> = {
  trips_performed: TRIPS_PERFORMED_COLUMNS.join(','),
  stop_visits: STOP_VISITS_COLUMNS.join(','),
  passenger_events: PASSENGER_EVENTS_COLUMNS.join(','),
  fare_transactions: FARE_TRANSACTIONS_COLUMNS.join(','),
};

/** A TIDES CSV: text whose first line is the header of one of the exported tables (the rows are TIDES' to judge). */
export const tidesCsvSchema = z
  .string()
  .refine((csv) => Object.values(TIDES_HEADERS).includes(csv.slice(0, csv.indexOf('\r\n'))), 'does not start with the header line of a TIDES table')
  .describe('TIDES CSV (text/csv), header line first');
