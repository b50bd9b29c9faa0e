/**
 * A journey record: one bus's run of one trip as BusFlow stores and serves it (the `journeys` table) — the
 * pipeline's result with its context: the trip and its plan, the stop visits with their fares, the
 * classification, and `performed`, the TIDES trip performed summary.
 */
import type { TripClassification, UnscheduledReason } from './bus-journeys.js';
import type { StoredCardFields } from '../privacy/card-key-ring.js';
import type { StopVisit, TripPerformed } from './types.js';

/**
 * A fare transaction of a visit. The card only as its keyed hash: `cardHash`, and after a key rotation
 * `cardKeyVersion` and `cardLinkHashes` as the tap carried them (docs/privacy.md), absent before any rotation.
 */
export interface AttributedTap extends StoredCardFields {
  tapId: string;
  ts: number;
  amountVnd: number;
  product: string;
  medium: string;
}

/** One trip run by one bus on a service day, as stored: its context, stop visits and trip performed summary. */
export interface JourneyRecord {
  serviceDay: string;
  tripId: string;
  busId: string;
  operatorId: string;
  routeId: string;
  patternId?: string;
  directionId?: 0 | 1;
  tripOrderId?: string;
  driverId?: string;
  classification: TripClassification;
  /** How the trip was found: the bus announced it (duty) or its order planned it (order). */
  source: 'duty' | 'order';
  /** The trip_id the bus announced, when it is a frequencies.txt template resolved to this run (`tripId`). */
  announcedTripId?: string;
  /** Why the trip is unscheduled although the bus announced it: the network has no trip of that id. */
  unscheduledReason?: UnscheduledReason;
  plannedDepartureMs?: number;
  plannedArrivalMs?: number;
  performed: TripPerformed;
  /** On-board wifi during the trip: samples taken and the share of them that found it up. */
  wifi?: { samples: number; upShare: number; clientsMax: number };
  visits: (StopVisit & {
    scheduledArrivalMs?: number;
    scheduledDepartureMs?: number;
    /** Arrival against the timetable, seconds (late positive). */
    delayS?: number;
    distanceM: number;
    boardings: number;
    revenueVnd: number;
    transactions: number;
    /** The fare transactions of the visit (the card only as its keyed hash). */
    taps?: AttributedTap[];
  })[];
  computedAt: string;
}

/** A trip with an outcome: not one still scheduled (not due yet), which quality and TIDES leave out. */
export function isJudged(t: JourneyRecord): boolean {
  return t.classification !== 'scheduled';
}
