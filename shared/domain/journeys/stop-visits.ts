/**
 * Stage 3, stop visits: from a bus's matched positions on a pattern, what happened at each of its stops.
 *
 * Each stop has a zone along the shape, [d − zoneBeforeM, d + zoneAfterM]. Progress is non-decreasing, so the
 * kept fixes inside a zone are one contiguous run, bracketed by the last fix before it and the first after it.
 *
 * - visited, from slow fixes: some fix in the zone is slow (speed < stopSpeedKmh) or has the door open — or a run of
 *   door-open fixes lies outside every zone and this is the nearest stop within doorReachM, or slow fixes lie just
 *   outside the zone within twice their reported error (noise moved the standing bus). Arrival is the instant the bus reached its first slow fix: extrapolated from the fix before at
 *   that fix's speed, never outside the two fixes' times. Departure is the instant it left its last slow fix, found
 *   the same way backwards from the next fix; without a next fix (the track ends at the stop) it is unknown.
 * - visited, from the bracket: no slow fix in the zone, every interval between consecutive fixes from the last one
 *   before the zone to the first one after it is at most maxGapS, and the bus lost at least minDwellS at the stop:
 *   the moving fixes on the approach (up to 3, after the previous stop) extrapolate forwards at their own speeds
 *   to when it would have reached the stop, those after the zone (before the next stop) backwards to when it must
 *   have left it, each side averaged by reported accuracy; arrival and departure are those two instants.
 * - skipped: as above, but it lost less than minDwellS.
 * - skipped, off route: an interval of the bracket is longer than maxGapS, but fixes kept coming in it from off the
 *   shape (a detour bypassed the stop).
 * - unobserved (TIDES "Missing"): an interval of the bracket is longer than maxGapS with no fixes in it, or there
 *   is no kept fix before or after the zone (the stop lies before the track starts or after it ends).
 */
import { arriveAt, clamp, departFrom, doorsAround, isSlow, reachOf, traversal } from './stop-visit-timing.js';
import type { JourneyPattern, MatchedPosition, StopVisit, StopVisitEvidence, VisitConfig } from './types.js';

export const DEFAULT_VISIT_CONFIG: VisitConfig = {
  zoneBeforeM: 40,
  zoneAfterM: 25,
  stopSpeedKmh: 5,
  minDwellS: 4,
  maxGapS: 60,
  freeFlowSpeedKmh: 25,
  doorReachM: 100,
};

/** Arrival/departure at each stop of the pattern from a bus's matched positions, in order. */
export function detectStopVisits(pattern: JourneyPattern, matched: readonly MatchedPosition[], cfg: Partial<VisitConfig> = {}): StopVisit[] {
  const c: VisitConfig = { ...DEFAULT_VISIT_CONFIG, ...cfg };
  const kept = monotoneKept(matched);
  const stops = pattern.stops;
  const doorRuns = strayDoorRuns(stops, kept, c);
  const offRoute = offRouteBetween(matched, c);
  return stops.map((stop, i) => {
    const around = { prevM: stops[i - 1]?.distanceM ?? Number.NEGATIVE_INFINITY, nextM: stops[i + 1]?.distanceM ?? Number.POSITIVE_INFINITY };
    return visitAt(stop.stopId, i + 1, stop.distanceM, kept, c, around, doorRuns.get(i) ?? [], offRoute);
  });
}

/** Fixes off the shape in a row that show the bus driving elsewhere (a detour), not a GPS outlier. */
const OFF_ROUTE_FIXES = 2;

/**
 * Whether the bus was seen off its route between two kept fixes: fixes came in all along (no interval longer
 * than maxGapS) and at least OFF_ROUTE_FIXES of them lay too far from the shape. The stops it bypassed that way
 * were skipped, not hidden by a data gap.
 */
function offRouteBetween(matched: readonly MatchedPosition[], c: VisitConfig): (fromMs: number, toMs: number) => boolean {
  const seen = matched.filter((p) => Number.isFinite(p.ts) && p.reason !== 'invalid').sort((a, b) => a.ts - b.ts);
  return (fromMs, toMs) => {
    let i = firstAtOrAfter(seen, fromMs);
    let prevMs = fromMs;
    let off = 0;
    for (; i < seen.length && seen[i]!.ts < toMs; i++) {
      const p = seen[i]!;
      if (p.ts - prevMs > c.maxGapS * 1000) return false;
      if (!p.kept && p.reason === 'offset') off++;
      prevMs = p.ts;
    }
    return off >= OFF_ROUTE_FIXES && toMs - prevMs <= c.maxGapS * 1000;
  };
}

function firstAtOrAfter(sorted: readonly MatchedPosition[], tMs: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.ts < tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Runs of fixes with the door open that lie outside every stop's zone — GPS noise put the standing bus there —
 * each given to the nearest stop within doorReachM (by the run's median progress). A bus opens its doors at
 * stops; a run further than that from any stop (a breakdown, a terminal yard) is nobody's.
 */
function strayDoorRuns(stops: JourneyPattern['stops'], kept: readonly MatchedPosition[], c: VisitConfig): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const inSomeZone = (m: number) => stops.some((s) => m >= s.distanceM - c.zoneBeforeM && m <= s.distanceM + c.zoneAfterM);
  for (let i = 0; i < kept.length; ) {
    if (kept[i]!.doorOpen !== true) {
      i++;
      continue;
    }
    let end = i;
    while (end + 1 < kept.length && kept[end + 1]!.doorOpen === true) end++;
    const run = Array.from({ length: end - i + 1 }, (_, k) => i + k);
    i = end + 1;
    if (run.some((k) => inSomeZone(kept[k]!.distanceM))) continue;
    const at = kept[run[Math.floor((run.length - 1) / 2)]!]!.distanceM;
    let nearest = -1;
    for (let s = 0; s < stops.length; s++) {
      const dist = Math.abs(stops[s]!.distanceM - at);
      if (dist <= c.doorReachM && (nearest < 0 || dist < Math.abs(stops[nearest]!.distanceM - at))) nearest = s;
    }
    if (nearest >= 0) out.set(nearest, [...(out.get(nearest) ?? []), ...run]);
  }
  return out;
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

function visitAt(
  stopId: string,
  stopSequence: number,
  d: number,
  kept: readonly MatchedPosition[],
  c: VisitConfig,
  around: { prevM: number; nextM: number },
  strayDoors: readonly number[],
  offRoute: (fromMs: number, toMs: number) => boolean,
): StopVisit {
  const zoneStart = d - c.zoneBeforeM;
  const zoneEnd = d + c.zoneAfterM;
  const lo = firstIndex(kept, (m) => m >= zoneStart);
  const hi = firstIndex(kept, (m) => m > zoneEnd);
  const slow: number[] = [];
  for (let i = lo; i < hi; i++) if (isSlow(kept[i]!, c)) slow.push(i);
  // A bus standing at the stop whose fixes noise placed just outside the zone (within their own reported error,
  // and nearer this stop than its neighbours) stood here: the slow run adjacent to the zone counts.
  if (slow.length === 0) {
    const nearHere = (m: number) => m > (around.prevM + d) / 2 && m < (d + around.nextM) / 2;
    for (let i = lo - 1; i >= 0 && isSlow(kept[i]!, c) && nearHere(kept[i]!.distanceM) && kept[i]!.distanceM >= zoneStart - reachOf(kept[i]!); i--)
      slow.unshift(i);
    for (let i = hi; i < kept.length && isSlow(kept[i]!, c) && nearHere(kept[i]!.distanceM) && kept[i]!.distanceM <= zoneEnd + reachOf(kept[i]!); i++)
      slow.push(i);
  }
  if (strayDoors.length > 0) {
    slow.push(...strayDoors);
    slow.sort((a, b) => a - b);
  }
  const before = kept[lo - 1];
  const after = kept[hi];
  const inZone = [...(lo < hi ? kept.slice(lo, hi) : []), ...strayDoors.map((i) => kept[i]!)];
  const doorOpened = doorsAround(kept.slice(Math.max(0, lo - 1), hi + 1), inZone);
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

  // The stop can hide in any interval between consecutive fixes of the bracket (the fixes inside the zone were
  // moving): each interval must be short enough for the speeds around it to tell what happened.
  let stepS = 0;
  for (let i = lo; i <= hi; i++) stepS = Math.max(stepS, (kept[i]!.ts - kept[i - 1]!.ts) / 1000);
  if (stepS > c.maxGapS) {
    const seenOffRoute = offRoute(before.ts, after.ts);
    return { ...base, status: seenOffRoute ? 'skipped' : 'unobserved', evidence: { ...evidence, method: seenOffRoute ? 'off-route' : 'gap', gapS } };
  }

  const t = traversal(kept, lo - 1, hi, d, around, c);
  const excessS = (t.departureMs - t.arrivalMs) / 1000;
  const bracket: StopVisitEvidence = { ...evidence, method: 'bracket', gapS, excessS, freeFlowKmh: t.freeFlowKmh };
  if (excessS < c.minDwellS) return { ...base, status: 'skipped', evidence: bracket };
  const arrivalMs = clamp(t.arrivalMs, before.ts, after.ts);
  const departureMs = clamp(t.departureMs, arrivalMs, after.ts);
  return { ...base, status: 'visited', arrivalMs, departureMs, dwellS: (departureMs - arrivalMs) / 1000, evidence: bracket };
}
