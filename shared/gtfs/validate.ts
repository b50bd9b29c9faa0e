/**
 * Cross-file checks: every reference resolves (trip → route, service, shape; stop_time → trip, stop;
 * route → agency), every trip's stop times are in order with times that never go backwards. What fails is
 * dropped with an error naming file, line and field; the rest goes on to be imported.
 */
import type { LatLon } from '../kernel/geo/polyline.js';
import { SERVICE_TIMEZONE } from '../kernel/time/service-day.js';
import type { FeedFiles } from './feed-source.js';
import type { IssueLog } from './issues.js';
import type { Agency, Route, Service, Stop } from './model.js';
import { parseAgencies, parseRoutes, parseServices, parseStops } from './parse.js';
import { parseFrequencies, parseShapePoints, parseStopTimes, parseTrips, type RawFrequency, type RawStopTime, type RawTrip } from './parse-trips.js';
import { formatGtfsTime } from './time.js';

/** A feed whose references all resolve; trips have ≥ 2 ordered stop times with first and last times set. */
export interface ValidatedFeed {
  timezone: string;
  agencies: Map<string, Agency>;
  routes: Map<string, Route>;
  stops: Map<string, Stop>;
  services: Map<string, Service>;
  /** Shapes with at least two points, ordered by shape_pt_sequence. */
  shapePoints: Map<string, LatLon[]>;
  /** Trips; `shapeId` is cleared when the shape is unknown, so a straight-line shape is drawn instead. */
  trips: Map<string, RawTrip>;
  stopTimesByTrip: Map<string, RawStopTime[]>;
  frequencies: RawFrequency[];
}

const strip = <T extends { line: number }>(x: T): Omit<T, 'line'> => {
  const { line: _line, ...rest } = x;
  return rest;
};

/** Parses every file and checks references and stop-time order, logging issues and dropping what fails. */
export function validateFeed(files: FeedFiles, log: IssueLog): ValidatedFeed {
  const agencyRows = parseAgencies(files, log);
  const timezone = agencyRows.values().next().value?.timezone ?? SERVICE_TIMEZONE;
  const agencies = new Map<string, Agency>();
  for (const a of agencyRows.values()) {
    if (a.timezone !== timezone) {
      const message = `all agencies must share one time zone (${timezone}); agency ignored`;
      log.error('agency.txt', a.line, 'agency_timezone', message);
    } else agencies.set(a.agencyId, strip(a));
  }

  const routes = new Map<string, Route>();
  for (const r of parseRoutes(files, log).values()) {
    const only = agencies.size === 1 ? agencies.keys().next().value : undefined;
    const agencyId = r.agencyId ?? only;
    if (agencyId === undefined) {
      log.error('routes.txt', r.line, 'agency_id', 'required when the feed has several agencies; route ignored');
    } else if (!agencies.has(agencyId)) {
      log.error('routes.txt', r.line, 'agency_id', `unknown agency_id "${agencyId}"; route ignored`);
    } else routes.set(r.routeId, { ...strip(r), agencyId });
  }

  const stopRows = parseStops(files, log);
  const stops = new Map<string, Stop>();
  for (const s of stopRows.values()) {
    // Generic nodes and boarding areas may have no position; they only serve pathways, which BusFlow does not use.
    if (!Number.isFinite(s.lat) || !Number.isFinite(s.lon)) continue;
    const stop = strip(s);
    // A boarding area belongs to a platform; anything else to a station.
    const parentType = stop.locationType === 4 ? 0 : 1;
    if (stop.parentStation !== undefined && stopRows.get(stop.parentStation)?.locationType !== parentType) {
      const message = `"${stop.parentStation}" is not a ${parentType === 1 ? 'station' : 'platform'} in stops.txt; ignored`;
      log.warning('stops.txt', s.line, 'parent_station', message);
      delete stop.parentStation;
    }
    stops.set(stop.stopId, stop);
  }

  const services = new Map<string, Service>();
  for (const s of parseServices(files, log).values()) services.set(s.serviceId, strip(s));

  const shapePoints = validShapes(files, log);

  const trips = new Map<string, RawTrip>();
  for (const t of parseTrips(files, log).values()) {
    if (!routes.has(t.routeId)) {
      log.error('trips.txt', t.line, 'route_id', `unknown route_id "${t.routeId}"; trip ignored`);
    } else if (!services.has(t.serviceId)) {
      log.error('trips.txt', t.line, 'service_id', `unknown service_id "${t.serviceId}"; trip ignored`);
    } else {
      if (t.shapeId !== undefined && !shapePoints.has(t.shapeId)) {
        const message = `unknown shape_id "${t.shapeId}"; a straight-line shape through the stops is used`;
        log.warning('trips.txt', t.line, 'shape_id', message);
        t.shapeId = undefined;
      }
      trips.set(t.tripId, t);
    }
  }

  const stopTimesByTrip = validStopTimes(files, log, trips, stops);
  const frequencies = parseFrequencies(files, log).filter((f) => {
    if (stopTimesByTrip.has(f.tripId)) return true;
    log.error('frequencies.txt', f.line, 'trip_id', `unknown or unusable trip_id "${f.tripId}"; row ignored`);
    return false;
  });
  return { timezone, agencies, routes, stops, services, shapePoints, trips, stopTimesByTrip, frequencies };
}

/** Shapes grouped and ordered by sequence; a shape left with fewer than two points is dropped. */
function validShapes(files: FeedFiles, log: IssueLog): Map<string, LatLon[]> {
  const grouped = new Map<string, ReturnType<typeof parseShapePoints>>();
  for (const p of parseShapePoints(files, log)) {
    const list = grouped.get(p.shapeId) ?? [];
    list.push(p);
    grouped.set(p.shapeId, list);
  }
  const shapes = new Map<string, LatLon[]>();
  for (const [shapeId, points] of grouped) {
    points.sort((a, b) => a.sequence - b.sequence || a.line - b.line);
    const kept = points.filter((p, i) => {
      const prev = points[i - 1];
      if (prev && prev.sequence === p.sequence) {
        const message = `duplicate shape_pt_sequence ${p.sequence} in shape "${shapeId}"; point ignored`;
        log.error('shapes.txt', p.line, 'shape_pt_sequence', message);
        return false;
      }
      return true;
    });
    if (kept.length < 2) {
      log.error('shapes.txt', points[0]!.line, 'shape_id', `shape "${shapeId}" has fewer than two points; shape ignored`);
      continue;
    }
    shapes.set(
      shapeId,
      kept.map((p) => ({ lat: p.lat, lon: p.lon })),
    );
  }
  return shapes;
}

/** Stop times grouped per trip and ordered; a trip whose times are unusable is dropped from `trips`. */
function validStopTimes(files: FeedFiles, log: IssueLog, trips: Map<string, RawTrip>, stops: Map<string, Stop>): Map<string, RawStopTime[]> {
  const file = 'stop_times.txt';
  const grouped = new Map<string, RawStopTime[]>();
  for (const st of parseStopTimes(files, log)) {
    const stop = stops.get(st.stopId);
    if (!trips.has(st.tripId)) {
      log.error(file, st.line, 'trip_id', `unknown trip_id "${st.tripId}"; stop time ignored`);
    } else if (!stop) {
      log.error(file, st.line, 'stop_id', `unknown stop_id "${st.stopId}"; stop time ignored`);
    } else if (stop.locationType !== 0) {
      const message = `"${st.stopId}" is not a stop (location_type ${stop.locationType}); stop time ignored`;
      log.error(file, st.line, 'stop_id', message);
    } else {
      const list = grouped.get(st.tripId) ?? [];
      list.push(st);
      grouped.set(st.tripId, list);
    }
  }

  const out = new Map<string, RawStopTime[]>();
  for (const trip of [...trips.values()]) {
    const list = (grouped.get(trip.tripId) ?? []).sort((a, b) => a.stopSequence - b.stopSequence || a.line - b.line);
    const ordered = list.filter((st, i) => {
      const prev = list[i - 1];
      if (prev && prev.stopSequence === st.stopSequence) {
        const message = `duplicate stop_sequence ${st.stopSequence} in trip "${trip.tripId}"; stop time ignored`;
        log.error(file, st.line, 'stop_sequence', message);
        return false;
      }
      return true;
    });
    const problem = timingProblem(ordered, log);
    if (ordered.length < 2) {
      const message = `trip "${trip.tripId}" has ${ordered.length} usable stop times, needs 2; trip ignored`;
      log.error('trips.txt', trip.line, 'trip_id', message);
    } else if (problem) {
      log.error(file, problem.line, problem.field, `${problem.message}; trip "${trip.tripId}" ignored`);
    } else {
      out.set(trip.tripId, ordered);
      continue;
    }
    trips.delete(trip.tripId);
  }
  return out;
}

/** The first reason a trip's times cannot be used (missing at an end, or going backwards); warns about blanks. */
interface TimingProblem {
  line: number;
  field: string;
  message: string;
}

function timingProblem(stopTimes: RawStopTime[], log: IssueLog): TimingProblem | undefined {
  const first = stopTimes[0];
  const last = stopTimes[stopTimes.length - 1];
  if (!first || !last || first === last) return undefined;
  if (first.departureS === undefined) {
    return { line: first.line, field: 'departure_time', message: 'the first stop time has no time' };
  }
  if (last.arrivalS === undefined) {
    return { line: last.line, field: 'arrival_time', message: 'the last stop time has no time' };
  }
  let prevDeparture = first.departureS;
  for (const st of stopTimes.slice(1)) {
    if (st.arrivalS === undefined) {
      if (st.timepoint !== false) {
        log.warning('stop_times.txt', st.line, 'arrival_time', 'time is blank but timepoint is not 0; interpolated');
      }
      continue;
    }
    if (st.arrivalS < prevDeparture) {
      return {
        line: st.line,
        field: 'arrival_time',
        message: `arrival_time ${formatGtfsTime(st.arrivalS)} is before the previous departure ${formatGtfsTime(prevDeparture)}`,
      };
    }
    prevDeparture = st.departureS ?? st.arrivalS;
  }
  return undefined;
}
