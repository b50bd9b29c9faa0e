/** TIDES CSV exports of a day's journeys: trips_performed.csv and stop_visits.csv, columns exactly as TIDES names them. */
import type { PerformedTrip } from './performed-trip.js';

export const TRIPS_PERFORMED_COLUMNS = [
  'service_date', 'trip_id_performed', 'vehicle_id', 'trip_id_scheduled', 'route_id', 'route_type', 'ntd_mode', 'route_type_agency',
  'shape_id', 'pattern_id', 'direction_id', 'operator_id', 'block_id', 'trip_start_stop_id', 'trip_end_stop_id', 'schedule_trip_start',
  'schedule_trip_end', 'actual_trip_start', 'actual_trip_end', 'trip_type', 'schedule_relationship',
] as const;

export const STOP_VISITS_COLUMNS = [
  'service_date', 'trip_id_performed', 'trip_stop_sequence', 'scheduled_stop_sequence', 'pattern_id', 'vehicle_id', 'dwell', 'stop_id',
  'timepoint', 'schedule_arrival_time', 'schedule_departure_time', 'actual_arrival_time', 'actual_departure_time', 'distance', 'boarding_1',
  'alighting_1', 'boarding_2', 'alighting_2', 'departure_load', 'door_open', 'door_close', 'door_status', 'ramp_deployed_time',
  'ramp_failure', 'kneel_deployed_time', 'lift_deployed_time', 'bike_rack_deployed', 'bike_load', 'revenue', 'number_of_transactions',
  'schedule_relationship',
] as const;

type Row = Record<string, string | number | undefined>;

/** A CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break. */
function field(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(columns: readonly string[], rows: readonly Row[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => field(r[c])).join(','))].join('\r\n') + '\r\n';
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** A trip performed's relation to the schedule: run as planned, run without an order, or not run. */
function tripRelationship(t: PerformedTrip): string {
  if (t.classification === 'unscheduled') return 'Unscheduled';
  if (t.classification === 'missed') return 'Canceled';
  return 'Scheduled';
}

export function tripsPerformedCsv(trips: readonly PerformedTrip[]): string {
  return csv(
    TRIPS_PERFORMED_COLUMNS,
    trips.map((t) => {
      const first = t.visits[0];
      const last = t.visits[t.visits.length - 1];
      return {
        service_date: t.serviceDay,
        trip_id_performed: `${t.busId}:${t.tripId}`,
        vehicle_id: t.busId,
        trip_id_scheduled: t.classification === 'unscheduled' ? undefined : t.tripId,
        route_id: t.routeId,
        route_type: 'Bus',
        pattern_id: t.patternId,
        direction_id: t.directionId,
        operator_id: t.operatorId,
        trip_start_stop_id: first?.stopId,
        trip_end_stop_id: last?.stopId,
        schedule_trip_start: iso(t.plannedDepartureMs),
        schedule_trip_end: iso(t.plannedArrivalMs),
        actual_trip_start: iso(t.performed.startMs),
        actual_trip_end: iso(t.performed.endMs),
        trip_type: 'In service',
        schedule_relationship: tripRelationship(t),
      };
    }),
  );
}

const STOP_RELATIONSHIP = { visited: 'Scheduled', skipped: 'Skipped', unobserved: 'Missing' } as const;

export function stopVisitsCsv(trips: readonly PerformedTrip[]): string {
  return csv(
    STOP_VISITS_COLUMNS,
    trips.flatMap((t) =>
      t.visits.map((v) => ({
        service_date: t.serviceDay,
        trip_id_performed: `${t.busId}:${t.tripId}`,
        trip_stop_sequence: v.stopSequence,
        scheduled_stop_sequence: v.stopSequence,
        pattern_id: t.patternId,
        vehicle_id: t.busId,
        dwell: v.dwellS === undefined ? undefined : Math.round(v.dwellS),
        stop_id: v.stopId,
        schedule_arrival_time: iso(v.scheduledArrivalMs),
        schedule_departure_time: iso(v.scheduledDepartureMs),
        actual_arrival_time: iso(v.arrivalMs),
        actual_departure_time: iso(v.departureMs),
        distance: Math.round(v.distanceM),
        boarding_1: v.status === 'visited' ? v.boardings : undefined,
        door_status: v.doorOpened === undefined ? undefined : v.doorOpened ? 'Opened' : 'Not opened',
        revenue: v.status === 'visited' ? v.revenueVnd : undefined,
        number_of_transactions: v.status === 'visited' ? v.transactions : undefined,
        schedule_relationship: STOP_RELATIONSHIP[v.status],
      })),
    ),
  );
}
