/**
 * Stage 2, matching — where a fix may lie on the shape: the candidate passes inside the search window, the
 * heading check, and how far a bus can have driven between two fixes.
 */
import type { GpsRecord } from '../../catalogue/messages.js';
import { bearingDeg, haversineM, type LatLon, type MeasuredPolyline, pointAtDistance, type Projection, segmentProjections } from '../../kernel/geo/polyline.js';
import type { MatchConfig } from './types.js';

/** A bus's acceleration and braking, m/s², generous. */
const BUS_ACCELERATION_MS2 = 1.5;

/** Reported accuracy below this is not believed (multipath, optimistic receivers). */
export const MIN_ACCURACY_M = 5;

/** A candidate match, and where it projects on its segment when it was clamped to the window's edge. */
export type Candidate = Projection & { rawM: number };

/**
 * The farthest a bus can have driven along the shape between two fixes that report their speeds: at the faster
 * of the two, speeding up all the way, plus the GPS error of both. Infinite when a fix reports no speed.
 */
export function reachFromSpeedsM(a: GpsRecord, b: GpsRecord, dtS: number, c: MatchConfig): number {
  if (a.speedKmh === undefined || b.speedKmh === undefined) return Number.POSITIVE_INFINITY;
  const v = Math.max(a.speedKmh, b.speedKmh) / 3.6;
  const errorM = 2 * Math.max(MIN_ACCURACY_M, a.accuracyM ?? 0, b.accuracyM ?? 0);
  return v * dtS + (BUS_ACCELERATION_MS2 * dtS * dtS) / 2 + c.jumpToleranceM + errorM;
}

/**
 * The fix's match inside [fromM, toM]: among the separate passes of the shape near it, scored by offset plus a
 * penalty for a direction opposite to the fix's heading, the earliest within ambiguityM of the best.
 */
export function chooseCandidate(line: MeasuredPolyline, fix: GpsRecord, fromM: number, toM: number, c: MatchConfig): Candidate | undefined {
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
    if (useHeading && fix.heading !== undefined && headingDiffDeg(fix.heading, segmentBearing(line, here.segmentIndex)) > 90) score += c.headingPenaltyM;
    scored.push({ proj: here, score });
  }
  if (scored.length === 0) return undefined;
  let min = Number.POSITIVE_INFINITY;
  for (const s of scored) min = Math.min(min, s.score);
  const chosen = scored.find((s) => s.score <= min + c.ambiguityM);
  if (!chosen) return undefined;
  return { ...chosen.proj, rawM: unclamped.get(chosen.proj) ?? chosen.proj.distanceAlongM };
}

/**
 * Where a fix clamped to the back of the window lies, searching backtrackM further back on the same stretch:
 * the noise that put it behind the bus's progress is kept for smoothing, not rounded up to the window.
 */
export function behindWindow(line: MeasuredPolyline, fix: GpsRecord, fromM: number, toM: number, best: Projection, c: MatchConfig): number {
  const wider = chooseCandidate(line, fix, fromM - c.backtrackM, toM, c);
  return wider && wider.distanceAlongM <= best.distanceAlongM && wider.distanceAlongM >= fromM - c.backtrackM ? wider.distanceAlongM : best.distanceAlongM;
}

/** The fix reports moving, with a heading opposite (> 90°) to the shape's direction at its match. */
export function movingAgainst(line: MeasuredPolyline, fix: GpsRecord, at: Projection, c: MatchConfig): boolean {
  if (fix.heading === undefined || fix.speedKmh === undefined || fix.speedKmh < c.headingMinSpeedKmh) return false;
  return headingDiffDeg(fix.heading, segmentBearing(line, at.segmentIndex)) > 90;
}

function segmentBearing(line: MeasuredPolyline, i: number): number {
  const a: LatLon = line.points[i]!;
  const b: LatLon = line.points[i + 1] ?? a;
  return bearingDeg(a, b);
}

/** The angle between two headings, 0–180°. */
export function headingDiffDeg(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}
