/**
 * Parsing of the descriptive GTFS files (agency, routes, stops, calendar, calendar_dates) into typed rows.
 * Each row's own values are checked here; references between files are checked in validate.ts.
 */
import type { FeedFiles } from './feed-source.js';
import { firstById, readTable, RowReader } from './fields.js';
import type { IssueLog } from './issues.js';
import type { Agency, Route, Service, Stop } from './model.js';
import { isValidTimeZone } from './time.js';

/** A row with the line it came from, so later checks can point at it. */
export type Lined<T> = T & { line: number };

/** A route before its agency reference is resolved (agency_id may be blank in a one-agency feed). */
export type RawRoute = Lined<Omit<Route, 'agencyId'> & { agencyId?: string }>;

const ROUTE_COLUMNS = new Set([
  'route_id',
  'agency_id',
  'route_short_name',
  'route_long_name',
  'route_desc',
  'route_type',
  'route_url',
  'route_color',
  'route_text_color',
  'route_sort_order',
  'continuous_pickup',
  'continuous_drop_off',
  'network_id',
  'cemv_support',
]);
const ROUTE_TYPES = new Set([0, 1, 2, 3, 4, 5, 6, 7, 11, 12]);
const COLOR_RE = /^[0-9A-Fa-f]{6}$/;

/**
 * agency.txt: agencies keyed by id. A blank agency_id is allowed when there is only one agency; that agency is
 * then known by its agency_name, as OneBusAway's GTFS reader names it, so the id is stable from one import of
 * the feed to the next and never empty (it is a storage key).
 */
export function parseAgencies(files: FeedFiles, log: IssueLog): Map<string, Lined<Agency>> {
  const file = 'agency.txt';
  const rows = readTable(files, file, { required: true, columns: ['agency_name', 'agency_timezone'] }, log) ?? [];
  const agencies: Lined<Agency>[] = [];
  for (const row of rows) {
    const r = new RowReader(file, row, log);
    const agencyId = r.raw('agency_id');
    if (agencyId === '' && rows.length > 1) r.fail('agency_id', 'required when the feed has several agencies');
    const name = r.required('agency_name');
    const url = r.optional('agency_url') ?? '';
    if (url === '') r.warn('agency_url', 'agency_url is missing');
    const timezone = r.required('agency_timezone');
    if (timezone !== '' && !isValidTimeZone(timezone)) r.fail('agency_timezone', `unknown time zone "${timezone}"`);
    if (!r.ok) continue;
    agencies.push({
      agencyId: agencyId === '' ? name : agencyId,
      name,
      url,
      timezone,
      lang: r.optional('agency_lang'),
      phone: r.optional('agency_phone'),
      line: r.line,
    });
  }
  return firstById(file, 'agency_id', agencies, (a) => a.agencyId, log);
}

/** routes.txt: routes keyed by id; columns GTFS does not define are kept in `extra`. */
export function parseRoutes(files: FeedFiles, log: IssueLog): Map<string, RawRoute> {
  const file = 'routes.txt';
  const rows = readTable(files, file, { required: true, columns: ['route_id', 'route_type'] }, log) ?? [];
  const routes: RawRoute[] = [];
  for (const row of rows) {
    const r = new RowReader(file, row, log);
    const routeId = r.required('route_id');
    const shortName = r.raw('route_short_name');
    const longName = r.raw('route_long_name');
    if (shortName === '' && longName === '') r.fail('route_short_name', 'route_short_name or route_long_name is required');
    const routeType = r.requiredNumber('route_type', { integer: true, min: 0 });
    if (Number.isInteger(routeType) && !ROUTE_TYPES.has(routeType) && !(routeType >= 100 && routeType <= 1702)) {
      r.fail('route_type', `unknown route_type ${routeType}`);
    }
    const color = colour(r, 'route_color');
    const textColor = colour(r, 'route_text_color');
    const extra: Record<string, string> = {};
    for (const [k, v] of Object.entries(row.values)) if (!ROUTE_COLUMNS.has(k)) extra[k] = v.trim();
    let subsidised: boolean | undefined;
    const flag = r.raw('subsidised');
    if (flag === '1' || flag === '0') subsidised = flag === '1';
    else if (flag !== '') r.warn('subsidised', `expected 1 or 0, got "${flag}"; treated as unknown`);
    if (!r.ok) continue;
    routes.push({
      routeId,
      agencyId: r.optional('agency_id'),
      shortName,
      longName,
      routeType,
      color,
      textColor,
      subsidised,
      extra,
      line: r.line,
    });
  }
  return firstById(file, 'route_id', routes, (x) => x.routeId, log);
}

function colour(r: RowReader, field: string): string | undefined {
  const v = r.optional(field);
  if (v === undefined) return undefined;
  if (COLOR_RE.test(v)) return v.toUpperCase();
  r.warn(field, `not a six-digit hex colour: "${v}"; ignored`);
  return undefined;
}

/** stops.txt: stops keyed by id; stops, stations and entrances need real coordinates. */
export function parseStops(files: FeedFiles, log: IssueLog): Map<string, Lined<Stop>> {
  const file = 'stops.txt';
  const rows = readTable(files, file, { required: true, columns: ['stop_id'] }, log) ?? [];
  const stops: Lined<Stop>[] = [];
  for (const row of rows) {
    const r = new RowReader(file, row, log);
    const stopId = r.required('stop_id');
    const locationType = r.optionalNumber('location_type', 0, { integer: true, min: 0, max: 4 }, true);
    const needsPosition = locationType <= 2;
    const name = r.raw('stop_name');
    if (name === '' && needsPosition) r.fail('stop_name', 'required value is missing');
    let lat = Number.NaN;
    let lon = Number.NaN;
    if (needsPosition || r.raw('stop_lat') !== '' || r.raw('stop_lon') !== '') {
      lat = r.requiredNumber('stop_lat', { min: -90, max: 90 });
      lon = r.requiredNumber('stop_lon', { min: -180, max: 180 });
      if (lat === 0 && lon === 0) r.fail('stop_lat', 'coordinates 0,0 are a placeholder, not a position');
    }
    if (!r.ok) continue;
    stops.push({
      stopId,
      name,
      lat,
      lon,
      code: r.optional('stop_code'),
      locationType,
      parentStation: r.optional('parent_station'),
      line: r.line,
    });
  }
  return firstById(file, 'stop_id', stops, (s) => s.stopId, log);
}

const WEEKDAY_COLUMNS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** calendar.txt and calendar_dates.txt merged into services keyed by service_id. */
export function parseServices(files: FeedFiles, log: IssueLog): Map<string, Lined<Service>> {
  if (!files.has('calendar.txt') && !files.has('calendar_dates.txt')) {
    log.error('calendar.txt', 0, '', 'the feed needs calendar.txt or calendar_dates.txt');
  }
  const calendarColumns = ['service_id', ...WEEKDAY_COLUMNS, 'start_date', 'end_date'];
  const calendarRows = readTable(files, 'calendar.txt', { required: false, columns: calendarColumns }, log) ?? [];
  const calendar: Lined<Service>[] = [];
  for (const row of calendarRows) {
    const r = new RowReader('calendar.txt', row, log);
    const serviceId = r.required('service_id');
    const flag = (d: string) => r.requiredNumber(d, { integer: true, min: 0, max: 1 }) === 1;
    const weekdays = WEEKDAY_COLUMNS.map(flag) as Service['weekdays'];
    const startDate = r.requiredDate('start_date');
    const endDate = r.requiredDate('end_date');
    if (startDate && endDate && endDate < startDate) r.fail('end_date', 'end_date is before start_date');
    if (!r.ok) continue;
    calendar.push({ serviceId, weekdays, startDate, endDate, addedDates: [], removedDates: [], line: r.line });
  }
  const services = firstById('calendar.txt', 'service_id', calendar, (s) => s.serviceId, log);

  const file = 'calendar_dates.txt';
  const dateRows = readTable(files, file, { required: false, columns: ['service_id', 'date', 'exception_type'] }, log) ?? [];
  for (const row of dateRows) {
    const r = new RowReader(file, row, log);
    const serviceId = r.required('service_id');
    const date = r.requiredDate('date');
    const type = r.requiredNumber('exception_type', { integer: true, min: 1, max: 2 });
    if (!r.ok) continue;
    let service = services.get(serviceId);
    if (!service) {
      const weekdays: Service['weekdays'] = [false, false, false, false, false, false, false];
      service = { serviceId, weekdays, addedDates: [], removedDates: [], line: r.line };
      services.set(serviceId, service);
    }
    if (service.addedDates.includes(date) || service.removedDates.includes(date)) {
      r.warn('date', `service "${serviceId}" already has an exception on ${date}; row ignored`);
      continue;
    }
    (type === 1 ? service.addedDates : service.removedDates).push(date);
  }
  for (const s of services.values()) {
    s.addedDates.sort();
    s.removedDates.sort();
  }
  return services;
}
