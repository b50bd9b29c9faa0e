/**
 * The whole pipeline for one bus's service day: assign trips (stage 1), match each trip's fixes onto its pattern
 * (stage 2), detect stop visits (stage 3), summarise the trip performed (stage 4) and classify it against its
 * plan. Pure: the caller gives the stored track and duty events, the order's planned trips and the network.
 */
import type { GpsRecord } from '../../catalogue/messages.js';
import type { MeasuredPolyline } from '../../kernel/geo/polyline.js';
import { assignTrips, type DutyEventLike, type PlannedTripLike, type TripCatalogue, type TripWindow } from './assign.js';
import { matchTrack } from './match.js';
import { detectStopVisits } from './stop-visits.js';
import { summariseTripPerformed } from './trip-performed.js';
import type { JourneyPattern, StopVisit, TripPerformed } from './types.js';

/**
 * A trip against its plan. `scheduled`: a planned trip not judged yet — not due (its planned departure plus the
 * late limit is still ahead) or still being run with too little of it seen; it becomes missed only once due.
 */
export type TripClassification = 'completed' | 'late' | 'partial' | 'missed' | 'unscheduled' | 'scheduled';

export interface PatternGeometry {
  patternId: string;
  pattern: JourneyPattern;
  line: MeasuredPolyline;
}

export interface TripJourney {
  tripId: string;
  tripOrderId?: string;
  patternId?: string;
  source: TripWindow['source'];
  visits: StopVisit[];
  performed: TripPerformed;
  classification: TripClassification;
  plannedDepartureMs?: number;
  /** The trip_id the bus announced, when it is a frequency template resolved to `tripId`. */
  announcedTripId?: string;
  /** Why an announced trip was reconstructed as unscheduled: the network has no trip of that id. */
  unscheduledReason?: UnscheduledReason;
}

/** `unknown-trip-id`: the bus announced a trip_id that the current network does not have. */
export type UnscheduledReason = 'unknown-trip-id';

export interface BusDayInput {
  track: readonly GpsRecord[];
  duty: readonly DutyEventLike[];
  /** The approved order's planned trips. */
  planned: readonly PlannedTripLike[];
  /** The pattern of a known trip. */
  patternOfTrip(tripId: string): PatternGeometry | undefined;
  /** Patterns an unscheduled trip of this bus may have run (its route's). */
  candidatePatterns: readonly PatternGeometry[];
  /** Resolves announced trip ids against the network (frequency runs, unknown ids); without it ids are taken as they are. */
  catalogue?: TripCatalogue;
  /** Every pattern of the network: where a trip of an unknown id is looked for when its bus's route has no match. */
  allPatterns?: () => readonly PatternGeometry[];
  /** A departure later than this after the plan is a late trip. */
  lateAfterMs: number;
  /** The clock's time of the computation: a planned trip is judged only once due by it. */
  nowMs: number;
}

/**
 * Every trip of the bus's day, planned ones classified against their plan, the others unscheduled. A trip whose
 * announced id the network does not know is never dropped: it is matched on the pattern its positions fit best,
 * its bus's route first, and kept (without a pattern if none fits) as unscheduled with its reason.
 */
export function journeysOfBus(input: BusDayInput): TripJourney[] {
  const windows = assignTrips(input.duty, input.planned, {}, input.catalogue);
  const plannedById = new Map(input.planned.filter((p) => p.tripId).map((p) => [p.tripId!, p.plannedDepartureMs]));
  const fixes = [...input.track].sort((a, b) => a.ts - b.ts);
  const out: TripJourney[] = [];
  const seen = new Set<string>();
  for (const w of windows) {
    const track = fixesBetween(fixes, w.fromMs, w.toMs);
    const known = w.unknownTrip ? undefined : input.patternOfTrip(w.tripId);
    let geometry = known ?? bestPattern(input.candidatePatterns, track);
    if (!geometry && w.unknownTrip && input.allPatterns) geometry = bestPattern(nearTrack(input.allPatterns(), track), track);
    if (!geometry && !w.unknownTrip) continue;
    const pattern = geometry?.pattern ?? NO_PATTERN;
    const visits = geometry ? detectStopVisits(pattern, matchTrack(pattern, geometry.line, track)) : [];
    const performed = summariseTripPerformed(pattern, visits, { ended: w.ended });
    const plannedDepartureMs = plannedById.get(w.tripId);
    seen.add(w.tripId);
    const unscheduled = w.unknownTrip && plannedDepartureMs === undefined;
    out.push({
      tripId: w.tripId,
      ...(w.tripOrderId ? { tripOrderId: w.tripOrderId } : {}),
      ...(geometry ? { patternId: geometry.patternId } : {}),
      source: w.source,
      visits,
      performed,
      classification: unscheduled ? 'unscheduled' : classify(performed, visits, plannedDepartureMs, input.lateAfterMs, w, input.nowMs),
      ...(plannedDepartureMs === undefined ? {} : { plannedDepartureMs }),
      ...(w.announcedTripId ? { announcedTripId: w.announcedTripId } : {}),
      ...(w.unknownTrip ? { unscheduledReason: 'unknown-trip-id' as const } : {}),
    });
  }
  return out;
}

/**
 * Against its plan: a trip is judged on the stops whose fate is known; unobserved stops (data gaps) count neither
 * for nor against it. Too few observed: missed (the bus did not run it, or nothing shows it did). A short turn —
 * the trip's last stops not served, i.e. a trailing run of at least SHORT_TURN_STOPS stops after its last visited
 * stop, at least one of them seen passed — or most of the observed stops passed without stopping: partial. A
 * few skipped stops along the way (a detour, a full bus) do not make a trip partial. Otherwise completed, or late
 * when it left more than `lateAfterMs` after plan. A planned trip that does not show it ran is missed only once
 * it is due at `nowMs` — its planned departure plus `lateAfterMs` passed — and the bus is not still running it
 * (announced, not ended, its window still open); before that it is scheduled: live, the day's later trips are
 * not judged yet.
 */
export function classify(
  p: TripPerformed,
  visits: readonly StopVisit[],
  plannedMs: number | undefined,
  lateAfterMs: number,
  w: TripWindow,
  nowMs: number,
): TripClassification {
  const stops = visits.length;
  const observed = p.stopsVisited + p.stopsSkipped;
  const ran = stops > 0 && observed / stops >= MIN_OBSERVED_SHARE && p.stopsVisited > 1;
  if (plannedMs === undefined) return w.source === 'duty' && !w.tripOrderId ? 'unscheduled' : ran ? 'unscheduled' : 'missed';
  if (!ran) {
    const due = nowMs >= plannedMs + lateAfterMs;
    const running = w.source === 'duty' && !w.ended && nowMs < w.toMs;
    return due && !running ? 'missed' : 'scheduled';
  }
  if (shortTurned(visits, w) || p.stopsVisited / observed < MIN_VISITED_SHARE) return 'partial';
  return p.startMs !== undefined && p.startMs - plannedMs > lateAfterMs ? 'late' : 'completed';
}

/**
 * The bus stopped serving the trip before its end: after its last visited stop, at least SHORT_TURN_STOPS stops
 * not visited, and either one of them was seen passed (skipped) or the bus declared the trip over (trip_end, or
 * its next trip_start). A window inferred from the order ends at a guess: its unobserved tail proves nothing.
 * A bus that short-turns may still run out of service to the terminal: a final stop reached only after passing
 * every stop of a tail of at least SHORT_TURN_SHARE of the pattern does not count as serving it.
 */
function shortTurned(visits: readonly StopVisit[], w: TripWindow): boolean {
  const end = visits.length;
  if (visits[end - 1]?.status === 'visited') {
    let passed = 0;
    for (let i = end - 2; i >= 0 && visits[i]!.status === 'skipped'; i--) passed++;
    if (passed >= Math.max(SHORT_TURN_STOPS, SHORT_TURN_SHARE * visits.length)) return true;
  }
  let trailing = 0;
  let passed = false;
  for (let i = end - 1; i >= 0 && visits[i]!.status !== 'visited'; i--) {
    trailing++;
    if (visits[i]!.status === 'skipped') passed = true;
  }
  return trailing >= SHORT_TURN_STOPS && (passed || (w.ended && w.source === 'duty'));
}

/** Share of a pattern's stops whose fate (visited or skipped) must be known to say the trip ran. */
const MIN_OBSERVED_SHARE = 0.5;
/** Below this share of its observed stops visited, a trip was not run as a service: partial. */
const MIN_VISITED_SHARE = 0.5;
/** Stops left unserved at the end of a trip that make it a short turn (a single last stop may be a data gap). */
const SHORT_TURN_STOPS = 2;
/** Share of the pattern's stops passed in a row just before its final stop that is a short turn run out to the terminal. */
const SHORT_TURN_SHARE = 0.2;

function fixesBetween(sorted: readonly GpsRecord[], fromMs: number, toMs: number): GpsRecord[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.ts < fromMs) lo = mid + 1;
    else hi = mid;
  }
  const out: GpsRecord[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.ts < toMs; i++) out.push(sorted[i]!);
  return out;
}

/** A trip that fits no pattern has no stops to visit. */
const NO_PATTERN = { stops: [], lengthM: 0 };

/** How far (degrees, about 500 m) a pattern's shape may lie outside the track's bounding box and still be tried. */
const NEAR_TRACK_DEG = 0.005;

/** The patterns whose shape comes near the track's bounding box: a cheap filter before matching on every pattern. */
function nearTrack(patterns: readonly PatternGeometry[], track: readonly GpsRecord[]): PatternGeometry[] {
  if (track.length === 0) return [];
  let [south, north, west, east] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const f of track) [south, north, west, east] = [Math.min(south, f.lat), Math.max(north, f.lat), Math.min(west, f.lon), Math.max(east, f.lon)];
  const near = (p: { lat: number; lon: number }) =>
    p.lat >= south - NEAR_TRACK_DEG && p.lat <= north + NEAR_TRACK_DEG && p.lon >= west - NEAR_TRACK_DEG && p.lon <= east + NEAR_TRACK_DEG;
  return patterns.filter((g) => g.line.points.some(near));
}

/** For a trip run without an order: the candidate pattern on which the most stops are visited. */
function bestPattern(candidates: readonly PatternGeometry[], track: readonly GpsRecord[]): PatternGeometry | undefined {
  let best: { g: PatternGeometry; visited: number } | undefined;
  for (const g of candidates) {
    const visited = detectStopVisits(g.pattern, matchTrack(g.pattern, g.line, track)).filter((v) => v.status === 'visited').length;
    if (!best || visited > best.visited) best = { g, visited };
  }
  return best && best.visited > 0 ? best.g : undefined;
}
