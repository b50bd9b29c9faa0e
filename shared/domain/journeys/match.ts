/**
 * Stage 2, matching: each GPS fix of one bus on one trip → progress along the trip's pattern shape.
 *
 * Nearest-point matching fails where the shape passes a place twice (a loop's terminal, a street driven out and
 * back), so each fix is searched only in a window that follows the bus: from a little behind its last kept
 * progress to as far as it could have driven since. Within the window the candidates are the separate passes of
 * the shape near the fix (local minima of the offset); the fix's heading, when it moves, rules out passes in the
 * other direction, and among near-ties the earliest along the shape wins. Fixes that cannot be placed are kept
 * in the output, marked with why they were discarded.
 */
import type { GpsRecord } from '../../catalogue/messages.js';
import {
  bearingDeg,
  haversineM,
  type LatLon,
  type MeasuredPolyline,
  pointAtDistance,
  projectOntoPolyline,
  type Projection,
  segmentProjections,
} from '../../kernel/geo/polyline.js';
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

/** Fixes in time order, one per timestamp (the first received wins). */
export function orderFixes(track: readonly GpsRecord[]): GpsRecord[] {
  const sorted = track.map((fix, i) => ({ fix, i })).sort((a, b) => a.fix.ts - b.fix.ts || a.i - b.i);
  const out: GpsRecord[] = [];
  for (const { fix } of sorted) if (out.length === 0 || out[out.length - 1]!.ts !== fix.ts) out.push(fix);
  return out;
}

/** A wrong first match is undone only while this few fixes were kept: later, a run of outliers cannot erase a trip. */
const MAX_KEPT_TO_REWIND = 10;

/** Progress along the pattern's shape for each fix, sorted by time, with impossible fixes discarded and a reason. */
export function matchTrack(
  pattern: JourneyPattern,
  line: MeasuredPolyline,
  track: readonly GpsRecord[],
  cfg: Partial<MatchConfig> = {},
): MatchedPosition[] {
  const c: MatchConfig = { ...DEFAULT_MATCH_CONFIG, ...cfg };
  const fixes = orderFixes(track);
  const lengthM = line.points.length > 0 ? line.lengthM : pattern.lengthM;
  const out: MatchedPosition[] = [];
  let last: { fix: GpsRecord; distanceM: number; stationary: boolean; index: number } | undefined;
  /** The kept fix before `last`: where the track resumes when `last` turns out to be the outlier. */
  let beforeLast: typeof last;
  let rejectedInRow = 0;
  /** Raw projection of each output position, before clamping. */
  const rawM: number[] = [];
  /** Reported accuracy of each output position's fix. */
  const accM: (number | undefined)[] = [];

  for (const fix of fixes) {
    const speedSource = fix.speedKmh === undefined ? ('derived' as const) : ('fix' as const);
    const base = {
      ts: fix.ts,
      speedKmh: fix.speedKmh ?? 0,
      speedSource,
      ...(fix.doorOpen === undefined ? {} : { doorOpen: fix.doorOpen }),
      ...(fix.accuracyM === undefined ? {} : { accuracyM: fix.accuracyM }),
    };
    const discard = (reason: DiscardReason, distanceM = Number.NaN, offsetM = Number.NaN) => {
      out.push({ ...base, distanceM, offsetM, kept: false, reason });
      rawM.push(distanceM);
      accM.push(fix.accuracyM);
      rejectedInRow++;
    };
    if (!Number.isFinite(fix.ts) || !Number.isFinite(fix.lat) || !Number.isFinite(fix.lon) || line.points.length === 0) {
      discard('invalid');
      continue;
    }
    const maxOffsetM = c.maxOffsetM + c.accuracyFactor * (fix.accuracyM ?? 0);
    const dtS = last ? (fix.ts - last.fix.ts) / 1000 : 0;

    const reanchor = rejectedInRow >= c.reanchorAfter;
    // A point the bus cannot have reached from its last kept fix, whatever the road.
    if (last && !reanchor && haversineM(last.fix, fix) - c.jumpToleranceM > (c.maxSpeedKmh / 3.6) * dtS) {
      const raw = projectOntoPolyline(line, fix);
      discard('jump', raw.distanceAlongM, raw.offsetM);
      continue;
    }

    // After reanchorAfter discards in a row something is off. Early in the track the kept fixes are the suspects
    // (a wrong first match): search the whole shape. Later, the history is trusted: search ahead only.
    const keptSoFar = out.reduce((n, m) => n + (m.kept ? 1 : 0), 0);
    const rewind = reanchor && keptSoFar <= MAX_KEPT_TO_REWIND;
    // Later, only the last kept fix is suspect: fixes rejected as behind it in a row say it was thrown ahead.
    const anchor = reanchor && !rewind && beforeLast ? beforeLast : last;
    const fromM = anchor && !rewind ? anchor.distanceM - c.backtrackM : 0;
    const toM = last && !reanchor ? last.distanceM + (c.maxSpeedKmh / 3.6) * dtS + c.slackM : lengthM;
    // Without a kept fix to follow, the track is taken to begin as early along the shape as the fix's own error
    // allows: a trip's fixes start at its first stop, which on a loop is also where it ends.
    const best = chooseCandidate(line, fix, fromM, toM, last ? c : { ...c, ambiguityM: c.ambiguityM + 2 * (fix.accuracyM ?? 0) });

    if (!best || best.offsetM > maxOffsetM) {
      // Name the cause from where the fix lies on the whole shape.
      const raw = projectOntoPolyline(line, fix);
      if (raw.offsetM > maxOffsetM) discard('offset', raw.distanceAlongM, raw.offsetM);
      else discard(raw.distanceAlongM < fromM ? 'backwards' : 'jump', raw.distanceAlongM, raw.offsetM);
      continue;
    }
    if (!last && movingAgainst(line, fix, best, c)) {
      // The first fix to follow must drive the pattern's way: a bus still finishing the trip the other way along
      // the same street would anchor the track in the middle of the pattern.
      discard('backwards', best.distanceAlongM, best.offsetM);
      continue;
    }

    if (rewind && last && best.distanceAlongM < last.distanceM - c.backtrackM) {
      // The track continues behind the kept progress: the fixes that put it ahead were the outliers.
      for (const m of out) {
        if (m.kept && m.distanceM > best.distanceAlongM + c.backtrackM) {
          m.kept = false;
          m.reason = 'jump';
        }
      }
      last = undefined;
      beforeLast = undefined;
    } else if (reanchor && last && anchor !== last && best.distanceAlongM < last.distanceM - c.backtrackM) {
      out[last.index]!.kept = false;
      out[last.index]!.reason = 'jump';
      last = beforeLast;
      beforeLast = undefined;
    }
    let distanceM = best.distanceAlongM;
    const stationary = fix.speedKmh !== undefined && fix.speedKmh <= c.stationaryKmh;
    const holdM = Math.max(c.holdM, 2 * (fix.accuracyM ?? 0));
    if (last && !reanchor && distanceM - last.distanceM > reachFromSpeedsM(last.fix, fix, dtS, c)) {
      // At the speeds the two fixes report, the bus cannot have driven this far along the shape in between: a
      // GPS jump that lands on the shape further on (or, standing at a loop's terminal, the shape's end). Left
      // kept, it would put every true fix after it behind the bus's progress.
      discard('jump', best.distanceAlongM, best.offsetM);
      continue;
    }
    if (last) {
      // Noise must not move the bus backwards; a bus standing still does not creep forwards either.
      if (distanceM < last.distanceM) distanceM = last.distanceM;
      else if (stationary && last.stationary && distanceM - last.distanceM <= holdM) {
        distanceM = last.distanceM;
      }
    }
    out.push({ ...base, distanceM, offsetM: best.offsetM, kept: true });
    // For smoothing, where the fix lies on its stretch of the shape, even a little behind the window (noise).
    rawM.push(best.distanceAlongM > fromM ? best.rawM : behindWindow(line, fix, fromM, toM, best, c));
    accM.push(fix.accuracyM);
    beforeLast = last;
    last = { fix, distanceM, stationary, index: out.length - 1 };
    rejectedInRow = 0;
  }

  if (c.smoothing === 'isotonic') isotonicProgress(out, rawM, accM, lengthM, c);
  else settleStationaryRuns(out, rawM, c);
  deriveSpeeds(out);
  return out;
}

/** A bus's acceleration and braking, m/s², generous. */
const BUS_ACCELERATION_MS2 = 1.5;

/**
 * The farthest a bus can have driven along the shape between two fixes that report their speeds: at the faster
 * of the two, speeding up all the way, plus the GPS error of both. Infinite when a fix reports no speed.
 */
function reachFromSpeedsM(a: GpsRecord, b: GpsRecord, dtS: number, c: MatchConfig): number {
  if (a.speedKmh === undefined || b.speedKmh === undefined) return Number.POSITIVE_INFINITY;
  const v = Math.max(a.speedKmh, b.speedKmh) / 3.6;
  const errorM = 2 * Math.max(MIN_ACCURACY_M, a.accuracyM ?? 0, b.accuracyM ?? 0);
  return v * dtS + (BUS_ACCELERATION_MS2 * dtS * dtS) / 2 + c.jumpToleranceM + errorM;
}

/** Reported accuracy below this is not believed (multipath, optimistic receivers). */
const MIN_ACCURACY_M = 5;

/**
 * Progress of the kept fixes as the non-decreasing sequence closest (least squares) to their raw projections
 * (pool-adjacent-violators), rather than the running maximum: a fix thrown ahead by noise no longer drags the
 * fixes after it forwards, it is averaged with them. A run of fixes reporting standing still enters as one block
 * at the median of its projections (one place, robust to an outlier). Fixes weigh by their reported accuracy.
 */
function isotonicProgress(
  out: MatchedPosition[],
  rawM: readonly number[],
  accM: readonly (number | undefined)[],
  lengthM: number,
  c: MatchConfig,
): void {
  // A fix counts by the inverse square of its reported accuracy (its error variance), no better than MIN_ACCURACY_M.
  const weightOf = (i: number) => 1 / Math.max(MIN_ACCURACY_M, accM[i] ?? MIN_ACCURACY_M) ** 2;
  const keptIdx = out.flatMap((p, i) => (p.kept && Number.isFinite(rawM[i]!) ? [i] : []));
  const still = (i: number) => out[i]!.speedSource === 'fix' && out[i]!.speedKmh <= c.stationaryKmh;
  const stack: { value: number; weight: number; members: number[] }[] = [];
  for (let k = 0; k < keptIdx.length; ) {
    let end = k;
    if (still(keptIdx[k]!)) {
      const near = (i: number) => Math.abs(rawM[i]! - rawM[keptIdx[k]!]!) <= 2 * c.holdM;
      while (end + 1 < keptIdx.length && still(keptIdx[end + 1]!) && near(keptIdx[end + 1]!)) end++;
    }
    const members = keptIdx.slice(k, end + 1);
    const sorted = members.map((i) => rawM[i]!).sort((a, b) => a - b);
    const weight = members.reduce((w, i) => w + weightOf(i), 0);
    let block = { value: sorted[Math.floor((sorted.length - 1) / 2)]!, weight, members };
    while (stack.length > 0 && stack[stack.length - 1]!.value >= block.value) {
      const top = stack.pop()!;
      const weight = top.weight + block.weight;
      block = { value: (top.value * top.weight + block.value * block.weight) / weight, weight, members: [...top.members, ...block.members] };
    }
    stack.push(block);
    k = end + 1;
  }
  for (const b of stack) for (const i of b.members) out[i]!.distanceM = Math.min(lengthM, Math.max(0, b.value));
}

/**
 * A bus standing still is at one place: each run of kept fixes that report standing still gets the median of
 * their raw projections (within its neighbours' progress), rather than the first fix's noise held or ratcheted.
 */
function settleStationaryRuns(out: MatchedPosition[], rawM: readonly number[], c: MatchConfig): void {
  const keptIdx = out.flatMap((p, i) => (p.kept ? [i] : []));
  const still = (i: number) => out[i]!.speedSource === 'fix' && out[i]!.speedKmh <= c.stationaryKmh;
  for (let k = 0; k < keptIdx.length; ) {
    if (!still(keptIdx[k]!)) {
      k++;
      continue;
    }
    let end = k;
    // Standing still twice, at two stops either side of a data gap, is two runs.
    const near = (i: number) => Math.abs(rawM[i]! - rawM[keptIdx[k]!]!) <= 2 * c.holdM;
    while (end + 1 < keptIdx.length && still(keptIdx[end + 1]!) && near(keptIdx[end + 1]!)) end++;
    const run = keptIdx.slice(k, end + 1);
    if (run.length > 1) {
      const sorted = run.map((i) => rawM[i]!).sort((a, b) => a - b);
      const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
      // The fixes just before may have been noise ahead of where the bus then stood: pull them back to it.
      const lo = k > 0 ? out[keptIdx[k - 1]!]!.distanceM - c.backtrackM : Number.NEGATIVE_INFINITY;
      const hi = end + 1 < keptIdx.length ? out[keptIdx[end + 1]!]!.distanceM : Number.POSITIVE_INFINITY;
      const settled = Math.min(hi, Math.max(lo, median));
      for (const i of run) out[i]!.distanceM = settled;
      for (let j = k - 1; j >= 0 && out[keptIdx[j]!]!.distanceM > settled; j--) out[keptIdx[j]!]!.distanceM = settled;
    }
    k = end + 1;
  }
}

/**
 * The fix's match inside [fromM, toM]: among the separate passes of the shape near it, scored by offset plus a
 * penalty for a direction opposite to the fix's heading, the earliest within ambiguityM of the best.
 */
function chooseCandidate(
  line: MeasuredPolyline,
  fix: GpsRecord,
  fromM: number,
  toM: number,
  c: MatchConfig,
): (Projection & { rawM: number }) | undefined {
  const inWindow: Projection[] = [];
  /** Where a candidate clamped to the window's edge projects on its segment. */
  const unclamped = new Map<Projection, number>();
  for (const proj of segmentProjections(line, fix)) {
    const segStart = line.cumulativeM[proj.segmentIndex]!;
    const segEnd = line.cumulativeM[proj.segmentIndex + 1] ?? segStart;
    if (segEnd < fromM || segStart > toM) continue;
    if (proj.distanceAlongM >= fromM && proj.distanceAlongM <= toM) {
      inWindow.push(proj);
      continue;
    }
    const at = proj.distanceAlongM < fromM ? fromM : toM;
    const point = pointAtDistance(line, at);
    const clamped: Projection = { distanceAlongM: at, offsetM: haversineM(fix, point), segmentIndex: proj.segmentIndex, point };
    unclamped.set(clamped, proj.distanceAlongM);
    inWindow.push(clamped);
  }
  const useHeading = fix.heading !== undefined && (fix.speedKmh === undefined || fix.speedKmh >= c.headingMinSpeedKmh);
  const scored: { proj: Projection; score: number }[] = [];
  for (let i = 0; i < inWindow.length; i++) {
    const here = inWindow[i]!;
    const prev = inWindow[i - 1];
    const next = inWindow[i + 1];
    if ((prev && here.offsetM >= prev.offsetM) || (next && here.offsetM > next.offsetM)) continue;
    let score = here.offsetM;
    if (useHeading && headingDiffDeg(fix.heading!, segmentBearing(line, here.segmentIndex)) > 90) score += c.headingPenaltyM;
    scored.push({ proj: here, score });
  }
  if (scored.length === 0) return undefined;
  let min = Number.POSITIVE_INFINITY;
  for (const s of scored) min = Math.min(min, s.score);
  const proj = scored.find((s) => s.score <= min + c.ambiguityM)!.proj;
  return { ...proj, rawM: unclamped.get(proj) ?? proj.distanceAlongM };
}

/**
 * Where a fix clamped to the back of the window lies, searching backtrackM further back on the same stretch:
 * the noise that put it behind the bus's progress is kept for smoothing, not rounded up to the window.
 */
function behindWindow(line: MeasuredPolyline, fix: GpsRecord, fromM: number, toM: number, best: Projection, c: MatchConfig): number {
  const wider = chooseCandidate(line, fix, fromM - c.backtrackM, toM, c);
  return wider && wider.distanceAlongM <= best.distanceAlongM && wider.distanceAlongM >= fromM - c.backtrackM ? wider.distanceAlongM : best.distanceAlongM;
}

/** The fix reports moving, with a heading opposite (> 90°) to the shape's direction at its match. */
function movingAgainst(line: MeasuredPolyline, fix: GpsRecord, at: Projection, c: MatchConfig): boolean {
  if (fix.heading === undefined || fix.speedKmh === undefined || fix.speedKmh < c.headingMinSpeedKmh) return false;
  return headingDiffDeg(fix.heading, segmentBearing(line, at.segmentIndex)) > 90;
}

function segmentBearing(line: MeasuredPolyline, i: number): number {
  const a: LatLon = line.points[i]!;
  const b: LatLon = line.points[i + 1] ?? a;
  return bearingDeg(a, b);
}

function headingDiffDeg(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

/**
 * Speed for kept fixes that carried none: the slower of the progress rates to the previous and to the next kept
 * fix, so that a fix where the bus has just stopped (or is about to leave) reads as stopped.
 */
function deriveSpeeds(positions: MatchedPosition[]): void {
  const kept = positions.filter((p) => p.kept);
  kept.forEach((p, i) => {
    if (p.speedSource !== 'derived') return;
    const rates: number[] = [];
    const prev = kept[i - 1];
    const next = kept[i + 1];
    if (prev) rates.push(progressRateKmh(prev, p));
    if (next) rates.push(progressRateKmh(p, next));
    p.speedKmh = rates.length > 0 ? Math.min(...rates) : 0;
  });
}

/** Average speed along the shape between two kept positions. */
export function progressRateKmh(a: MatchedPosition, b: MatchedPosition): number {
  const dtS = (b.ts - a.ts) / 1000;
  return dtS > 0 ? ((b.distanceM - a.distanceM) / dtS) * 3.6 : 0;
}
