/**
 * Route contracts (ARCHITECTURE §9): versioned configuration, one version per (route, effectiveFrom). The
 * version in force on a service day is the one with the latest effectiveFrom on or before it.
 */
import { z } from 'zod';
import { operatorIdSchema, routeIdSchema, serviceDaySchema } from '../../catalogue/ids.js';

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
     * `{ earlyMin: -1, lateMin: 5 }`. Use `departureWindowS` rather than reading the signs by hand.
     */
    departureToleranceMin: z.object({
      earlyMin: z.number().min(-120).max(0),
      lateMin: z.number().min(0).max(120),
    }),
    /** A departure later than this (minutes after planned) is a late trip (penalised); within it, merely off-time. */
    lateLimitMin: z.number().min(0).max(24 * 60),
    /** Share of the pattern's stops visited for a complete trip. */
    minStopShareComplete: share,
    /** Share of stops visited for a partial trip (paid at `partialPaidShare`); below it the trip is missed. */
    minStopSharePartial: share,
    partialPaidShare: share,
    penaltyPerSkippedStopVnd: vnd,
    penaltyPerLateTripVnd: vnd,
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
      ctx.addIssue({ code: 'custom', path: ['lateLimitMin'], message: `must not be less than departureToleranceMin.lateMin (${c.departureToleranceMin.lateMin})` });
    }
    const spans = c.unitCostBands.map((b) => bandSpans(b.from, b.to));
    for (let i = 0; i < spans.length; i++) {
      for (let j = 0; j < i; j++) {
        if (spansOverlap(spans[i]!, spans[j]!)) {
          ctx.addIssue({ code: 'custom', path: ['unitCostBands', i], message: `overlaps unitCostBands[${j}] (${c.unitCostBands[j]!.from}–${c.unitCostBands[j]!.to})` });
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
  return a < b ? [[a, b]] : [[a, 1440], [0, b]].filter(([s, e]) => s! < e!) as [number, number][];
}

function spansOverlap(a: [number, number][], b: [number, number][]): boolean {
  return a.some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1));
}
