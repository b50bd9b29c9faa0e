/**
 * What the realtime feeds read: each bus's last fix, the trip it runs, and that trip's predicted arrivals as the
 * ingest path cached them (the same the arrivals API serves). The vehicles table gives all three; the live side
 * may add the route and the trip's start (service date) later.
 */
import type { CachedTripPrediction } from '../predictions/cache-changes.js';

/** A bus as the realtime feeds need it. */
export interface RealtimeVehicle {
  busId: string;
  /** Shown to riders (the plate). */
  label?: string;
  /** Time of the last fix, epoch ms. */
  fixMs: number;
  lat: number;
  lon: number;
  /** Degrees clockwise from true north. */
  bearingDeg?: number;
  speedKmh?: number;
  /** The network's trip id (a frequencies.txt run's own id); absent: not on a trip. */
  tripId?: string;
  /** The route the bus says it runs; a claim that contradicts the trip's route is not published. */
  routeId?: string;
  /** The trip's service date, YYYY-MM-DD; absent: the current service day. */
  serviceDate?: string;
  /** Its trip's predicted arrivals, cached by the ingest path; absent: none yet. */
  prediction?: CachedTripPrediction;
  /** Its next trip's (not started: between trips, or on the trip before), with the predicted departure. */
  nextPrediction?: CachedTripPrediction;
}

/** The buses with a fix, whatever their age (the feeds leave stale ones out). */
export interface RealtimeVehicleSource {
  vehicles(): Promise<RealtimeVehicle[]>;
}
