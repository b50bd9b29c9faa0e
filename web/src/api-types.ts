/** The parts of the `/v1` answers the console reads (the API's zod schemas in shared/api are the full contract). */
export interface Arrival {
  stopId: string;
  routeId: string;
  headsign?: string;
  tripId: string;
  vehicle?: { busId: string; plate?: string };
  scheduledAt: string;
  predictedAt: string;
  source: 'realtime' | 'scheduled';
  stale?: boolean;
  delayS?: number;
  stopsAway?: number;
}

export interface StopArrivals {
  stopId: string;
  at: string;
  items: Arrival[];
}

export interface Vehicle {
  busId: string;
  plate?: string;
  position?: { lat: number; lon: number; bearingDeg?: number; speedKmh?: number };
  routeId?: string;
  tripId?: string;
  /** While live: on a trip, or waiting at its terminal for the next one. */
  status?: 'in-service' | 'layover';
  nextStopId?: string;
  delayS?: number;
  lastFixAt?: string;
  ageS?: number;
  stale: boolean;
}

export interface RouteSummary {
  routeId: string;
  shortName: string;
  longName: string;
  operator: { operatorId: string; name: string };
  colour?: string;
}

export interface RouteDetail extends RouteSummary {
  patterns: {
    patternId: string;
    headsign?: string;
    stops: { stopSequence: number; stopId: string; name: string; lat: number; lon: number }[];
    shape: { type: 'LineString'; coordinates: [number, number][] };
  }[];
}

export interface StopDetail {
  stopId: string;
  name: string;
  code?: string;
  lat: number;
  lon: number;
  routes: { routeId: string; shortName: string; longName: string }[];
}

export const TRIP_ORDER_STATUSES = ['draft', 'issued', 'approved', 'in_service', 'closed', 'reconciled', 'cancelled'] as const;
export type TripOrderStatus = (typeof TRIP_ORDER_STATUSES)[number];

export interface TripOrder {
  id: string;
  orderNumber: string;
  serviceDay: string;
  operatorId: string;
  routeId: string;
  status: TripOrderStatus;
  vehicle: { busId: string; plate: string };
  driver: { driverId: string; name?: string };
  trips: { sequence: number; tripId?: string; directionId?: 0 | 1; plannedDeparture: string }[];
  history?: { at: string; action: string; reason?: string; actor: { role: string; id: string } }[];
}

export interface Paged<T> {
  items: T[];
  nextCursor?: string;
}
