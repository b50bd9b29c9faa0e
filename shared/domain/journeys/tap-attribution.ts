/**
 * Stage 5, tap attribution: each fare tap of the bus → the stop visit at its stop and time, and per visit its
 * boardings, revenue and fare transactions (TIDES passenger_events and fare_transactions). A tap that names its
 * stop counts only there; one that names none is placed by time alone. A tap counts at one visit only, the
 * first (in trip and pattern order) whose window holds it, even when two visits' windows overlap — as on a
 * loop, whose first and last stop are one.
 */
import { pseudonymsOf, storedCardFields, type StoredCardFields } from '../privacy/card-key-ring.js';
import type { AttributedTap } from './journey-record.js';
import type { StopVisit } from './types.js';

/** A fare tap as stored (the card only as its keyed hash, with its key version and link hashes after a rotation). */
export interface StoredTap extends StoredCardFields {
  tapId: string;
  ts: number;
  stopId?: string;
  amountVnd: number;
  product: string;
  medium: string;
}

/** What the taps at one stop visit add up to. */
export interface VisitFares {
  boardings: number;
  transactions: number;
  revenueVnd: number;
  taps: AttributedTap[];
}

/** A tap this long before arrival or after departure still belongs to the visit (device clocks, a late tap). */
export const TAP_SLACK_MS = 60_000;

type VisitTimes = Pick<StopVisit, 'stopId' | 'status' | 'arrivalMs' | 'departureMs'>;

/** Whether the tap belongs to the visit: the visit's stop (or none named), within its window widened by the slack. */
export function tapFitsVisit(tap: StoredTap, visit: VisitTimes, slackMs: number = TAP_SLACK_MS): boolean {
  if (visit.status !== 'visited' || visit.arrivalMs === undefined) return false;
  if (tap.stopId !== undefined && tap.stopId !== visit.stopId) return false;
  return tap.ts >= visit.arrivalMs - slackMs && tap.ts <= (visit.departureMs ?? visit.arrivalMs) + slackMs;
}

/** The fares of each visit of each trip (same shape as `trips`), every tap counted at one visit at most. */
export function attributeTaps(trips: readonly { visits: readonly VisitTimes[] }[], taps: readonly StoredTap[], slackMs: number = TAP_SLACK_MS): VisitFares[][] {
  const attributed = new Set<string>();
  return trips.map((trip) =>
    trip.visits.map((visit) => {
      const mine = taps.filter((t) => !attributed.has(t.tapId) && tapFitsVisit(t, visit, slackMs));
      for (const t of mine) attributed.add(t.tapId);
      return {
        boardings: mine.length,
        transactions: mine.length,
        revenueVnd: mine.reduce((n, t) => n + t.amountVnd, 0),
        taps: mine.map(attributedTap),
      };
    }),
  );
}

/**
 * The fields a visit keeps of a tap. The card's key version and link hashes go with its hash, so that a card's
 * transactions before and after a key rotation stay linkable; absent as on the tap (a record from before any
 * rotation is unchanged).
 */
function attributedTap(tap: StoredTap): AttributedTap {
  const { tapId, ts, amountVnd, product, medium } = tap;
  return { tapId, ts, amountVnd, product, medium, ...storedCardFields(pseudonymsOf(tap)) };
}
