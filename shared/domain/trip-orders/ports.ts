/**
 * What the trip-order use cases (the order desk, the start of service, the day close) need from the world;
 * adapters implement these for DynamoDB and MQTT.
 */
import type { RouteContract } from '../contracts/schemas.js';
import type { VehicleRegistration } from './validate.js';
import type { TripOrder, TripOrderStatus } from './schemas.js';

export interface TripOrderFilter {
  serviceDay: string;
  operatorId?: string;
  routeId?: string;
  busId?: string;
  status?: TripOrderStatus;
}

export interface TripOrderPage {
  items: TripOrder[];
  /** Where the next page starts; absent on the last page. */
  lastKey?: Record<string, unknown>;
}

export interface TripOrderStore {
  /** Creates orders atomically; a duplicate id or order number is a Conflict. */
  create(orders: readonly TripOrder[]): Promise<void>;
  get(id: string): Promise<TripOrder | undefined>;
  /** Replaces an order if it is still at `expectedRevision`; otherwise a Conflict. */
  update(order: TripOrder, expectedRevision: number): Promise<void>;
  list(filter: TripOrderFilter, limit: number, after?: Record<string, unknown>): Promise<TripOrderPage>;
  ofVehicle(busId: string, serviceDay: string): Promise<TripOrder[]>;
}

export interface ContractStore {
  put(contracts: readonly RouteContract[]): Promise<void>;
  all(routeId?: string): Promise<RouteContract[]>;
}

export interface VehicleRegistry {
  registration(busId: string): Promise<VehicleRegistration | undefined>;
}

/** How long a trip takes, from the network (schedule) BusFlow holds. */
export interface TripDurations {
  tripDurationS(routeId: string, directionId?: 0 | 1, tripId?: string): number;
}

/** Tells a bus its approved order (MQTT `bus/{busId}/assignment`, retained). */
export interface AssignmentPublisher {
  publishAssignment(order: TripOrder): Promise<void>;
}
