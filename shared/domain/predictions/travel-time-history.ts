/**
 * Stage (a), travel-time history: learned running time per pattern segment (a stop to the next stop) and time
 * band, and dwell per stop and hour, updated from stop visits as they are produced. Both are exponentially
 * weighted means, so recent days (and, live, recent hours) count more than old ones. Beside the band means, each
 * segment keeps a Kalman-filtered ratio of the latest vehicles' times to the history (TransitClock's blend of
 * the previous vehicle's time with the historical average), which fades back to the history as it ages.
 */
import type { StopVisit } from '../journeys/types.js';

export interface HistoryConfig {
  /** Width of a time band, minutes. Default 60. */
  bandMinutes: number;
  /** Weight of a new observation in a band mean (exponential decay of older ones). Default 0.3. */
  alpha: number;
  /** Offset of the network's local time from UTC, minutes (Asia/Ho_Chi_Minh: 420). */
  utcOffsetMin: number;
  /** Process noise of the ratio filter per minute since its last update (variance). Default 0.002. */
  ratioNoisePerMin: number;
  /** Measurement noise of one vehicle's ratio (variance). Default 0.02. */
  ratioMeasurementVar: number;
  /** A recent ratio fades back to the history with this time constant, minutes. Default 30. */
  ratioFadeMin: number;
  /**
   * Weight of the pattern-wide recent ratio (every segment's latest runs on the pattern, this bus's included)
   * where a segment's own is old: traffic across the city changes faster than one segment's headway. Default 0.
   */
  patternRatioWeight: number;
  /** The pattern-wide ratio fades with this time constant, minutes. Default 10. */
  patternFadeMin: number;
}

export const DEFAULT_HISTORY_CONFIG: HistoryConfig = {
  bandMinutes: 60,
  alpha: 0.3,
  utcOffsetMin: 420,
  ratioNoisePerMin: 0.002,
  ratioMeasurementVar: 0.02,
  ratioFadeMin: 30,
  patternRatioWeight: 0,
  patternFadeMin: 10,
};

interface Mean {
  meanS: number;
  n: number;
}

/** Kalman state of a segment's recent ratio (observed time / expected time). */
interface RecentRatio {
  ratio: number;
  variance: number;
  atMs: number;
}

export interface TravelTimeHistory {
  /** `${patternId}|${fromSequence}|${band}` → running time (departure to next arrival). */
  readonly segments: Map<string, Mean>;
  /** `${patternId}|${fromSequence}` → the latest vehicles' ratio to the history; `${patternId}` → the same over all its segments. */
  readonly recent: Map<string, RecentRatio>;
  /** `${stopId}|${hour}` → dwell. */
  readonly dwells: Map<string, Mean>;
  /** Visits already learned from, `${tripId}|${stopSequence}`: a visit produced twice counts once. */
  readonly learned: Set<string>;
}

/** A history with nothing learned yet. */
export function emptyHistory(): TravelTimeHistory {
  return { segments: new Map(), recent: new Map(), dwells: new Map(), learned: new Set() };
}

/**
 * The history a new service day starts from: every mean and ratio learned so far (older runs already weigh less,
 * and yesterday's recent ratios have faded back to the history), but no visit marked learned, since trip ids
 * come back every day.
 */
export function startServiceDay(h: TravelTimeHistory): TravelTimeHistory {
  return { segments: h.segments, recent: h.recent, dwells: h.dwells, learned: new Set() };
}

/** The time band of an instant, in the network's local time. */
export function timeBand(tsMs: number, c: HistoryConfig): number {
  const localMin = Math.floor((tsMs + c.utcOffsetMin * 60_000) / 60_000) % 1440;
  return Math.floor(localMin / c.bandMinutes);
}

function localHour(tsMs: number, c: HistoryConfig): number {
  return Math.floor(((tsMs + c.utcOffsetMin * 60_000) / 3_600_000) % 24);
}

function blend(m: Mean | undefined, x: number, alpha: number): Mean {
  if (!m) return { meanS: x, n: 1 };
  return { meanS: m.meanS + alpha * (x - m.meanS), n: m.n + 1 };
}

/** Learned running time of a segment in the band of `atMs`, nearest bands first; undefined when never seen. */
function historicalSegmentS(h: TravelTimeHistory, patternId: string, fromSequence: number, atMs: number, c: HistoryConfig): number | undefined {
  const band = timeBand(atMs, c);
  const bands = Math.round(1440 / c.bandMinutes);
  for (const d of [0, -1, 1, -2, 2]) {
    const m = h.segments.get(`${patternId}|${fromSequence}|${(band + d + bands) % bands}`);
    if (m) return m.meanS;
  }
  return undefined;
}

/**
 * Expected running time of a segment at `atMs`: the history (else `fallbackS`, the schedule's) scaled by the
 * latest vehicles' ratio, which fades back to 1 as it ages.
 */
export function expectedSegmentS(h: TravelTimeHistory, patternId: string, fromSequence: number, atMs: number, fallbackS: number, c: HistoryConfig): number {
  const base = historicalSegmentS(h, patternId, fromSequence, atMs, c) ?? fallbackS;
  const r = h.recent.get(`${patternId}|${fromSequence}`);
  const w = r ? Math.exp(-Math.max(0, atMs - r.atMs) / 60_000 / c.ratioFadeMin) : 0;
  const own = r ? w * (r.ratio - 1) : 0;
  const p = c.patternRatioWeight > 0 ? h.recent.get(patternId) : undefined;
  const wp = p ? c.patternRatioWeight * Math.exp(-Math.max(0, atMs - p.atMs) / 60_000 / c.patternFadeMin) : 0;
  return base * (1 + own + (1 - w) * wp * ((p?.ratio ?? 1) - 1));
}

/** Learned dwell at a stop in the hour of `atMs`; `fallbackS` when never seen. */
export function expectedDwellS(h: TravelTimeHistory, stopId: string, atMs: number, fallbackS: number, c: HistoryConfig): number {
  return h.dwells.get(`${stopId}|${localHour(atMs, c)}`)?.meanS ?? fallbackS;
}

/** What a trip's visits are learned against: its pattern and the schedule's running time of each segment. */
export interface VisitsOfTrip {
  tripId: string;
  patternId: string;
  visits: readonly StopVisit[];
  /** Scheduled running time from the stop of this sequence to the next, when the history has none. */
  scheduledSegmentS: (fromSequence: number) => number;
}

/**
 * Learns from a trip's stop visits: each pair of consecutive visited stops gives a segment's running time
 * (departure to next arrival), each visited stop its dwell. Visits already learned are passed over.
 */
export function learnFromVisits(h: TravelTimeHistory, trip: VisitsOfTrip, cfg: Partial<HistoryConfig> = {}): void {
  const c = { ...DEFAULT_HISTORY_CONFIG, ...cfg };
  const { visits, patternId } = trip;
  for (let i = 0; i < visits.length; i++) {
    const v = visits[i]!;
    const key = `${trip.tripId}|${v.stopSequence}`;
    if (v.status !== 'visited' || v.arrivalMs === undefined || h.learned.has(key)) continue;
    h.learned.add(key);
    // The first stop's dwell is the layover, not boarding time.
    if (i > 0 && v.departureMs !== undefined) {
      const dk = `${v.stopId}|${localHour(v.arrivalMs, c)}`;
      h.dwells.set(dk, blend(h.dwells.get(dk), (v.departureMs - v.arrivalMs) / 1000, c.alpha));
    }
    const prev = visits[i - 1];
    if (prev?.status !== 'visited' || prev.departureMs === undefined || prev.stopSequence !== v.stopSequence - 1) continue;
    const runS = (v.arrivalMs - prev.departureMs) / 1000;
    if (runS <= 0) continue;
    const from = prev.stopSequence;
    const sk = `${patternId}|${from}|${timeBand(prev.departureMs, c)}`;
    const band = blend(h.segments.get(sk), runS, c.alpha);
    h.segments.set(sk, band);
    // Against the history that already holds this run, so the two are not counted twice.
    updateRecent(h, `${patternId}|${from}`, runS / Math.max(1, band.meanS), v.arrivalMs, c);
    updateRecent(h, patternId, runS / Math.max(1, band.meanS), v.arrivalMs, { ...c, ratioFadeMin: c.patternFadeMin });
  }
}

function updateRecent(h: TravelTimeHistory, key: string, observed: number, atMs: number, c: HistoryConfig): void {
  const r = h.recent.get(key);
  if (!r) {
    h.recent.set(key, { ratio: observed, variance: c.ratioMeasurementVar, atMs });
    return;
  }
  // The prior fades back to the history (ratio 1) as it ages, and grows less certain.
  const ageMin = Math.max(0, atMs - r.atMs) / 60_000;
  const prior = 1 + Math.exp(-ageMin / c.ratioFadeMin) * (r.ratio - 1);
  const variance = r.variance + c.ratioNoisePerMin * ageMin;
  const gain = variance / (variance + c.ratioMeasurementVar);
  h.recent.set(key, { ratio: prior + gain * (observed - prior), variance: (1 - gain) * variance, atMs: Math.max(atMs, r.atMs) });
}
