/**
 * The transit network as BusFlow and the simulator use it, built from a GTFS feed: ids are the feed's ids,
 * times are service-day seconds, distances are metres along the pattern's shape. Everything is validated:
 * every reference resolves, every trip has at least two stop times in order with times.
 */
import type { LatLon } from '../kernel/geo/polyline.js';
import type { GtfsIssue } from './issues.js';

export interface Agency {
  agencyId: string;
  name: string;
  url: string;
  timezone: string;
  lang?: string;
  phone?: string;
}

export interface Route {
  routeId: string;
  agencyId: string;
  shortName: string;
  longName: string;
  /** GTFS route_type (3 = bus). */
  routeType: number;
  color?: string;
  textColor?: string;
  /** BusFlow extension column `subsidised` (1/0); undefined when the feed does not say. */
  subsidised?: boolean;
  /** Columns of routes.txt that GTFS does not define, verbatim. */
  extra: Record<string, string>;
}

export interface Stop extends LatLon {
  stopId: string;
  name: string;
  code?: string;
  /** GTFS location_type: 0 stop or platform, 1 station, 2 entrance, 3 generic node, 4 boarding area. */
  locationType: number;
  parentStation?: string;
}

export interface StopTime {
  stopId: string;
  stopSequence: number;
  /** Service-day seconds; may exceed 86 400 for trips past midnight. Interpolated when the feed left it blank. */
  arrivalS: number;
  departureS: number;
  /** Distance along the trip's pattern shape. */
  distanceM: number;
  /** GTFS pickup_type / drop_off_type: 0 regular, 1 none, 2 phone, 3 ask the driver. */
  pickupType: number;
  dropOffType: number;
  /** False when the feed marks the time approximate or left it blank (we interpolated it). */
  timepoint: boolean;
}

/** How a trip expanded from frequencies.txt came about. */
interface FrequencyOrigin {
  templateTripId: string;
  headwayS: number;
  /** exact_times = 1: schedule-based, departures exactly as listed; 0: frequency-based, only the headway holds. */
  exactTimes: boolean;
}

export interface Trip {
  tripId: string;
  routeId: string;
  serviceId: string;
  directionId?: 0 | 1;
  headsign?: string;
  blockId?: string;
  shapeId: string;
  patternId: string;
  stopTimes: StopTime[];
  frequency?: FrequencyOrigin;
}

interface ShapePoint extends LatLon {
  /** Distance from the shape's first point, measured on the geometry (not taken from shape_dist_traveled). */
  distanceM: number;
}

export interface Shape {
  shapeId: string;
  points: ShapePoint[];
  lengthM: number;
  /** True when the feed had no usable shape and we drew straight lines through the stops. */
  synthetic: boolean;
}

export interface PatternStop {
  stopId: string;
  /** Distance along the pattern's shape, non-decreasing across the pattern. */
  distanceM: number;
  /** How far the stop lies from the shape. */
  offsetM: number;
}

/** A unique ordered stop sequence with its shape, per route and direction; trips share it. */
export interface Pattern {
  patternId: string;
  routeId: string;
  directionId?: 0 | 1;
  headsign?: string;
  shapeId: string;
  stops: PatternStop[];
  lengthM: number;
  /** First and last stop are the same stop (or within a few metres): progress must not be read from position alone. */
  isLoop: boolean;
  tripIds: string[];
}

/** A service_id's days: weekly pattern over a date range, with added and removed dates (ISO YYYY-MM-DD). */
export interface Service {
  serviceId: string;
  /** Monday first, Sunday last. All false for a service defined by calendar_dates.txt only. */
  weekdays: [boolean, boolean, boolean, boolean, boolean, boolean, boolean];
  startDate?: string;
  endDate?: string;
  addedDates: string[];
  removedDates: string[];
}

export interface Network {
  /** The agencies' common IANA time zone, in which service-day seconds are read. */
  timezone: string;
  agencies: ReadonlyMap<string, Agency>;
  routes: ReadonlyMap<string, Route>;
  stops: ReadonlyMap<string, Stop>;
  trips: ReadonlyMap<string, Trip>;
  patterns: ReadonlyMap<string, Pattern>;
  shapes: ReadonlyMap<string, Shape>;
  services: ReadonlyMap<string, Service>;
}

export interface GtfsImport {
  network: Network;
  issues: GtfsIssue[];
}
