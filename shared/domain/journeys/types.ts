/**
 * Types of the journeys pipeline, stage by stage (TransitClock/OneBusAway style):
 * GPS fixes → matched positions on a pattern (match.ts) → stop visits (stop-visits.ts) → trip performed
 * (trip-performed.ts). Names follow GTFS/TIDES: pattern, stop_visit, trip_performed.
 */

/** The part of a GTFS pattern the tracker needs: its stops' distances along the shape, and the shape's length. */
export interface JourneyPattern {
  stops: readonly { stopId: string; distanceM: number }[];
  lengthM: number;
}

/** Why a fix was not used: too far from the shape, impossible speed, or too far behind the bus's progress. */
export type DiscardReason = 'offset' | 'jump' | 'backwards' | 'invalid';

/** A GPS fix referenced onto the pattern's shape (stage 2 output). */
export interface MatchedPosition {
  ts: number;
  /** Progress along the shape; non-decreasing over kept positions. For a discarded fix, its best raw projection. */
  distanceM: number;
  /** Distance from the fix to its matched point on the shape. */
  offsetM: number;
  /** The fix's own speed when it has one, else derived from progress (0 for a discarded fix without one). */
  speedKmh: number;
  speedSource: 'fix' | 'derived';
  doorOpen?: boolean;
  /** The fix's reported accuracy (m), when it had one. */
  accuracyM?: number;
  kept: boolean;
  reason?: DiscardReason;
}

/** Tuning of stage 2; every field has a default that suits a city bus reporting every 5–10 s. */
export interface MatchConfig {
  /** Fastest credible bus speed; bounds the search window and the jump check. Default 120. */
  maxSpeedKmh: number;
  /** How far behind the last kept progress a fix may project (noise). Default 30. */
  backtrackM: number;
  /** Added to the forward reach of the search window. Default 50. */
  slackM: number;
  /** Largest offset from the shape, before accuracy is added. Default 60. */
  maxOffsetM: number;
  /** Offset allowance per metre of reported accuracy. Default 2. */
  accuracyFactor: number;
  /** Straight-line distance forgiven in the jump check (GPS noise on both fixes). Default 40. */
  jumpToleranceM: number;
  /** Candidates within this many metres of the best count as ties; the earliest along the shape wins. Default 20. */
  ambiguityM: number;
  /** Added to a candidate whose shape direction disagrees (> 90°) with the fix's heading. Default 60. */
  headingPenaltyM: number;
  /** Heading is trusted only at or above this speed. Default 5. */
  headingMinSpeedKmh: number;
  /** A fix at most this fast, after a fix as slow, keeps the previous progress when it moved less than holdM. Default 3. */
  stationaryKmh: number;
  /** Default 30. */
  holdM: number;
  /** After this many discarded fixes in a row, the window opens to the rest of the shape (recover from a wrong match). Default 3. */
  reanchorAfter: number;
  /**
   * How kept progress is made non-decreasing after matching: isotonic, the least-squares non-decreasing fit of
   * the raw projections; hold, the running maximum with stationary runs settled at their median. Default isotonic.
   */
  smoothing: 'isotonic' | 'hold';
}

/** TIDES stop visit status: visited = Scheduled, skipped = Skipped, unobserved = Missing. */
export type StopVisitStatus = 'visited' | 'skipped' | 'unobserved';

/** How a stop visit was decided, for audit and for tuning. */
export interface StopVisitEvidence {
  /**
   * slow-fixes: kept fixes in the zone were slow or had the door open (or a door-open run nearby, or slow fixes just
   * outside the zone within their reported error, were given to this stop); bracket: fixes around the zone, none slow inside it, judged by traversal time; gap: consecutive
   * fixes across the zone are too far apart in time; off-route: they are, but fixes kept coming from off the shape
   * in between (a detour bypassed the stop); no-fixes: no kept fix before (or after) the zone.
   */
  method: 'slow-fixes' | 'bracket' | 'gap' | 'off-route' | 'no-fixes';
  fixesInZone: number;
  slowFixesInZone: number;
  /** Time between the fixes bracketing the zone (bracket and gap methods). */
  gapS?: number;
  /** Time lost at the stop: departure as timed from the fixes after it minus arrival as timed from those before (bracket method). */
  excessS?: number;
  /** Mean speed of the moving fixes used to time the traversal (bracket method). */
  freeFlowKmh?: number;
}

/** One stop of the pattern as the bus served it (stage 3 output). */
export interface StopVisit {
  stopId: string;
  /** 1-based position in the pattern (TIDES trip_stop_sequence). */
  stopSequence: number;
  status: StopVisitStatus;
  arrivalMs?: number;
  departureMs?: number;
  dwellS?: number;
  doorOpened?: boolean;
  evidence: StopVisitEvidence;
}

/** Tuning of stage 3. */
export interface VisitConfig {
  /** Zone before the stop. Default 40. */
  zoneBeforeM: number;
  /** Zone after the stop. Default 25. */
  zoneAfterM: number;
  /** Below this a fix counts as stopped. Default 5. */
  stopSpeedKmh: number;
  /** This much time lost at the stop between fixes means the bus stopped there (a served stop costs more). Default 4. */
  minDwellS: number;
  /** Consecutive fixes across the zone further apart than this hide what happened: unobserved. Default 60. */
  maxGapS: number;
  /** Free-flow speed when the fixes give none. Default 25. */
  freeFlowSpeedKmh: number;
  /** A run of door-open fixes outside every zone belongs to the nearest stop at most this far. Default 100. */
  doorReachM: number;
}

/** TIDES trip performed, summarised from its stop visits (stage 4 output). */
export interface TripPerformed {
  /**
   * in_progress: not ended and its last stop not yet reached; completed: visited share ≥ completeShare;
   * partial: otherwise.
   */
  status: 'completed' | 'partial' | 'in_progress';
  /** Visited share ≥ partialShare: enough of the trip was run to count it (e.g. for reconciliation). */
  performed: boolean;
  stopsVisited: number;
  stopsSkipped: number;
  stopsUnobserved: number;
  /** Departure from the first visited stop (its arrival when the departure is unknown). */
  startMs?: number;
  /** Arrival at the last visited stop. */
  endMs?: number;
  /** Along the pattern, from the first to the last stop observed (visited or skipped). */
  distanceM: number;
}

/** Tuning of stage 4. */
export interface TripPerformedConfig {
  /** Share of the pattern's stops visited for a trip to be completed. Default 0.9. */
  completeShare: number;
  /** Share of the pattern's stops visited for a trip to count as performed at all. Default 0.5. */
  partialShare: number;
  /** The trip is over (trip_end received, or the next trip started): never in_progress. Default false. */
  ended: boolean;
}
