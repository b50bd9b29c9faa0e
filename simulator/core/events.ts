/**
 * What the simulator produces. A bus's day is a time-ordered stream of **outbound messages** (the MQTT
 * contract v1, exactly as a device would publish them) and **truth records** (what really happened, for
 * benchmarks to score BusFlow against).
 */
import type { FareMedium, FareProduct, TelemetryKind } from '../../shared/catalogue/index.js';

export interface SimTap {
  tapId: string;
  ts: number;
  cardId: string;
  product: FareProduct;
  amountVnd: number;
  medium: FareMedium;
  stopId?: string;
}

/**
 * One MQTT publish. `sendAtMs` is when the device sends it (later than its records' ts when it was offline);
 * `body` is the JSON payload, or a string when a fault made it malformed.
 */
export interface OutboundMessage {
  busId: string;
  kind: TelemetryKind;
  sendAtMs: number;
  msgId: string;
  body: Record<string, unknown> | string;
}

type TripClassification = 'completed' | 'late' | 'partial' | 'missed' | 'unscheduled';

export type TruthRecord =
  | {
      type: 'stop_visit';
      busId: string;
      tripId: string;
      tripOrderId?: string;
      routeId: string;
      patternId: string;
      stopId: string;
      stopSequence: number;
      /** Undefined for a skipped stop (the bus passed without stopping). */
      arrivalMs?: number;
      departureMs?: number;
      passedMs: number;
      skipped: boolean;
      boardings: number;
      alightings: number;
    }
  | {
      type: 'trip';
      busId: string;
      tripId: string;
      tripOrderId?: string;
      routeId: string;
      patternId: string;
      directionId?: 0 | 1;
      plannedDepartureMs?: number;
      actualStartMs?: number;
      actualEndMs?: number;
      classification: TripClassification;
      stopsVisited: number;
      stopsSkipped: number;
      stopsTotal: number;
      distanceM: number;
    }
  | { type: 'tap'; busId: string; tripId?: string; tap: SimTap }
  | { type: 'fault'; busId: string; fault: string; fromMs: number; toMs?: number; detail?: Record<string, unknown> };
