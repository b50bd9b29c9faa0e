/** A small trip for the prediction tests: stops 1 km apart, 2 min running and 30 s dwell each, from 08:00 local. */
import type { StopVisit } from '../../../shared/domain/journeys/types.js';
import type { ScheduledTrip } from '../../../shared/domain/predictions/types.js';

/** 08:00 in Ho Chi Minh City (UTC+7) on a fixed day. */
export const T0 = Date.UTC(2030, 0, 7, 1, 0, 0);
export const MIN = 60_000;

/** Trip `tripId` of five stops S1…S5 (or `stopCount`) departing S1 at `T0 + startMin`. */
export function trip(tripId: string, startMin = 0, extra: Partial<ScheduledTrip> = {}, stopCount = 5): ScheduledTrip {
  const start = T0 + startMin * MIN;
  return {
    tripId,
    routeId: 'R1',
    patternId: 'P1',
    stops: Array.from({ length: stopCount }, (_, i) => ({
      stopId: `S${i + 1}`,
      stopSequence: i + 1,
      distanceM: i * 1000,
      scheduledArrivalMs: start + i * 150_000 - (i === 0 ? 0 : 30_000),
      scheduledDepartureMs: start + i * 150_000,
    })),
    ...extra,
  };
}

/** A visited stop with arrival and departure. */
export function visited(stopSequence: number, arrivalMs: number, departureMs: number): StopVisit {
  return {
    stopId: `S${stopSequence}`,
    stopSequence,
    status: 'visited',
    arrivalMs,
    departureMs,
    dwellS: (departureMs - arrivalMs) / 1000,
    evidence: { method: 'slow-fixes', fixesInZone: 3, slowFixesInZone: 2 },
  };
}
