/**
 * Stage 3, stop visits: from a bus's matched positions on a pattern, what happened at each of its stops.
 *
 * Each stop has a zone along the shape, [d − zoneBeforeM, d + zoneAfterM]. Progress is non-decreasing, so the
 * kept fixes inside a zone are one contiguous run, bracketed by the last fix before it and the first after it.
 *
 * - visited, from slow fixes: some fix in the zone is slow (speed < stopSpeedKmh) or has the door open. Arrival is
 *   the instant the bus reached its first slow fix: extrapolated from the fix before at that fix's speed, never
 *   outside the two fixes' times. Departure is the instant it left its last slow fix in the zone, found the same
 *   way backwards from the next fix; without a next fix (the track ends at the stop) departure is unknown.
 * - visited, from the bracket: no slow fix in the zone, but the fixes bracketing it are at most maxGapS apart and
 *   took at least minDwellS longer than free flow (the bracketing fixes' speeds) to cover the distance between
 *   them. The bus is modelled as driving at free-flow speed, standing at the stop for the excess, then driving
 *   on: arrival = t_before + (d − d_before)/v, departure = t_after − (d_after − d)/v.
 * - skipped: as above, but the excess is under minDwellS and no door opened.
 * - unobserved (TIDES "Missing"): the bracketing fixes are more than maxGapS apart, or there is no kept fix before
 *   or after the zone (the stop lies before the track starts or after it ends).
 */
import type { JourneyPattern, MatchedPosition, StopVisit, StopVisitEvidence, VisitConfig } from './types.js';

export const DEFAULT_VISIT_CONFIG: VisitConfig = {
  zoneBeforeM: 40,
  zoneAfterM: 25,
  stopSpeedKmh: 5,
  minDwellS: 8,
  maxGapS: 30,
  freeFlowSpeedKmh: 25,
};

/** Arrival/departure at each stop of the pattern from a bus's matched positions, in order. */
export function detectStopVisits(
  pattern: JourneyPattern,
  matched: readonly MatchedPosition[],
  cfg: Partial<VisitConfig> = {},
): StopVisit[] {
  const c: VisitConfig = { ...DEFAULT_VISIT_CONFIG, ...cfg };
  const kept = monotoneKept(matched);
  return pattern.stops.map((stop, i) => visitAt(stop.stopId, i + 1, stop.distanceM, kept, c));
}

/** Kept, finite positions in time order, progress forced non-decreasing so that zones are contiguous runs. */
function monotoneKept(matched: readonly MatchedPosition[]): MatchedPosition[] {
  const kept = matched.filter((p) => p.kept && Number.isFinite(p.ts) && Number.isFinite(p.distanceM)).sort((a, b) => a.ts - b.ts);
  let maxM = Number.NEGATIVE_INFINITY;
  return kept.map((p) => {
    maxM = Math.max(maxM, p.distanceM);
    return p.distanceM === maxM ? p : { ...p, distanceM: maxM };
  });
}

/** Index of the first position whose progress satisfies `beyond` (binary search over non-decreasing progress). */
function firstIndex(kept: readonly MatchedPosition[], beyond: (m: number) => boolean): number {
  let lo = 0;
  let hi = kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (beyond(kept[mid]!.distanceM)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function visitAt(stopId: string, stopSequence: number, d: number, kept: readonly MatchedPosition[], c: VisitConfig): StopVisit {
  const zoneStart = d - c.zoneBeforeM;
  const zoneEnd = d + c.zoneAfterM;
  const lo = firstIndex(kept, (m) => m >= zoneStart);
  const hi = firstIndex(kept, (m) => m > zoneEnd);
  const slow: number[] = [];
  for (let i = lo; i < hi; i++) if (isSlow(kept[i]!, c)) slow.push(i);
  const before = kept[lo - 1];
  const after = kept[hi];
  const doorOpened = doorsAround(kept.slice(Math.max(0, lo - 1), hi + 1), lo < hi ? kept.slice(lo, hi) : []);
  const base = { stopId, stopSequence, ...(doorOpened === undefined ? {} : { doorOpened }) };
  const evidence: StopVisitEvidence = { method: 'slow-fixes', fixesInZone: hi - lo, slowFixesInZone: slow.length };

  if (slow.length > 0) {
    const first = slow[0]!;
    const last = slow[slow.length - 1]!;
    const arrivalMs = arriveAt(kept, first, c);
    const departureMs = kept[last + 1] ? departFrom(kept, last, c) : undefined;
    return {
      ...base,
      status: 'visited',
      arrivalMs,
      ...(departureMs === undefined ? {} : { departureMs, dwellS: (departureMs - arrivalMs) / 1000 }),
      evidence,
    };
  }

  if (!before || !after) return { ...base, status: 'unobserved', evidence: { ...evidence, method: 'no-fixes' } };
  const gapS = (after.ts - before.ts) / 1000;
  if (gapS > c.maxGapS) return { ...base, status: 'unobserved', evidence: { ...evidence, method: 'gap', gapS } };

  const vMs = freeFlowMs(kept, lo - 1, hi, c);
  const excessS = gapS - (after.distanceM - before.distanceM) / vMs;
  const bracket: StopVisitEvidence = { ...evidence, method: 'bracket', gapS, excessS, freeFlowKmh: vMs * 3.6 };
  if (excessS < c.minDwellS) return { ...base, status: 'skipped', evidence: bracket };
  const arrivalMs = clamp(before.ts + ((d - before.distanceM) / vMs) * 1000, before.ts, after.ts);
  const departureMs = clamp(after.ts - ((after.distanceM - d) / vMs) * 1000, arrivalMs, after.ts);
  return { ...base, status: 'visited', arrivalMs, departureMs, dwellS: (departureMs - arrivalMs) / 1000, evidence: bracket };
}

function isSlow(p: MatchedPosition, c: VisitConfig): boolean {
  return p.speedKmh < c.stopSpeedKmh || p.doorOpen === true;
}

/** True if a fix in the zone had the door open, false if some fix around it reported doors, else unknown. */
function doorsAround(around: readonly MatchedPosition[], inZone: readonly MatchedPosition[]): boolean | undefined {
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
function arriveAt(kept: readonly MatchedPosition[], i: number, c: VisitConfig): number {
  const p = kept[i]!;
  const prev = kept[i - 1];
  if (!prev || isSlow(prev, c)) return p.ts;
  const v = approachSpeedKmh(kept, i - 1);
  if (v === undefined || v < c.stopSpeedKmh) return p.ts;
  return clamp(prev.ts + ((p.distanceM - prev.distanceM) / (v / 3.6)) * 1000, prev.ts, p.ts);
}

/** When the bus left slow fix i: extrapolated backwards from the fix after at that fix's speed. */
function departFrom(kept: readonly MatchedPosition[], i: number, c: VisitConfig): number {
  const p = kept[i]!;
  const next = kept[i + 1]!;
  if (isSlow(next, c)) return p.ts;
  const v = leaveSpeedKmh(kept, i + 1);
  if (v === undefined || v < c.stopSpeedKmh) return p.ts;
  return clamp(next.ts - ((next.distanceM - p.distanceM) / (v / 3.6)) * 1000, p.ts, next.ts);
}

/** Free-flow speed (m/s) across a zone: the mean of the bracketing fixes' speeds that are moving, else the default. */
function freeFlowMs(kept: readonly MatchedPosition[], beforeIdx: number, afterIdx: number, c: VisitConfig): number {
  const speeds = [approachSpeedKmh(kept, beforeIdx), leaveSpeedKmh(kept, afterIdx)].filter(
    (v): v is number => v !== undefined && Number.isFinite(v) && v >= c.stopSpeedKmh,
  );
  const kmh = speeds.length > 0 ? speeds.reduce((s, v) => s + v, 0) / speeds.length : c.freeFlowSpeedKmh;
  return kmh / 3.6;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
