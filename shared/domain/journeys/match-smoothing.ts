/**
 * Stage 2, matching — after every fix is placed: the kept progress smoothed (isotonic regression, or stationary
 * runs held at their median) and speeds derived for the fixes that carried none.
 */
import { MIN_ACCURACY_M } from './match-candidates.js';
import type { MatchConfig, MatchedPosition } from './types.js';

/**
 * Progress of the kept fixes as the non-decreasing sequence closest (least squares) to their raw projections
 * (pool-adjacent-violators), rather than the running maximum: a fix thrown ahead by noise no longer drags the
 * fixes after it forwards, it is averaged with them. A run of fixes reporting standing still enters as one block
 * at the median of its projections (one place, robust to an outlier). Fixes weigh by their reported accuracy.
 */
export function isotonicProgress(
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
    let top = stack.at(-1);
    while (top && top.value >= block.value) {
      stack.pop();
      const merged = top.weight + block.weight;
      block = { value: (top.value * top.weight + block.value * block.weight) / merged, weight: merged, members: [...top.members, ...block.members] };
      top = stack.at(-1);
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
export function settleStationaryRuns(out: MatchedPosition[], rawM: readonly number[], c: MatchConfig): void {
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
 * Speed for kept fixes that carried none: the slower of the progress rates to the previous and to the next kept
 * fix, so that a fix where the bus has just stopped (or is about to leave) reads as stopped.
 */
export function deriveSpeeds(positions: MatchedPosition[]): void {
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
function progressRateKmh(a: MatchedPosition, b: MatchedPosition): number {
  const dtS = (b.ts - a.ts) / 1000;
  return dtS > 0 ? ((b.distanceM - a.distanceM) / dtS) * 3.6 : 0;
}
