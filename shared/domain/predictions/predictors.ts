/**
 * Stage (c), predictors: arrival times at the stops ahead of a bus on its trip, compared by the benchmark
 * (docs/predictions.md):
 * - `scheduleDelayPredictor` (P1): the schedule plus the bus's current delay, which decays the further ahead
 *   the stop is (drivers recover time, or lose it, towards the timetable);
 * - `learnedTravelTimePredictor` (P2, TransitClock-like): from the bus's position, the sum of learned segment
 *   running times (band history blended with the latest vehicles' times by a Kalman filter) plus learned dwell;
 * - P3: P2 with `patternRatioWeight` 1, where a segment's own latest run is old the pattern's latest runs (all
 *   its segments) say how traffic differs from the history now.
 */
import { DEFAULT_HISTORY_CONFIG, expectedDwellS, expectedSegmentS, type HistoryConfig, type TravelTimeHistory } from './travel-time-history.js';
import type { ScheduledTrip } from './types.js';
import type { VehicleState } from './vehicle-state.js';

/** Predicted arrivals at the trip's stops from `fromIndex` (the bus's next stop) to the last. */
export interface TripPrediction {
  fromIndex: number;
  arrivalsMs: number[];
  /** A trip not started yet: when the bus leaves its first stop (after its layover). */
  departureMs?: number;
}

/** A predictor: the arrivals ahead of the bus in `state` on `trip`, as seen at `nowMs`. */
export type Predictor = (trip: ScheduledTrip, state: VehicleState, nowMs: number) => TripPrediction;

/** Arrivals never before now and never decreasing along the trip. */
function monotone(arrivalsMs: number[], nowMs: number): number[] {
  let floor = nowMs;
  return arrivalsMs.map((t) => {
    floor = Math.max(floor, t);
    return floor;
  });
}

/** P1: scheduled time plus the current delay, decaying with time ahead (time constant `decayMin`). */
export function scheduleDelayPredictor(decayMin = 45): Predictor {
  return (trip, state, nowMs) => {
    const { stops } = trip;
    const refMs = state.progress.tsMs - state.delayS * 1000;
    const arrivalsMs: number[] = [];
    for (let i = state.nextStopIndex; i < stops.length; i++) {
      const s = stops[i]!;
      const aheadMin = Math.max(0, s.scheduledArrivalMs - refMs) / 60_000;
      arrivalsMs.push(s.scheduledArrivalMs + state.delayS * 1000 * Math.exp(-aheadMin / decayMin));
    }
    return { fromIndex: state.nextStopIndex, arrivalsMs: monotone(arrivalsMs, nowMs) };
  };
}

export interface LearnedPredictorConfig extends HistoryConfig {
  /** Dwell at a stop with no history yet, seconds. Default 15. */
  defaultDwellS: number;
}

/** P2: remaining time = Σ expected segment running times + Σ expected dwell, from the bus's position. */
export function learnedTravelTimePredictor(history: TravelTimeHistory, cfg: Partial<LearnedPredictorConfig> = {}): Predictor {
  const c: LearnedPredictorConfig = { ...DEFAULT_HISTORY_CONFIG, defaultDwellS: 15, ...cfg };
  return (trip, state, nowMs) => {
    const { stops } = trip;
    const segmentS = (i: number, atMs: number) => {
      const a = stops[i]!;
      const b = stops[i + 1]!;
      const scheduledS = Math.max(1, (b.scheduledArrivalMs - a.scheduledDepartureMs) / 1000);
      return expectedSegmentS(history, trip.patternId, a.stopSequence, atMs, scheduledS, c);
    };
    const arrivalsMs: number[] = [];
    const k = state.nextStopIndex - 1;
    if (k < 0 || state.nextStopIndex >= stops.length) {
      // Not on the pattern yet: the schedule is all there is.
      for (let i = Math.max(0, state.nextStopIndex); i < stops.length; i++) arrivalsMs.push(stops[i]!.scheduledArrivalMs);
      return { fromIndex: Math.max(0, state.nextStopIndex), arrivalsMs: monotone(arrivalsMs, nowMs) };
    }
    let t = state.progress.tsMs;
    if (state.atStop) {
      // At the first stop the bus leaves at its departure time; elsewhere about half the dwell is left.
      t = k === 0 ? Math.max(t, stops[0]!.scheduledDepartureMs) : t + 500 * expectedDwellS(history, stops[k]!.stopId, t, c.defaultDwellS, c);
    }
    t += (1 - state.segmentShare) * segmentS(k, t) * 1000;
    arrivalsMs.push(t);
    for (let i = state.nextStopIndex + 1; i < stops.length; i++) {
      t += expectedDwellS(history, stops[i - 1]!.stopId, t, c.defaultDwellS, c) * 1000;
      t += segmentS(i - 1, t) * 1000;
      arrivalsMs.push(t);
    }
    return { fromIndex: state.nextStopIndex, arrivalsMs: monotone(arrivalsMs, nowMs) };
  };
}
