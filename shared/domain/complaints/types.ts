/**
 * Complaints (phản ánh) checked against telemetry: what a passenger reported about a stop — a bus skipped it,
 * did not let passengers off, was late, or something else — and what the journeys and GPS fixes show the buses
 * of that route (or that plate) did at that stop around that time.
 */
import type { StopVisitEvidence, StopVisitStatus } from '../journeys/types.js';

export const COMPLAINT_KINDS = ['skipped-stop', 'no-alighting', 'late', 'other'] as const;
/** skipped-stop: the bus did not stop; no-alighting: it did not let passengers off; late; other. */
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

export const COMPLAINT_VERDICTS = ['confirmed-skipped', 'bus-stopped', 'confirmed-late', 'on-time', 'no-data'] as const;
export type ComplaintVerdict = (typeof COMPLAINT_VERDICTS)[number];

/** The verdicts that uphold a complaint: they count against the operator in the quality view. */
export const CONFIRMING_VERDICTS: ReadonlySet<ComplaintVerdict> = new Set(['confirmed-skipped', 'confirmed-late']);

/** A complaint as the centre records it (from the hotline, the app, a letter). */
export interface ComplaintInput {
  kind: ComplaintKind;
  /** At least one of routeId, plate and busId names whom the complaint is about. */
  routeId?: string;
  plate?: string;
  busId?: string;
  stopId: string;
  /** When it happened, as the passenger reported it (an instant). */
  at: string;
  description?: string;
  /** The case's number in the channel it came through (hotline ticket, letter). */
  reference?: string;
}

/**
 * What one bus did at the stop:
 * - skipped: the journeys judged the visit skipped (it passed without stopping);
 * - no-door: it stopped, but its doors reported shut throughout;
 * - stopped: it stopped (and dwelled);
 * - unobserved: the fixes cannot tell (a gap in the data);
 * - late / on-time: for a late complaint, its arrival against the timetable;
 * - missed: for a late complaint, its trip was planned through the stop then but never run.
 */
export type PassFinding = 'skipped' | 'no-door' | 'stopped' | 'unobserved' | 'late' | 'on-time' | 'missed';

/** How the instant the bus passed the stop was found. */
export type PassedAtSource = 'arrival' | 'departure' | 'closest-fix' | 'interpolated' | 'scheduled';

/** One bus's pass at the complained-about stop, with what the journeys and its GPS fixes say. */
export interface StopPassEvidence {
  busId: string;
  plate?: string;
  operatorId: string;
  routeId: string;
  tripId: string;
  tripOrderId?: string;
  directionId?: 0 | 1;
  /** The stop's position in the trip's pattern (1-based). */
  stopSequence: number;
  /** The stop visit's status as the journeys judged it (TIDES: visited = Scheduled, skipped, unobserved = Missing). */
  status: StopVisitStatus;
  /** How the journeys decided the visit (slow fixes, traversal time, gap…). */
  method: StopVisitEvidence['method'];
  finding: PassFinding;
  /** When the bus was at the stop (ISO instant), and how that was found; absent for a trip never run. */
  passedAt?: string;
  passedAtSource: PassedAtSource;
  arrivalAt?: string;
  departureAt?: string;
  dwellS?: number;
  /** Whether the doors opened at the stop; absent when the bus does not report its doors. */
  doorOpened?: boolean;
  scheduledArrivalAt?: string;
  /** Arrival against the timetable, seconds, late positive. */
  delayS?: number;
  /** The bus's GPS fixes within `radiusM` of the stop around the pass: how fast it went through the stop zone. */
  zone: { radiusM: number; fixes: number; minSpeedKmh?: number; meanSpeedKmh?: number; doorOpenFixes: number };
  /** The bus's nearest fix to the stop around the pass. */
  closestApproach?: { distanceM: number; at: string };
}

/** What the evidence shows, in a sentence, in Vietnamese and in English. */
export interface ComplaintSummary {
  vi: string;
  en: string;
}

/** A complaint as recorded, with its evidence and verdict. */
export interface Complaint extends ComplaintInput {
  id: string;
  /** The service day of `at` (Asia/Ho_Chi_Minh, from 03:00). */
  serviceDay: string;
  stopName?: string;
  receivedAt: string;
  recordedBy: { role: 'centre' | 'operator' | 'system'; id: string };
  /** The buses considered: those that passed the stop from `from` to `to` (±15 min of `at`). */
  window: { from: string; to: string };
  verdict: ComplaintVerdict;
  summary: ComplaintSummary;
  evidence: StopPassEvidence[];
  /** The operators the complaint concerns: the route's, the plate's, and those of the buses in the evidence. */
  operatorIds: string[];
  /** The operators whose buses' passes uphold the complaint (empty unless the verdict confirms it). */
  confirmedOperatorIds: string[];
}
