/**
 * Stage 2, matching: each GPS fix of one bus on one trip → progress along the trip's pattern shape.
 *
 * Nearest-point matching fails where the shape passes a place twice (a loop's terminal, a street driven out and
 * back), so each fix is searched only in a window that follows the bus: from a little behind its last kept
 * progress to as far as it could have driven since. Within the window the candidates are the separate passes of
 * the shape near the fix (local minima of the offset, `match-candidates.ts`); the fix's heading, when it moves,
 * rules out passes in the other direction, and among near-ties the earliest along the shape wins. Fixes that
 * cannot be placed are kept in the output, marked with why they were discarded. The kept progress is then
 * smoothed and speeds derived (`match-smoothing.ts`).
 *
 * The steps, per fix (`matchFix`): order the fixes, open the search window, choose a candidate, name a discard's
 * reason, rewind a wrong first match (or revoke the last kept fix), hold progress against noise. The track's
 * bookkeeping (`TrackState`) counts its kept fixes as it goes, so each fix costs the same however long the track.
 */
import type { GpsRecord } from '../../catalogue/messages.js';
import { haversineM, type MeasuredPolyline, type Projection, projectOntoPolyline } from '../../kernel/geo/polyline.js';
import { behindWindow, chooseCandidate, movingAgainst, reachFromSpeedsM } from './match-candidates.js';
import { deriveSpeeds, isotonicProgress, settleStationaryRuns } from './match-smoothing.js';
import type { DiscardReason, JourneyPattern, MatchConfig, MatchedPosition } from './types.js';

export const DEFAULT_MATCH_CONFIG: MatchConfig = {
  maxSpeedKmh: 120,
  backtrackM: 30,
  slackM: 50,
  maxOffsetM: 60,
  accuracyFactor: 2,
  jumpToleranceM: 40,
  ambiguityM: 20,
  headingPenaltyM: 60,
  headingMinSpeedKmh: 5,
  stationaryKmh: 3,
  holdM: 30,
  reanchorAfter: 3,
  smoothing: 'isotonic',
};

/** A wrong first match is undone only while this few fixes were kept: later, a run of outliers cannot erase a trip. */
const MAX_KEPT_TO_REWIND = 10;

/** Fixes in time order, one per timestamp (the first received wins). */
export function orderFixes(track: readonly GpsRecord[]): GpsRecord[] {
  const sorted = track.map((fix, i) => ({ fix, i })).sort((a, b) => a.fix.ts - b.fix.ts || a.i - b.i);
  const out: GpsRecord[] = [];
  for (const { fix } of sorted) if (out.length === 0 || out[out.length - 1]!.ts !== fix.ts) out.push(fix);
  return out;
}

/** A kept fix the next ones follow: its (held) progress, whether it stood still, and its place in the output. */
export interface KeptFix {
  fix: GpsRecord;
  distanceM: number;
  stationary: boolean;
  index: number;
}

/** The track matched so far. */
export interface TrackState {
  out: MatchedPosition[];
  /** Raw projection of each output position, before clamping (for smoothing). */
  rawM: number[];
  /** Reported accuracy of each output position's fix. */
  accM: (number | undefined)[];
  last?: KeptFix;
  /** The kept fix before `last`: where the track resumes when `last` turns out to be the outlier. */
  beforeLast?: KeptFix;
  rejectedInRow: number;
  /** How many positions of `out` are kept, counted as they change. */
  keptCount: number;
}

/** A track with no fix matched yet. */
export function emptyTrack(): TrackState {
  return { out: [], rawM: [], accM: [], rejectedInRow: 0, keptCount: 0 };
}

export interface SearchWindow {
  fromM: number;
  toM: number;
  /** After a run of discards, something is off; `rewind`: the few kept fixes are the suspects. */
  reanchor: boolean;
  rewind: boolean;
  /** The kept fix the window starts behind. */
  anchor?: KeptFix;
}

/** Where along the shape the next fix, `dtS` after the last kept one, is searched. */
export function searchWindow(state: Readonly<TrackState>, dtS: number, lengthM: number, c: MatchConfig): SearchWindow {
  const { last, beforeLast } = state;
  const reanchor = state.rejectedInRow >= c.reanchorAfter;
  // After reanchorAfter discards in a row something is off. Early in the track the kept fixes are the suspects
  // (a wrong first match): search the whole shape. Later, the history is trusted: search ahead only.
  const rewind = reanchor && state.keptCount <= MAX_KEPT_TO_REWIND;
  // Later, only the last kept fix is suspect: fixes rejected as behind it in a row say it was thrown ahead.
  const anchor = reanchor && !rewind && beforeLast ? beforeLast : last;
  const fromM = anchor && !rewind ? anchor.distanceM - c.backtrackM : 0;
  const toM = last && !reanchor ? last.distanceM + (c.maxSpeedKmh / 3.6) * dtS + c.slackM : lengthM;
  return { fromM, toM, reanchor, rewind, ...(anchor ? { anchor } : {}) };
}

/** Why a fix with no acceptable candidate is discarded, named from where it lies on the whole shape. */
export function unmatchedReason(raw: Pick<Projection, 'distanceAlongM' | 'offsetM'>, fromM: number, maxOffsetM: number): DiscardReason {
  if (raw.offsetM > maxOffsetM) return 'offset';
  return raw.distanceAlongM < fromM ? 'backwards' : 'jump';
}

/** The track continues behind the kept progress: the fixes that put it ahead were the outliers, and are discarded. */
export function rewindWrongFirstMatch(state: TrackState, resumeM: number, c: MatchConfig): void {
  for (const m of state.out) {
    if (m.kept && m.distanceM > resumeM + c.backtrackM) {
      m.kept = false;
      m.reason = 'jump';
      state.keptCount--;
    }
  }
  delete state.last;
  delete state.beforeLast;
}

/** The last kept fix was thrown ahead: discard it, and follow the one before. */
export function revokeLastKept(state: TrackState): void {
  const { last, beforeLast } = state;
  if (!last) return;
  const m = state.out[last.index];
  if (m?.kept) {
    m.kept = false;
    m.reason = 'jump';
    state.keptCount--;
  }
  if (beforeLast) state.last = beforeLast;
  else delete state.last;
  delete state.beforeLast;
}

/** Noise must not move the bus backwards; a bus standing still does not creep forwards either. */
export function heldProgress(last: KeptFix | undefined, distanceM: number, stationary: boolean, holdM: number): number {
  if (!last) return distanceM;
  if (distanceM < last.distanceM) return last.distanceM;
  if (stationary && last.stationary && distanceM - last.distanceM <= holdM) return last.distanceM;
  return distanceM;
}

/** Places one fix (in time order) on the shape, or discards it with a reason. */
export function matchFix(state: TrackState, fix: GpsRecord, line: MeasuredPolyline, lengthM: number, c: MatchConfig): void {
  const base = {
    ts: fix.ts,
    speedKmh: fix.speedKmh ?? 0,
    speedSource: fix.speedKmh === undefined ? ('derived' as const) : ('fix' as const),
    ...(fix.doorOpen === undefined ? {} : { doorOpen: fix.doorOpen }),
    ...(fix.accuracyM === undefined ? {} : { accuracyM: fix.accuracyM }),
  };
  const discard = (reason: DiscardReason, distanceM = Number.NaN, offsetM = Number.NaN) => {
    state.out.push({ ...base, distanceM, offsetM, kept: false, reason });
    state.rawM.push(distanceM);
    state.accM.push(fix.accuracyM);
    state.rejectedInRow++;
  };
  if (!Number.isFinite(fix.ts) || !Number.isFinite(fix.lat) || !Number.isFinite(fix.lon) || line.points.length === 0) {
    discard('invalid');
    return;
  }
  const { last } = state;
  const maxOffsetM = c.maxOffsetM + c.accuracyFactor * (fix.accuracyM ?? 0);
  const dtS = last ? (fix.ts - last.fix.ts) / 1000 : 0;
  const window = searchWindow(state, dtS, lengthM, c);
  const { fromM, toM, reanchor, rewind, anchor } = window;

  // A point the bus cannot have reached from its last kept fix, whatever the road.
  if (last && !reanchor && haversineM(last.fix, fix) - c.jumpToleranceM > (c.maxSpeedKmh / 3.6) * dtS) {
    const raw = projectOntoPolyline(line, fix);
    discard('jump', raw.distanceAlongM, raw.offsetM);
    return;
  }
  // Without a kept fix to follow, the track is taken to begin as early along the shape as the fix's own error
  // allows: a trip's fixes start at its first stop, which on a loop is also where it ends.
  const best = chooseCandidate(line, fix, fromM, toM, last ? c : { ...c, ambiguityM: c.ambiguityM + 2 * (fix.accuracyM ?? 0) });
  if (!best || best.offsetM > maxOffsetM) {
    const raw = projectOntoPolyline(line, fix);
    discard(unmatchedReason(raw, fromM, maxOffsetM), raw.distanceAlongM, raw.offsetM);
    return;
  }
  if (!last && movingAgainst(line, fix, best, c)) {
    // The first fix to follow must drive the pattern's way: a bus still finishing the trip the other way along
    // the same street would anchor the track in the middle of the pattern.
    discard('backwards', best.distanceAlongM, best.offsetM);
    return;
  }
  if (last && best.distanceAlongM < last.distanceM - c.backtrackM) {
    if (rewind) rewindWrongFirstMatch(state, best.distanceAlongM, c);
    else if (reanchor && anchor !== last) revokeLastKept(state);
  }
  if (last && !reanchor && best.distanceAlongM - last.distanceM > reachFromSpeedsM(last.fix, fix, dtS, c)) {
    // At the speeds the two fixes report, the bus cannot have driven this far along the shape in between: a
    // GPS jump that lands on the shape further on (or, standing at a loop's terminal, the shape's end). Left
    // kept, it would put every true fix after it behind the bus's progress.
    discard('jump', best.distanceAlongM, best.offsetM);
    return;
  }
  const stationary = fix.speedKmh !== undefined && fix.speedKmh <= c.stationaryKmh;
  const holdM = Math.max(c.holdM, 2 * (fix.accuracyM ?? 0));
  const follows = state.last;
  const distanceM = heldProgress(follows, best.distanceAlongM, stationary, holdM);
  state.out.push({ ...base, distanceM, offsetM: best.offsetM, kept: true });
  // For smoothing, where the fix lies on its stretch of the shape, even a little behind the window (noise).
  state.rawM.push(best.distanceAlongM > fromM ? best.rawM : behindWindow(line, fix, fromM, toM, best, c));
  state.accM.push(fix.accuracyM);
  state.keptCount++;
  if (follows) state.beforeLast = follows;
  else delete state.beforeLast;
  state.last = { fix, distanceM, stationary, index: state.out.length - 1 };
  state.rejectedInRow = 0;
}

/** Progress along the pattern's shape for each fix, sorted by time, with impossible fixes discarded and a reason. */
export function matchTrack(pattern: JourneyPattern, line: MeasuredPolyline, track: readonly GpsRecord[], cfg: Partial<MatchConfig> = {}): MatchedPosition[] {
  const c: MatchConfig = { ...DEFAULT_MATCH_CONFIG, ...cfg };
  const lengthM = line.points.length > 0 ? line.lengthM : pattern.lengthM;
  const state = emptyTrack();
  for (const fix of orderFixes(track)) matchFix(state, fix, line, lengthM, c);
  if (c.smoothing === 'isotonic') isotonicProgress(state.out, state.rawM, state.accM, lengthM, c);
  else settleStationaryRuns(state.out, state.rawM, c);
  deriveSpeeds(state.out);
  return state.out;
}
