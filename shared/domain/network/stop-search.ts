/**
 * Stop search by name (or code), accent-insensitive, ranked: the name exactly, then names that start with the
 * query, then names whose words start with every word of the query, then names that merely contain it. The
 * folded names are computed once per network version; a query folds itself and reads them.
 */
import type { Stop } from '../../gtfs/model.js';
import { foldVietnamese } from './vietnamese-fold.js';

/** How well a stop's name matches a query: lower is better. */
type MatchRank = 0 | 1 | 2 | 3;

interface Entry {
  stop: Stop;
  folded: string;
  words: string[];
  code?: string;
}

export interface StopMatch {
  stop: Stop;
  rank: MatchRank;
}

/** The rank of a folded name against a folded query, or undefined when it does not match at all. */
export function matchRank(foldedName: string, foldedQuery: string): MatchRank | undefined {
  if (!foldedQuery) return undefined;
  if (foldedName === foldedQuery) return 0;
  if (foldedName.startsWith(foldedQuery)) return 1;
  const words = foldedName.split(' ');
  if (foldedQuery.split(' ').every((q) => words.some((w) => w.startsWith(q)))) return 2;
  if (foldedName.includes(foldedQuery)) return 3;
  return undefined;
}

export class StopSearchIndex {
  private readonly entries: Entry[];

  constructor(stops: Iterable<Stop>) {
    this.entries = [...stops].map((stop) => {
      const folded = foldVietnamese(stop.name);
      return { stop, folded, words: folded.split(' '), ...(stop.code ? { code: foldVietnamese(stop.code) } : {}) };
    });
  }

  /** The stops matching `query`, best first (then shorter names, then by name and id), at most `limit`. */
  search(query: string, limit: number): StopMatch[] {
    const q = foldVietnamese(query);
    if (!q) return [];
    const found: (StopMatch & { folded: string })[] = [];
    for (const e of this.entries) {
      const rank = e.code === q ? 0 : matchRank(e.folded, q);
      if (rank !== undefined) found.push({ stop: e.stop, rank, folded: e.folded });
    }
    found.sort(
      (a, b) => a.rank - b.rank || a.folded.length - b.folded.length || a.folded.localeCompare(b.folded) || a.stop.stopId.localeCompare(b.stop.stopId),
    );
    return found.slice(0, limit).map(({ stop, rank }) => ({ stop, rank }));
  }
}
