/**
 * Stage (b), the vehicle's state on its trip: from the last matched position (journeys stage 2), the next stop
 * it has not yet reached, how far along the current segment it is, and its delay against the schedule at that
 * point of the pattern.
 */
import type { MatchedProgress, ScheduledTrip } from './types.js';

/** A stop this close ahead of the bus (or behind it) is reached: the bus is at it, not coming. Metres. */
const STOP_REACHED_M = 20;

export interface VehicleState {
  busId: string;
  tripId: string;
  progress: MatchedProgress;
  /** Index in the trip's stops of the first stop not yet reached; the stops' length when the trip is done. */
  nextStopIndex: number;
  /** Share of the segment from the stop before to the next stop already driven, 0–1. */
  segmentShare: number;
  /** The bus stands at the stop before (within STOP_REACHED_M): its dwell is not over. */
  atStop: boolean;
  /** Seconds behind the schedule at the bus's position (negative: early). */
  delayS: number;
}

/** Scheduled instant at a distance along the pattern: linear between a stop's departure and the next arrival. */
export function scheduledAtDistanceMs(trip: ScheduledTrip, distanceM: number): number {
  const { stops } = trip;
  const first = stops[0];
  if (!first) return Number.NaN;
  if (distanceM <= first.distanceM) return first.scheduledDepartureMs;
  for (let i = 1; i < stops.length; i++) {
    const a = stops[i - 1]!;
    const b = stops[i]!;
    if (distanceM <= b.distanceM) {
      const share = b.distanceM > a.distanceM ? (distanceM - a.distanceM) / (b.distanceM - a.distanceM) : 1;
      return a.scheduledDepartureMs + share * (b.scheduledArrivalMs - a.scheduledDepartureMs);
    }
  }
  return stops[stops.length - 1]!.scheduledArrivalMs;
}

/** The state of a bus on `trip` from its last matched position. */
export function vehicleState(trip: ScheduledTrip, busId: string, progress: MatchedProgress): VehicleState {
  const { stops } = trip;
  let next = stops.findIndex((s) => s.distanceM - STOP_REACHED_M > progress.distanceM);
  if (next < 0) next = stops.length;
  const before = stops[next - 1];
  const after = stops[next];
  const span = before && after ? after.distanceM - before.distanceM : 0;
  const segmentShare = before && after && span > 0 ? Math.min(1, Math.max(0, (progress.distanceM - before.distanceM) / span)) : 0;
  const atStop = before !== undefined && Math.abs(progress.distanceM - before.distanceM) <= STOP_REACHED_M;
  const onSchedule = next <= 1 && atStop ? (stops[0]?.scheduledDepartureMs ?? Number.NaN) : scheduledAtDistanceMs(trip, progress.distanceM);
  // Waiting at the first stop before its departure is not being early.
  const rawDelayS = (progress.tsMs - onSchedule) / 1000;
  const delayS = next <= 1 && atStop ? Math.max(0, rawDelayS) : rawDelayS;
  return { busId, tripId: trip.tripId, progress, nextStopIndex: next, segmentShare, atStop, delayS };
}
