/**
 * Route contracts (ARCHITECTURE §9): versioned configuration, one version per (route, effectiveFrom). The
 * version in force on a service day is the one with the latest effectiveFrom on or before it.
 */
import { z } from 'zod';
import { operatorIdSchema, routeIdSchema, serviceDaySchema, stopIdSchema } from '../../catalogue/ids.js';

const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const LOCAL_TIME_END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** Whole VND, never negative. */
const vnd = z.int().min(0);
/** A share, 0..1 inclusive. */
const share = z.number().min(0).max(1);

/**
 * A time band of unit cost, local time, half-open [from, to). A band whose `to` is earlier than its `from`
 * wraps past midnight (`22:00`–`05:00`); `to` may be `24:00`.
 */
const unitCostBandSchema = z
  .object({
    from: z.string().regex(LOCAL_TIME, 'expected local time HH:MM'),
    to: z.string().regex(LOCAL_TIME_END, 'expected local time HH:MM (or 24:00)'),
    unitCostVnd: vnd,
  })
  .refine((b) => minuteOf(b.from) !== minuteOf(b.to), { message: 'the band is empty: from equals to', path: ['to'] });

/**
 * The stops at which waits are measured for excess wait time: named, or picked by a rule from each trip's
 * pattern — `quartiles`: the first stop and the stops at a quarter, half and three quarters of the pattern.
 */
const timingPointsSchema = z.union([z.object({ stopIds: z.array(stopIdSchema).min(1).max(50) }), z.object({ rule: z.literal('quartiles') })]);

/**
 * Monthly performance terms (as in TfL's and Singapore's bus contracts). Each deduction share is taken off the
 * route's month of approved subsidy when its term is not met.
 */
const performanceTermsSchema = z
  .object({
    /** Share of planned trips with an observed departure that departed within the tolerance. */
    onTimeDeparture: z.object({ minShare: share, deductionShare: share }).optional(),
    /**
     * Excess wait time (actual − scheduled average wait at the timing points, minutes) for a high-frequency
     * route: applies when the timing points are scheduled at least `minBusesPerHour` an hour (5 by default).
     */
    excessWaitTime: z
      .object({
        thresholdMin: z.number().min(0).max(120),
        deductionShare: share,
        timingPoints: timingPointsSchema,
        minBusesPerHour: z.number().min(1).max(120).default(5),
      })
      .optional(),
  })
  .refine((t) => t.onTimeDeparture !== undefined || t.excessWaitTime !== undefined, { message: 'performance terms need onTimeDeparture or excessWaitTime' });

export const routeContractSchema = z
  .object({
    routeId: routeIdSchema,
    operatorId: operatorIdSchema,
    subsidised: z.boolean(),
    /** net-cost: subsidy = accepted trips × unit cost − fare revenue; gross-cost: revenue is kept by the city. */
    type: z.enum(['net-cost', 'gross-cost']),
    /** Paid per accepted trip, unless a time band of `unitCostBands` covers the planned departure. */
    unitCostVnd: vnd,
    unitCostBands: z.array(unitCostBandSchema).max(48).default([]),
    /**
     * The on-time departure window relative to the planned departure, signed minutes: −1/+5 is
     * `{ earlyMin: -1, lateMin: 5 }`, both ends included. Use `departureWindowS` rather than reading the signs by hand.
     */
    departureToleranceMin: z.object({
      earlyMin: z.number().min(-120).max(0),
      lateMin: z.number().min(0).max(120),
    }),
    /**
     * The late limit, minutes after the planned departure (included): a departure outside the tolerance but
     * within it is a late trip (paid, with the late-trip penalty); later than it the trip is not accepted (missed).
     */
    lateLimitMin: z
      .number()
      .min(0)
      .max(24 * 60),
    /** Share of the pattern's stops visited for a complete trip. */
    minStopShareComplete: share,
    /** Share of stops visited for a partial trip (paid at `partialPaidShare`); below it the trip is missed. */
    minStopSharePartial: share,
    partialPaidShare: share,
    penaltyPerSkippedStopVnd: vnd,
    penaltyPerLateTripVnd: vnd,
    /**
     * A contract won by bidding: the share bid off the subsidy, applied to the subsidy payable of each
     * operator-day (HCMC tenders routes as discounts on the subsidy). 0 when not bid.
     */
    bidDiscountShare: share.default(0),
    /** Monthly performance terms, applied in the settlement. */
    performanceTerms: performanceTermsSchema.optional(),
    /** Service day (YYYY-MM-DD, Asia/Ho_Chi_Minh) from which this version applies. */
    effectiveFrom: serviceDaySchema,
  })
  .superRefine((c, ctx) => {
    // zod runs this even when a field failed: compare only values that are valid on their own.
    const isShare = (x: number) => x >= 0 && x <= 1;
    if (isShare(c.minStopShareComplete) && isShare(c.minStopSharePartial) && c.minStopSharePartial > c.minStopShareComplete) {
      ctx.addIssue({ code: 'custom', path: ['minStopSharePartial'], message: `must not exceed minStopShareComplete (${c.minStopShareComplete})` });
    }
    if (c.departureToleranceMin?.lateMin >= 0 && c.lateLimitMin >= 0 && c.lateLimitMin < c.departureToleranceMin.lateMin) {
      ctx.addIssue({
        code: 'custom',
        path: ['lateLimitMin'],
        message: `must not be less than departureToleranceMin.lateMin (${c.departureToleranceMin.lateMin})`,
      });
    }
    const spans = c.unitCostBands.map((b) => bandSpans(b.from, b.to));
    for (let i = 0; i < spans.length; i++) {
      for (let j = 0; j < i; j++) {
        if (spansOverlap(spans[i]!, spans[j]!)) {
          ctx.addIssue({
            code: 'custom',
            path: ['unitCostBands', i],
            message: `overlaps unitCostBands[${j}] (${c.unitCostBands[j]!.from}–${c.unitCostBands[j]!.to})`,
          });
          break;
        }
      }
    }
  });

export type RouteContract = z.infer<typeof routeContractSchema>;
/** A contract as written in configuration (bands may be left out). */
export type RouteContractInput = z.input<typeof routeContractSchema>;

/** Minutes since local midnight of `HH:MM` (24:00 → 1440). */
export function minuteOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** A band as half-open minute spans within [0, 1440): one span, or two when it wraps past midnight. */
export function bandSpans(from: string, to: string): [number, number][] {
  const a = minuteOf(from);
  const b = minuteOf(to);
  return a < b
    ? [[a, b]]
    : ([
        [a, 1440],
        [0, b],
      ].filter(([s, e]) => s! < e!) as [number, number][]);
}

function spansOverlap(a: [number, number][], b: [number, number][]): boolean {
  return a.some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1));
}
