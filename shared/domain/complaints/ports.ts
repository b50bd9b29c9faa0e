/** What the complaint desk needs from the world: where complaints are kept, and where their evidence comes from. */
import type { GpsRecord } from '../../catalogue/index.js';
import type { JourneyRecord } from '../journeys/journey-record.js';
import type { ComplaintStop } from './stop-passes.js';
import type { Complaint, ComplaintVerdict } from './types.js';

export interface ComplaintFilter {
  serviceDay: string;
  /** Complaints that concern this operator. */
  operatorId?: string;
  verdict?: ComplaintVerdict;
}

export interface ComplaintStore {
  put(complaint: Complaint): Promise<void>;
  get(id: string): Promise<Complaint | undefined>;
  /** One page of a day's complaints in the order of their instants; `lastKey` absent on the last page. */
  page(filter: ComplaintFilter, limit: number, startKey?: Record<string, unknown>): Promise<{ items: Complaint[]; lastKey?: Record<string, unknown> }>;
}

export interface BusRegistryEntry {
  busId: string;
  operatorId: string;
  plate: string;
}

export interface ComplaintEvidenceSource {
  /** The network's time zone (service days and local times). */
  timeZone(): Promise<string>;
  stop(stopId: string): Promise<ComplaintStop | undefined>;
  routeExists(routeId: string): Promise<boolean>;
  bus(busId: string): Promise<BusRegistryEntry | undefined>;
  busesOfPlate(plate: string): Promise<BusRegistryEntry[]>;
  /** The operators under contract for the route on the day. */
  routeOperators(routeId: string, serviceDay: string): Promise<string[]>;
  /** A day's journeys of a route, or of a bus. */
  journeys(query: { serviceDay: string; routeId?: string; busId?: string }): Promise<JourneyRecord[]>;
  /** A bus's GPS fixes between two instants, in time order. */
  gps(busId: string, fromMs: number, toMs: number): Promise<GpsRecord[]>;
}
