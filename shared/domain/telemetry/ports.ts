/** What telemetry ingestion needs from storage. Adapters implement these for DynamoDB; tests may use memory. */
import type { GpsRecord } from '../../catalogue/index.js';
import type { VehicleDuty, VehiclePosition, VehicleState } from '../vehicles/vehicle-state.js';
import type { BusBatchPlan } from './bus-batch-plan.js';
import type { ClockState } from './clock-offset.js';
import type { GpsChunk } from './gps-chunks.js';
import type { Reject } from './reject.js';

export interface VehicleAdvance {
  busId: string;
  /** The version read before planning; the write succeeds only if it is still current. */
  expectedVersion: number;
  position?: VehiclePosition;
  duty?: VehicleDuty;
  clock?: ClockState;
}

export interface VehicleStateStore {
  getMany(busIds: readonly string[]): Promise<Map<string, VehicleState>>;
  /** Applies each advance under its version condition; returns the buses whose write failed, with why. */
  advance(advances: readonly VehicleAdvance[]): Promise<Map<string, Error>>;
}

export interface BusTelemetry {
  busId: string;
  gpsChunks: GpsChunk[];
  taps: BusBatchPlan['taps'];
  wifi: BusBatchPlan['wifi'];
  dutyEvents: BusBatchPlan['dutyEvents'];
}

export interface TelemetryStore {
  /**
   * Device timestamps of the positions stored for a bus whose device ts lies between two instants (inclusive).
   * `clockOffsetMs`, the offset now applied, tells where in corrected time they may be stored.
   */
  storedGpsTimestamps(busId: string, fromMs: number, toMs: number, clockOffsetMs?: number): Promise<Set<number>>;
  /** Writes every bus's items; returns the buses whose items could not all be written. */
  write(telemetry: readonly BusTelemetry[]): Promise<Map<string, Error>>;
  /** Reads a bus's stored positions in a (corrected) time range, with corrected ts (for APIs, journeys and tests). */
  readGps(busId: string, fromMs: number, toMs: number): Promise<GpsRecord[]>;
}

export interface RejectStore {
  /** Stores rejects; returns the indexes (in `rejects`) that could not be stored. */
  put(rejects: readonly Reject[]): Promise<Set<number>>;
}
