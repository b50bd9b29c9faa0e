/**
 * What of a bus's predictions is worth writing to the arrivals cache. `cacheWritesOfBus` says what every stop of
 * the bus's trips should hold; most of it is already there. Compared with what the bus last wrote (kept on its
 * state, so no read is needed), only the stops within a horizon ahead are written, and only when their prediction
 * moved, the bus passed them, or their entry would soon read stale.
 */
import type { CacheWrite, CachedArrival } from './serving.js';

export interface CacheWriteConfig {
  /** The stops this close ahead of the bus on its trip are always written… */
  horizonStops: number;
  /** …and, on its trip or its next, every stop predicted within this; further stops read the schedule. */
  horizonMs: number;
  /** A written prediction is rewritten once it moved by more than this. */
  minChangeMs: number;
  /**
   * A trip's entries are all rewritten at least this often (by the bus's fix time): a reader judges an entry stale
   * by its own fix time, 5 min (`staleAfterMs`) after it, and a live bus's entries must not read stale.
   */
  refreshMs: number;
}

/**
 * Ten stops or 40 min ahead: a passenger plans with the next half hour or so, availability is measured over the
 * last 15 min before an arrival, and the accuracy targets run to 40 min ahead (MAE at most 60 % of the
 * schedule's at 20–40 min: with 30 min, bench:predictions measured 0.69). A prediction that moved by 20 s or less
 * is not rewritten (the boards show minutes; the accuracy buckets allow 90 s and more); an entry is refreshed
 * every 3 min, so it reads fresh for 2 min of a bus's silence.
 */
export const CACHE_WRITE_CONFIG: CacheWriteConfig = { horizonStops: 10, horizonMs: 40 * 60_000, minChangeMs: 20_000, refreshMs: 3 * 60_000 };

/** A stop's entry as last written: passed (0), or its prediction in whole seconds, stops away and stop sequence. */
type WrittenStop = 0 | [predictedS: number, stopsAway: number, stopSequence: number];

/** What a bus has last written of one trip: by stop, and when its entries were all last written (fix time). */
interface WrittenTrip {
  fixTsMs: number;
  /** Written as the bus's next trip (predicted from the end of the trip before). */
  next?: true;
  stops: Record<string, WrittenStop>;
}

/** What a bus's entries in the cache hold, by trip (kept on the bus's state between batches). */
export type WrittenEntries = Record<string, WrittenTrip>;

const inHorizon = (entry: Extract<CachedArrival, { kind: 'predicted' }>, nowMs: number, c: CacheWriteConfig) =>
  (!entry.nextTrip && entry.stopsAway <= c.horizonStops) || entry.predictedMs - nowMs <= c.horizonMs;

/**
 * The writes among `desired` (what `cacheWritesOfBus` says the bus's trips should leave) that change what the bus
 * has written (`written`), and what it has written after them. A prediction beyond the horizon is not written
 * (an entry left there is removed); a passed mark is written once; a removal only where an entry was written; a
 * prediction when new, moved by more than `minChangeMs`, a stop nearer (`stopsAway`), turned from the next trip
 * into the trip run, or its trip due for a refresh. `fixTsMs`: the bus's latest fix, what its entries carry.
 */
export function cacheChanges(
  desired: readonly CacheWrite[],
  written: WrittenEntries,
  fixTsMs: number,
  nowMs: number,
  c: CacheWriteConfig = CACHE_WRITE_CONFIG,
): { writes: CacheWrite[]; written: WrittenEntries } {
  const after: WrittenEntries = Object.fromEntries(Object.entries(written).map(([id, t]) => [id, { ...t, stops: { ...t.stops } }]));
  // A trip is refreshed whole when it is new, due, or has turned from the bus's next trip into the one it runs.
  const refreshed = new Set<string>();
  for (const { tripId, entry } of desired) {
    if (entry?.kind !== 'predicted' || refreshed.has(tripId)) continue;
    const before = written[tripId];
    if (!before || before.next !== entry.nextTrip || fixTsMs - before.fixTsMs >= c.refreshMs) refreshed.add(tripId);
  }
  const writes: CacheWrite[] = [];
  for (const w of desired) {
    const trip = after[w.tripId] ?? { fixTsMs, stops: {} };
    after[w.tripId] = trip;
    const had = trip.stops[w.stopId];
    const entry = w.entry?.kind === 'predicted' && !inHorizon(w.entry, nowMs, c) ? undefined : w.entry;
    if (!entry) {
      if (had === undefined) continue;
      delete trip.stops[w.stopId];
      writes.push({ stopId: w.stopId, tripId: w.tripId });
    } else if (entry.kind === 'passed') {
      if (had === 0) continue;
      trip.stops[w.stopId] = 0;
      writes.push({ ...w, entry });
    } else {
      const predictedS = Math.floor(entry.predictedMs / 1000);
      const moved = had === undefined || had === 0 || Math.abs(had[0] * 1000 - entry.predictedMs) > c.minChangeMs || had[1] !== entry.stopsAway;
      if (!moved && !refreshed.has(w.tripId)) continue;
      trip.stops[w.stopId] = [predictedS, entry.stopsAway, entry.stopSequence ?? 0];
      writes.push({ ...w, entry });
    }
  }
  for (const tripId of refreshed) {
    const trip = after[tripId]!;
    const next = desired.some((w) => w.tripId === tripId && w.entry?.kind === 'predicted' && w.entry.nextTrip);
    after[tripId] = { fixTsMs, ...(next ? { next: true as const } : {}), stops: trip.stops };
  }
  for (const [tripId, trip] of Object.entries(after)) if (Object.keys(trip.stops).length === 0) delete after[tripId];
  return { writes, written: after };
}

/** A trip's predicted arrivals as cached, stop by stop along it (what the GTFS-Realtime trip updates carry). */
export interface CachedTripPrediction {
  tripId: string;
  busId: string;
  fixTsMs: number;
  stops: { stopSequence: number; stopId: string; predictedMs: number }[];
  /** The bus's next trip (not started): when it leaves the first stop, after layover. */
  departureMs?: number;
}

/**
 * The prediction of a trip of the bus as its stops' entries hold it (to the second, within the horizon), so that
 * the trip updates say what the arrivals say: the trip it runs (no `departureMs`), or its next trip, written as
 * such, with the predicted departure; undefined when none is cached, or cached as the other kind.
 */
export function cachedTripPrediction(
  tripId: string,
  busId: string,
  fixTsMs: number,
  written: WrittenEntries,
  departureMs?: number,
): CachedTripPrediction | undefined {
  const trip = written[tripId];
  if (!trip || (trip.next === true) !== (departureMs !== undefined)) return undefined;
  const stops = Object.entries(trip.stops).flatMap(([stopId, s]) => (s === 0 ? [] : [{ stopSequence: s[2], stopId, predictedMs: s[0] * 1000 }]));
  if (stops.length === 0) return undefined;
  return { tripId, busId, fixTsMs, stops: stops.sort((a, b) => a.stopSequence - b.stopSequence), ...(departureMs === undefined ? {} : { departureMs }) };
}
