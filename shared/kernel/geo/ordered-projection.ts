/**
 * Linear referencing of an ordered sequence of points (a pattern's stops, a bus's track) onto a polyline.
 * Nearest-point matching alone fails where the line passes the same place twice (loops, out-and-back legs,
 * a terminal that is both first and last stop): the sequence must be matched as a whole, with distances
 * along the line that never go backwards. We keep, for every point, the local minima of its distance to the
 * line as candidates, then pick the non-decreasing assignment with the smallest total offset (dynamic
 * programming, O(points × candidates²)).
 */
import { type LatLon, type MeasuredPolyline, type Projection, projectOntoPolyline, segmentProjections } from './polyline.js';

export interface OrderedProjectionOptions {
  /** Candidates farther than the point's best match plus this slack are ignored. */
  slackM?: number;
  /** At most this many candidates per point, the nearest first. */
  maxCandidates?: number;
}

/** Local minima of the point's offset along the line, i.e. every separate pass of the line near it. */
function candidatesFor(line: MeasuredPolyline, p: LatLon, slackM: number, maxCandidates: number): Projection[] {
  const all = segmentProjections(line, p);
  // A loop, not Math.min(...spread): shapes can have more points than a call has room for arguments.
  let minOffset = Number.POSITIVE_INFINITY;
  for (const c of all) minOffset = Math.min(minOffset, c.offsetM);
  const keep: Projection[] = [];
  for (let i = 0; i < all.length; i++) {
    const here = all[i]!;
    const prev = all[i - 1];
    const next = all[i + 1];
    const isLocalMin = (!prev || here.offsetM < prev.offsetM) && (!next || here.offsetM <= next.offsetM);
    if (isLocalMin && here.offsetM <= minOffset + slackM) keep.push(here);
  }
  keep.sort((a, b) => a.offsetM - b.offsetM || a.distanceAlongM - b.distanceAlongM);
  return keep.slice(0, maxCandidates).sort((a, b) => a.distanceAlongM - b.distanceAlongM);
}

/**
 * Projects each point, in order, onto the line so that distances along it never decrease and the total
 * offset is smallest. Falls back to greedy matching (each point no earlier than the previous) when the
 * candidates admit no ordered assignment.
 */
export function projectInOrder(line: MeasuredPolyline, points: readonly LatLon[], options: OrderedProjectionOptions = {}): Projection[] {
  if (points.length === 0) return [];
  const slackM = options.slackM ?? 150;
  const maxCandidates = options.maxCandidates ?? 8;
  const layers = points.map((p) => candidatesFor(line, p, slackM, maxCandidates));

  // cost[i][k]: smallest total offset of points 0..i with point i at candidate k; from[i][k]: its predecessor.
  const cost: number[][] = [];
  const from: number[][] = [];
  layers.forEach((layer, i) => {
    const prevLayer = layers[i - 1];
    const prevCost = cost[i - 1];
    const rowCost: number[] = [];
    const rowFrom: number[] = [];
    for (const cand of layer) {
      let best = Number.POSITIVE_INFINITY;
      let bestK = -1;
      if (!prevLayer || !prevCost) {
        best = 0;
      } else {
        prevLayer.forEach((pc, k) => {
          // Earlier predecessors win ties: prevLayer is sorted by distance along the line.
          if (pc.distanceAlongM <= cand.distanceAlongM + 1e-6 && prevCost[k]! < best) {
            best = prevCost[k]!;
            bestK = k;
          }
        });
      }
      rowCost.push(best + cand.offsetM);
      rowFrom.push(bestK);
    }
    cost.push(rowCost);
    from.push(rowFrom);
  });

  const last = cost[cost.length - 1]!;
  let k = -1;
  last.forEach((c, i) => {
    if (Number.isFinite(c) && (k < 0 || c < last[k]!)) k = i;
  });
  if (k < 0) return projectGreedily(line, points);

  const out: Projection[] = new Array(points.length);
  for (let i = points.length - 1; i >= 0; i--) {
    out[i] = layers[i]![k]!;
    k = from[i]![k]!;
  }
  return out;
}

/** Each point on the nearest part of the line at or after the previous point's match. */
function projectGreedily(line: MeasuredPolyline, points: readonly LatLon[]): Projection[] {
  let fromM = 0;
  return points.map((p) => {
    const proj = projectOntoPolyline(line, p, { fromM });
    fromM = proj.distanceAlongM;
    return proj;
  });
}
