/**
 * TIDES CSV exports of a day's journeys: trips_performed, stop_visits, passenger_events and fare_transactions,
 * columns exactly as TIDES names them, values as its table schemas type and enumerate them. Only trips with an
 * outcome are exported: a planned trip not due yet (scheduled) was not performed, nor canceled.
 */
import { isJudged, type JourneyRecord } from './journey-record.js';
import { roundWhole } from '../../kernel/util/rounding.js';
import { stableCardToken } from '../privacy/card-key-ring.js';

export const TRIPS_PERFORMED_COLUMNS = [
  'service_date',
  'trip_id_performed',
  'vehicle_id',
  'trip_id_scheduled',
  'route_id',
  'route_type',
  'ntd_mode',
  'route_type_agency',
  'shape_id',
  'pattern_id',
  'direction_id',
  'operator_id',
  'block_id',
  'trip_start_stop_id',
  'trip_end_stop_id',
  'schedule_trip_start',
  'schedule_trip_end',
  'actual_trip_start',
  'actual_trip_end',
  'trip_type',
  'schedule_relationship',
] as const;

export const STOP_VISITS_COLUMNS = [
  'service_date',
  'trip_id_performed',
  'trip_stop_sequence',
  'scheduled_stop_sequence',
  'pattern_id',
  'vehicle_id',
  'dwell',
  'stop_id',
  'timepoint',
  'schedule_arrival_time',
  'schedule_departure_time',
  'actual_arrival_time',
  'actual_departure_time',
  'distance',
  'boarding_1',
  'alighting_1',
  'boarding_2',
  'alighting_2',
  'departure_load',
  'door_open',
  'door_close',
  'door_status',
  'ramp_deployed_time',
  'ramp_failure',
  'kneel_deployed_time',
  'lift_deployed_time',
  'bike_rack_deployed',
  'bike_load',
  'revenue',
  'number_of_transactions',
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
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => field(r[c])).join(','))].join('\r\n')}\r\n`;
}

/** A TIDES datetime: the Table Schema default format, `YYYY-MM-DDThh:mm:ssZ` (UTC, whole seconds). */
export function tidesDatetime(ms: number): string {
  return new Date(roundWhole(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : tidesDatetime(ms));

/** A trip performed's relation to the schedule: run as planned, run without an order, or not run. */
function tripRelationship(t: JourneyRecord): string {
  if (t.classification === 'unscheduled') return 'Unscheduled';
  if (t.classification === 'missed') return 'Canceled';
  return 'Scheduled';
}

/** trips_performed.csv: one row per trip with an outcome (run, partial, missed as Canceled, unscheduled as Unscheduled). */
export function tripsPerformedCsv(trips: readonly JourneyRecord[]): string {
  return csv(
    TRIPS_PERFORMED_COLUMNS,
    trips.filter(isJudged).map((t) => {
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

/**
 * TIDES door_status. The device reports one door signal (a door open or none), not which doors: an opening is
 * "Other configuration", since claiming "All doors opened" (or the front or back door alone) would say more
 * than was seen.
 */
function doorStatus(doorOpened: boolean | undefined): string | undefined {
  if (doorOpened === undefined) return undefined;
  return doorOpened ? 'Other configuration' : 'Doors did not open';
}

/** stop_visits.csv: every stop of every trip exported in trips_performed. */
export function stopVisitsCsv(trips: readonly JourneyRecord[]): string {
  return csv(
    STOP_VISITS_COLUMNS,
    trips.filter(isJudged).flatMap((t) =>
      t.visits.map((v) => ({
        service_date: t.serviceDay,
        trip_id_performed: `${t.busId}:${t.tripId}`,
        trip_stop_sequence: v.stopSequence,
        scheduled_stop_sequence: v.stopSequence,
        pattern_id: t.patternId,
        vehicle_id: t.busId,
        dwell: v.dwellS === undefined ? undefined : roundWhole(v.dwellS),
        stop_id: v.stopId,
        schedule_arrival_time: iso(v.scheduledArrivalMs),
        schedule_departure_time: iso(v.scheduledDepartureMs),
        actual_arrival_time: iso(v.arrivalMs),
        actual_departure_time: iso(v.departureMs),
        distance: roundWhole(v.distanceM),
        boarding_1: v.status === 'visited' ? v.boardings : undefined,
        door_status: doorStatus(v.doorOpened),
        revenue: v.status === 'visited' ? v.revenueVnd : undefined,
        number_of_transactions: v.status === 'visited' ? v.transactions : undefined,
        schedule_relationship: STOP_RELATIONSHIP[v.status],
      })),
    ),
  );
}

export const PASSENGER_EVENTS_COLUMNS = [
  'passenger_event_id',
  'service_date',
  'event_timestamp',
  'location_ping_id',
  'trip_id_performed',
  'trip_id_scheduled',
  'trip_stop_sequence',
  'scheduled_stop_sequence',
  'event_type',
  'vehicle_id',
  'device_id',
  'train_car_id',
  'stop_id',
  'pattern_id',
  'event_count',
] as const;

export const FARE_TRANSACTIONS_COLUMNS = [
  'transaction_id',
  'service_date',
  'event_timestamp',
  'location_ping_id',
  'amount',
  'currency_type',
  'fare_action',
  'trip_id_performed',
  'trip_id_scheduled',
  'pattern_id',
  'trip_stop_sequence',
  'scheduled_stop_sequence',
  'vehicle_id',
  'device_id',
  'fare_id',
  'stop_id',
  'num_riders',
  'fare_media_id',
  'rider_category',
  'fare_product',
  'fare_period',
  'fare_capped',
  'token_id',
  'balance',
] as const;

/** Arrivals, door openings, boardings and departures at each visited stop. */
export function passengerEventsCsv(trips: readonly JourneyRecord[]): string {
  const rows: Row[] = [];
  for (const t of trips.filter(isJudged)) {
    for (const v of t.visits) {
      if (v.status !== 'visited') continue;
      const base = {
        service_date: t.serviceDay,
        trip_id_performed: `${t.busId}:${t.tripId}`,
        trip_id_scheduled: t.classification === 'unscheduled' ? undefined : t.tripId,
        trip_stop_sequence: v.stopSequence,
        scheduled_stop_sequence: v.stopSequence,
        vehicle_id: t.busId,
        stop_id: v.stopId,
        pattern_id: t.patternId,
      };
      const event = (type: string, ms: number | undefined, count?: number) =>
        ms !== undefined &&
        rows.push({
          ...base,
          passenger_event_id: `${t.busId}:${t.tripId}:${v.stopSequence}:${type}`,
          event_timestamp: iso(ms),
          event_type: type,
          event_count: count,
        });
      event('Vehicle arrived at stop', v.arrivalMs);
      if (v.doorOpened) event('Door opened', v.arrivalMs);
      if (v.boardings) event('Passenger boarded', v.arrivalMs, v.boardings);
      event('Vehicle departed stop', v.departureMs);
    }
  }
  return csv(PASSENGER_EVENTS_COLUMNS, rows);
}

const FARE_MEDIA: Record<string, string> = { card: 'Smart card or ticket', qr: 'Optical scan', bank: 'Bank card', cash: 'Cash or coins' };
const FARE_ACTION: Record<string, string> = { single: 'Purchase', transfer: 'Transfer entrance' };
const RIDER: Record<string, string> = { student: 'Student', priority: 'Senior or disabled', free: 'Free' };

/**
 * Every tap of a visited stop. The token is a keyed hash of the card, never its number: the hash under the oldest
 * key version the tap carries, so that a card keeps one token across a key rotation until the older key retires
 * (`stableCardToken`, docs/privacy.md).
 */
export function fareTransactionsCsv(trips: readonly JourneyRecord[]): string {
  const rows: Row[] = [];
  for (const t of trips.filter(isJudged)) {
    for (const v of t.visits) {
      for (const tap of v.taps ?? []) {
        rows.push({
          transaction_id: `${t.busId}:${tap.tapId}`,
          service_date: t.serviceDay,
          event_timestamp: iso(tap.ts),
          amount: tap.amountVnd,
          currency_type: 'VND',
          fare_action: FARE_ACTION[tap.product] ?? 'Enter',
          trip_id_performed: `${t.busId}:${t.tripId}`,
          trip_id_scheduled: t.classification === 'unscheduled' ? undefined : t.tripId,
          pattern_id: t.patternId,
          trip_stop_sequence: v.stopSequence,
          scheduled_stop_sequence: v.stopSequence,
          vehicle_id: t.busId,
          stop_id: v.stopId,
          num_riders: 1,
          fare_media_id: FARE_MEDIA[tap.medium] ?? 'Other type',
          rider_category: RIDER[tap.product],
          fare_product: tap.product,
          fare_capped: 'false',
          token_id: tap.medium === 'cash' ? undefined : stableCardToken(tap),
        });
      }
    }
  }
  return csv(FARE_TRANSACTIONS_COLUMNS, rows);
}
