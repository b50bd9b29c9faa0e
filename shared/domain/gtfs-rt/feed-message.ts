/**
 * GTFS-Realtime 2.0 messages as plain objects, in the field names and enum names of gtfs-realtime-bindings'
 * object form (camelCase; times in POSIX seconds), so the adapter encodes them as they are.
 */

type StopScheduleRelationship = 'SCHEDULED' | 'UNSCHEDULED';
/** CANCELED: a trip of the static feed that will not run (its trip order was cancelled). */
type TripScheduleRelationship = StopScheduleRelationship | 'CANCELED';

export interface TripDescriptor {
  /** The static feed's trip_id (for a frequencies.txt run, its template trip). */
  tripId: string;
  routeId: string;
  directionId?: number;
  /** HH:MM:SS of the trip's first departure on its service day (past 24:00 after midnight). */
  startTime: string;
  /** YYYYMMDD, the service date. */
  startDate: string;
  scheduleRelationship: TripScheduleRelationship;
}

interface VehicleDescriptor {
  id: string;
  label?: string;
}

export interface StopTimeUpdate {
  stopSequence: number;
  stopId: string;
  /** Absent only at the first stop of a trip not started, which gives its departure. */
  arrival?: { time: number };
  departure?: { time: number };
  scheduleRelationship: StopScheduleRelationship;
}

export interface FeedEntity {
  id: string;
  vehicle?: {
    /** Absent for a bus between trips whose next trip is published. */
    trip?: TripDescriptor;
    vehicle: VehicleDescriptor;
    position: { latitude: number; longitude: number; bearing?: number; speed?: number };
    timestamp: number;
  };
  tripUpdate?: {
    trip: TripDescriptor;
    /** Absent for a cancelled trip, and for a next trip the validator would not pair with its bus's position. */
    vehicle?: VehicleDescriptor;
    stopTimeUpdate: StopTimeUpdate[];
    timestamp: number;
  };
}

export interface FeedMessage {
  header: { gtfsRealtimeVersion: '2.0'; incrementality: 'FULL_DATASET'; timestamp: number };
  entity: FeedEntity[];
}
