/**
 * What the realtime feeds read: each bus's last fix and the trip it runs. Today the vehicles table gives the
 * position and the duty's trip; the live side may add the route and the trip's start (service date) later.
 */

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
}

/** The buses with a fix, whatever their age (the feeds leave stale ones out). */
export interface RealtimeVehicleSource {
  vehicles(): Promise<RealtimeVehicle[]>;
}
