/**
 * Stage 3, stop visits — timing: when the bus reached and left a stop, from its slow fixes (extrapolated from
 * the fixes either side at their speeds) or, passing without a slow fix, from the traversal of the stop's zone.
 */
import type { MatchedPosition, VisitConfig } from './types.js';

/**
 * When the bus, driving as it did before the zone, would have reached the stop, and when, driving as it did after
 * it, it must have left. Each moving fix on the approach (after the previous stop, at most maxGapS before the zone)
 * extrapolates forwards at its own speed, each moving fix after the zone (before the next stop) backwards at its
 * own; up to TRAVERSAL_FIXES on each side are averaged, weighted by their reported accuracy, so that the GPS
 * noise of one fix weighs less. The
 * difference is the time the bus lost at the stop. A side without a moving fix uses the other side's speed, or
 * the default free-flow speed.
 */
export function traversal(
  kept: readonly MatchedPosition[],
  beforeIdx: number,
  afterIdx: number,
  d: number,
  around: { prevM: number; nextM: number },
  c: VisitConfig,
): { arrivalMs: number; departureMs: number; freeFlowKmh: number } {
  const before = kept[beforeIdx]!;
  const after = kept[afterIdx]!;
  const arrivals: { t: number; w: number }[] = [];
  const departures: { t: number; w: number }[] = [];
  const speeds: number[] = [];
  for (let j = beforeIdx; j >= 0 && arrivals.length < TRAVERSAL_FIXES; j--) {
    const p = kept[j]!;
    if (before.ts - p.ts > c.maxGapS * 1000 || p.distanceM < around.prevM) break;
    const v = approachSpeedKmh(kept, j);
    if (isSlow(p, c) || v === undefined || !Number.isFinite(v) || v < c.stopSpeedKmh) break;
    arrivals.push({ t: p.ts + ((d - p.distanceM) / (v / 3.6)) * 1000, w: weightOf(p) });
    speeds.push(v);
  }
  for (let j = afterIdx; j < kept.length && departures.length < TRAVERSAL_FIXES; j++) {
    const p = kept[j]!;
    if (p.ts - after.ts > c.maxGapS * 1000 || p.distanceM > around.nextM) break;
    const v = leaveSpeedKmh(kept, j);
    if (isSlow(p, c) || v === undefined || !Number.isFinite(v) || v < c.stopSpeedKmh) break;
    departures.push({ t: p.ts - ((p.distanceM - d) / (v / 3.6)) * 1000, w: weightOf(p) });
    speeds.push(v);
  }
  const freeFlowKmh = speeds.length > 0 ? speeds.reduce((s, v) => s + v, 0) / speeds.length : c.freeFlowSpeedKmh;
  const vMs = freeFlowKmh / 3.6;
  const arrivalMs = arrivals.length > 0 ? mean(arrivals) : before.ts + ((d - before.distanceM) / vMs) * 1000;
  const departureMs = departures.length > 0 ? mean(departures) : after.ts - ((after.distanceM - d) / vMs) * 1000;
  return { arrivalMs, departureMs, freeFlowKmh };
}

/** How far outside a zone a slow fix may lie and still be read as standing at its stop: twice its reported error. */
export function reachOf(p: MatchedPosition): number {
  return 2 * Math.max(MIN_ACCURACY_M, p.accuracyM ?? MIN_ACCURACY_M);
}

/** Moving fixes averaged on each side of a zone to time the traversal. */
const TRAVERSAL_FIXES = 3;

/** Reported accuracy below this is not believed. */
const MIN_ACCURACY_M = 5;

/** A fix's weight in an average: the inverse of its error variance, from its reported accuracy. */
function weightOf(p: MatchedPosition): number {
  return 1 / Math.max(MIN_ACCURACY_M, p.accuracyM ?? MIN_ACCURACY_M) ** 2;
}

/** The weighted mean of instants. */
function mean(xs: readonly { t: number; w: number }[]): number {
  const w = xs.reduce((s, x) => s + x.w, 0);
  return xs.reduce((s, x) => s + x.t * x.w, 0) / w;
}

/** A fix where the bus stands (or crawls) or has its door open. */
export function isSlow(p: MatchedPosition, c: VisitConfig): boolean {
  return p.speedKmh < c.stopSpeedKmh || p.doorOpen === true;
}

/** True if a fix in the zone had the door open, false if some fix around it reported doors, else unknown. */
export function doorsAround(around: readonly MatchedPosition[], inZone: readonly MatchedPosition[]): boolean | undefined {
  if (inZone.some((p) => p.doorOpen === true)) return true;
  return around.some((p) => p.doorOpen !== undefined) ? false : undefined;
}

/** The speed the bus had when it reached fix i: its own, or the progress rate from the fix before. */
function approachSpeedKmh(kept: readonly MatchedPosition[], i: number): number | undefined {
  const p = kept[i]!;
  if (p.speedSource === 'fix') return p.speedKmh;
  const prev = kept[i - 1];
  return prev && p.ts > prev.ts ? ((p.distanceM - prev.distanceM) / ((p.ts - prev.ts) / 1000)) * 3.6 : undefined;
}

/** The speed the bus had when it left fix i: its own, or the progress rate to the fix after. */
function leaveSpeedKmh(kept: readonly MatchedPosition[], i: number): number | undefined {
  const p = kept[i]!;
  if (p.speedSource === 'fix') return p.speedKmh;
  const next = kept[i + 1];
  return next && next.ts > p.ts ? ((next.distanceM - p.distanceM) / ((next.ts - p.ts) / 1000)) * 3.6 : undefined;
}

/** When the bus reached slow fix i: extrapolated forwards from the fix before at that fix's speed. */
export function arriveAt(kept: readonly MatchedPosition[], i: number, c: VisitConfig): number {
  const p = kept[i]!;
  const prev = kept[i - 1];
  if (!prev || isSlow(prev, c)) return p.ts;
  const v = approachSpeedKmh(kept, i - 1);
  if (v === undefined || v < c.stopSpeedKmh) return p.ts;
  return clamp(prev.ts + ((p.distanceM - prev.distanceM) / (v / 3.6)) * 1000, prev.ts, p.ts);
}

/** When the bus left slow fix i: extrapolated backwards from the fix after at that fix's speed. */
export function departFrom(kept: readonly MatchedPosition[], i: number, c: VisitConfig): number {
  const p = kept[i]!;
  const next = kept[i + 1]!;
  if (isSlow(next, c)) return p.ts;
  const v = leaveSpeedKmh(kept, i + 1);
  if (v === undefined || v < c.stopSpeedKmh) return p.ts;
  return clamp(next.ts - ((next.distanceM - p.distanceM) / (v / 3.6)) * 1000, p.ts, next.ts);
}

/** `x` within [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
