/** Rounding for figures that are stored and exported. */

/**
 * `Math.round`, but never -0: a small negative figure (an arrival 0.3 s early) rounds to 0, and -0 would compare
 * unequal to 0 under Object.is while JSON already writes it as 0.
 */
export function roundWhole(x: number): number {
  const r = Math.round(x);
  return r === 0 ? 0 : r;
}
