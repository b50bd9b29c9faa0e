/**
 * Parsing of the schedule GTFS files (trips, stop_times, shapes, frequencies) into typed rows. Each row's own
 * values are checked here; references and the order of stop times are checked in validate.ts.
 */
import type { FeedFiles } from './feed-source.js';
import { firstById, readTable, RowReader } from './fields.js';
import type { IssueLog } from './issues.js';
import type { Lined } from './parse.js';

export type RawTrip = Lined<{
  tripId: string;
  routeId: string;
  serviceId: string;
  directionId?: 0 | 1;
  headsign?: string;
  blockId?: string;
  shapeId?: string;
}>;

export type RawStopTime = Lined<{
  tripId: string;
  stopId: string;
  stopSequence: number;
  /** Undefined when the feed leaves the time blank (allowed between timepoints). */
  arrivalS?: number;
  departureS?: number;
  pickupType: number;
  dropOffType: number;
  /** timepoint column: undefined when blank (GTFS then means exact times). */
  timepoint?: boolean;
}>;

export type RawShapePoint = Lined<{ shapeId: string; lat: number; lon: number; sequence: number }>;

export type RawFrequency = Lined<{ tripId: string; startS: number; endS: number; headwayS: number; exactTimes: boolean }>;

/** trips.txt: trips keyed by id. */
export function parseTrips(files: FeedFiles, log: IssueLog): Map<string, RawTrip> {
  const file = 'trips.txt';
  const rows = readTable(files, file, { required: true, columns: ['route_id', 'service_id', 'trip_id'] }, log) ?? [];
  const trips: RawTrip[] = [];
  for (const row of rows) {
    const r = new RowReader(file, row, log);
    const tripId = r.required('trip_id');
    const routeId = r.required('route_id');
    const serviceId = r.required('service_id');
    const direction = r.optionalNumber('direction_id', undefined, { integer: true, min: 0, max: 1 });
    if (!r.ok) continue;
    trips.push({
      tripId,
      routeId,
      serviceId,
      directionId: direction === undefined ? undefined : (direction as 0 | 1),
      headsign: r.optional('trip_headsign'),
      blockId: r.optional('block_id'),
      shapeId: r.optional('shape_id'),
      line: r.line,
    });
  }
  return firstById(file, 'trip_id', trips, (t) => t.tripId, log);
}

/** stop_times.txt rows, in file order. */
export function parseStopTimes(files: FeedFiles, log: IssueLog): RawStopTime[] {
  const file = 'stop_times.txt';
  const columns = ['trip_id', 'stop_id', 'stop_sequence'];
  const rows = readTable(files, file, { required: true, columns }, log) ?? [];
  const out: RawStopTime[] = [];
  for (const row of rows) {
    const r = new RowReader(file, row, log);
    const tripId = r.required('trip_id');
    const stopId = r.required('stop_id');
    const stopSequence = r.requiredNumber('stop_sequence', { integer: true, min: 0 });
    let arrivalS = r.time('arrival_time');
    let departureS = r.time('departure_time');
    // GTFS: a stop with one time but not the other means both are the same.
    if (arrivalS === undefined && departureS !== undefined && r.ok) arrivalS = departureS;
    if (departureS === undefined && arrivalS !== undefined && r.ok) departureS = arrivalS;
    if (arrivalS !== undefined && departureS !== undefined && departureS < arrivalS) {
      r.fail('departure_time', 'departure_time is before arrival_time');
    }
    const pickupType = r.optionalNumber('pickup_type', 0, { integer: true, min: 0, max: 3 });
    const dropOffType = r.optionalNumber('drop_off_type', 0, { integer: true, min: 0, max: 3 });
    const timepoint = r.optionalNumber('timepoint', undefined, { integer: true, min: 0, max: 1 });
    if (!r.ok) continue;
    out.push({
      tripId,
      stopId,
      stopSequence,
      arrivalS,
      departureS,
      pickupType,
      dropOffType,
      timepoint: timepoint === undefined ? undefined : timepoint === 1,
      line: r.line,
    });
  }
  return out;
}

/** shapes.txt rows (optional file), in file order. */
export function parseShapePoints(files: FeedFiles, log: IssueLog): RawShapePoint[] {
  const file = 'shapes.txt';
  const columns = ['shape_id', 'shape_pt_lat', 'shape_pt_lon', 'shape_pt_sequence'];
  const rows = readTable(files, file, { required: false, columns }, log) ?? [];
  const out: RawShapePoint[] = [];
  for (const row of rows) {
    const r = new RowReader(file, row, log);
    const shapeId = r.required('shape_id');
    const lat = r.requiredNumber('shape_pt_lat', { min: -90, max: 90 });
    const lon = r.requiredNumber('shape_pt_lon', { min: -180, max: 180 });
    if (lat === 0 && lon === 0) r.fail('shape_pt_lat', 'coordinates 0,0 are a placeholder, not a position');
    const sequence = r.requiredNumber('shape_pt_sequence', { integer: true, min: 0 });
    if (!r.ok) continue;
    out.push({ shapeId, lat, lon, sequence, line: r.line });
  }
  return out;
}

/** frequencies.txt rows (optional file), in file order. */
export function parseFrequencies(files: FeedFiles, log: IssueLog): RawFrequency[] {
  const file = 'frequencies.txt';
  const columns = ['trip_id', 'start_time', 'end_time', 'headway_secs'];
  const rows = readTable(files, file, { required: false, columns }, log) ?? [];
  const out: RawFrequency[] = [];
  for (const row of rows) {
    const r = new RowReader(file, row, log);
    const tripId = r.required('trip_id');
    const startS = r.requiredTime('start_time');
    const endS = r.requiredTime('end_time');
    const headwayS = r.requiredNumber('headway_secs', { integer: true, min: 1 });
    const exact = r.optionalNumber('exact_times', 0, { integer: true, min: 0, max: 1 }, true);
    if (r.ok && endS <= startS) r.fail('end_time', 'end_time is not after start_time');
    if (!r.ok) continue;
    out.push({ tripId, startS, endS, headwayS, exactTimes: exact === 1, line: r.line });
  }
  return out;
}
