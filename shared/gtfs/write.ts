/**
 * A network written back as a GTFS feed, with the ids BusFlow uses: what was imported, so that a consumer of
 * the realtime feeds finds every route, stop and trip they name. Trips expanded from frequencies.txt go back
 * as their template trip and frequency rows (re-importing them gives the same trip ids); shapes are the
 * geometry BusFlow measures on.
 */
import { strToU8, zipSync } from 'fflate';
import type { Network, Service, Trip } from './model.js';
import { formatGtfsTime } from './time.js';

type Cell = string | number | undefined;

/** One CSV field as RFC 4180 wants it: quoted when it holds a comma, a quote or a line break. */
function field(value: Cell): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(columns: readonly string[], rows: readonly Cell[][]): string {
  return `${[columns, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}

const gtfsDate = (iso: string | undefined) => iso?.replace(/-/g, '');
const byId = <T>(map: ReadonlyMap<string, T>): T[] => [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);

/** The feed's files (name → CSV text). */
export function writeGtfsFiles(network: Network): Map<string, string> {
  const files = new Map<string, string>();
  files.set(
    'agency.txt',
    csv(
      ['agency_id', 'agency_name', 'agency_url', 'agency_timezone', 'agency_lang', 'agency_phone'],
      byId(network.agencies).map((a) => [a.agencyId, a.name, a.url, a.timezone, a.lang, a.phone]),
    ),
  );
  const routes = byId(network.routes);
  const extraColumns = [...new Set(routes.flatMap((r) => Object.keys(r.extra)))].filter((c) => c !== 'subsidised').sort();
  files.set(
    'routes.txt',
    csv(
      ['route_id', 'agency_id', 'route_short_name', 'route_long_name', 'route_type', 'route_color', 'route_text_color', 'subsidised', ...extraColumns],
      routes.map((r) => [
        r.routeId,
        r.agencyId,
        r.shortName,
        r.longName,
        r.routeType,
        r.color,
        r.textColor,
        r.subsidised === undefined ? undefined : Number(r.subsidised),
        ...extraColumns.map((c) => r.extra[c]),
      ]),
    ),
  );
  files.set(
    'stops.txt',
    csv(
      ['stop_id', 'stop_code', 'stop_name', 'stop_lat', 'stop_lon', 'location_type', 'parent_station'],
      byId(network.stops).map((s) => [s.stopId, s.code, s.name, s.lat, s.lon, s.locationType, s.parentStation]),
    ),
  );
  const services = byId(network.services);
  files.set(
    'calendar.txt',
    csv(
      ['service_id', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'start_date', 'end_date'],
      services.filter((s) => s.startDate && s.endDate).map((s) => [s.serviceId, ...s.weekdays.map(Number), gtfsDate(s.startDate), gtfsDate(s.endDate)]),
    ),
  );
  files.set('calendar_dates.txt', csv(['service_id', 'date', 'exception_type'], services.flatMap(calendarDates)));

  const { trips, frequencies } = templatesOf(network);
  files.set(
    'trips.txt',
    csv(
      ['route_id', 'service_id', 'trip_id', 'trip_headsign', 'direction_id', 'block_id', 'shape_id'],
      trips.map((t) => [t.routeId, t.serviceId, t.tripId, t.headsign, t.directionId, t.blockId, t.shapeId]),
    ),
  );
  files.set(
    'stop_times.txt',
    csv(
      ['trip_id', 'arrival_time', 'departure_time', 'stop_id', 'stop_sequence', 'pickup_type', 'drop_off_type', 'timepoint'],
      trips.flatMap((t) =>
        t.stopTimes.map((st) => [
          t.tripId,
          formatGtfsTime(st.arrivalS),
          formatGtfsTime(st.departureS),
          st.stopId,
          st.stopSequence,
          st.pickupType,
          st.dropOffType,
          Number(st.timepoint),
        ]),
      ),
    ),
  );
  if (frequencies.length) files.set('frequencies.txt', csv(['trip_id', 'start_time', 'end_time', 'headway_secs', 'exact_times'], frequencies));
  files.set(
    'shapes.txt',
    csv(
      ['shape_id', 'shape_pt_lat', 'shape_pt_lon', 'shape_pt_sequence', 'shape_dist_traveled'],
      byId(network.shapes).flatMap((s) => s.points.map((p, i) => [s.shapeId, p.lat, p.lon, i + 1, Math.round(p.distanceM * 10) / 10])),
    ),
  );
  return files;
}

/** The feed as a zip archive. */
export function writeGtfsZip(network: Network): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, text] of writeGtfsFiles(network)) entries[name] = strToU8(text);
  // A fixed time stamp: the same network gives the same bytes.
  return zipSync(entries, { level: 6, mtime: new Date('2026-01-01T00:00:00Z') });
}

function calendarDates(s: Service): Cell[][] {
  return [...s.addedDates.map((d) => [s.serviceId, gtfsDate(d), 1]), ...s.removedDates.map((d) => [s.serviceId, gtfsDate(d), 2])].sort((a, b) =>
    String(a[1]).localeCompare(String(b[1])),
  );
}

/**
 * The trips to write: ordinary trips as they are, and for each frequency template one trip (the stop times of
 * its earliest expansion) with a frequency row per run of departures at the same headway.
 */
function templatesOf(network: Network): { trips: Trip[]; frequencies: Cell[][] } {
  const trips: Trip[] = [];
  const expanded = new Map<string, Trip[]>();
  for (const trip of byId(network.trips)) {
    if (!trip.frequency) trips.push(trip);
    else {
      const list = expanded.get(trip.frequency.templateTripId);
      if (list) list.push(trip);
      else expanded.set(trip.frequency.templateTripId, [trip]);
    }
  }
  const frequencies: Cell[][] = [];
  for (const [templateTripId, list] of [...expanded.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const ordered = list.sort((a, b) => a.stopTimes[0]!.departureS - b.stopTimes[0]!.departureS);
    const { frequency: _f, ...first } = ordered[0]!;
    trips.push({ ...first, tripId: templateTripId });
    let run: Trip[] = [];
    const close = () => {
      const f = run[0]!.frequency!;
      const lastS = run.at(-1)!.stopTimes[0]!.departureS;
      frequencies.push([
        templateTripId,
        formatGtfsTime(run[0]!.stopTimes[0]!.departureS),
        formatGtfsTime(lastS + f.headwayS),
        f.headwayS,
        Number(f.exactTimes),
      ]);
    };
    for (const trip of ordered) {
      const prev = run.at(-1);
      if (
        prev &&
        (trip.frequency!.headwayS !== prev.frequency!.headwayS || trip.stopTimes[0]!.departureS - prev.stopTimes[0]!.departureS !== prev.frequency!.headwayS)
      ) {
        close();
        run = [];
      }
      run.push(trip);
    }
    close();
  }
  return { trips, frequencies };
}
