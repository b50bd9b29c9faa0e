/**
 * The latest known state of one bus, kept on its `vehicles` item and advanced only by newer device time. Its
 * times are the device's as received; `clock.offsetMs` says how far that clock is ahead of true time.
 */
import type { DutyMessage, GpsRecord } from '../../catalogue/index.js';
import type { ClockState } from '../telemetry/clock-offset.js';

export interface VehiclePosition extends GpsRecord {
  receivedAt: number;
}

export interface VehicleDuty {
  tsMs: number;
  onDuty: boolean;
  driverId?: string;
  tripOrderId?: string;
  tripId?: string;
}

export interface VehicleState {
  busId: string;
  /** Optimistic-lock version; 0 when the item does not exist yet. */
  version: number;
  operatorId?: string;
  plate?: string;
  position?: VehiclePosition;
  duty?: VehicleDuty;
  /** The device clock's estimated offset and the samples it rests on. */
  clock?: ClockState;
}

/** The position to keep: the newer of the two by device timestamp, so a late batch never moves a bus back. */
export function latestPosition(current: VehiclePosition | undefined, candidate: VehiclePosition): VehiclePosition {
  return !current || candidate.ts > current.ts ? candidate : current;
}

/** Applies one duty event to the current duty, if it is newer than what the state already reflects. */
export function applyDutyEvent(current: VehicleDuty | undefined, event: DutyMessage): VehicleDuty | undefined {
  if (current && event.ts <= current.tsMs) return current;
  const base: VehicleDuty = current ?? { tsMs: event.ts, onDuty: false };
  switch (event.event) {
    case 'sign_on':
      return { tsMs: event.ts, onDuty: true, ...opt('driverId', event.driverId), ...opt('tripOrderId', event.tripOrderId) };
    case 'sign_off':
      return { tsMs: event.ts, onDuty: false };
    case 'trip_start':
      return {
        tsMs: event.ts,
        onDuty: true,
        ...opt('driverId', event.driverId ?? base.driverId),
        ...opt('tripOrderId', event.tripOrderId ?? base.tripOrderId),
        ...opt('tripId', event.tripId),
      };
    case 'trip_end':
      return {
        tsMs: event.ts,
        onDuty: base.onDuty,
        ...opt('driverId', event.driverId ?? base.driverId),
        ...opt('tripOrderId', event.tripOrderId ?? base.tripOrderId),
      };
  }
}

function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
