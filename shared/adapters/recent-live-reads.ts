/**
 * The passengers' live reads (a stop's cached arrivals, a route's buses, one bus) kept for a second or two: at
 * hundreds of requests a second the same stop or route is asked many times within a second, and each ask would
 * otherwise be its own DynamoDB read. Buses report every 5–10 s, so an answer at most `ttlMs` older than the
 * table changes nothing a passenger can tell. Requests arriving while a read is in flight share it; a failed read
 * is not kept. An entry is fresh while both the stack's clock and wall time are within `ttlMs` of its read: on
 * AWS they are the same clock; locally, a clock held still (tests) or run fast (the simulator) does not stretch it.
 */
import type { DynamoArrivalsRepository } from './dynamodb/arrivals-repository.js';
import type { DynamoLiveVehicleRepository } from './dynamodb/live-vehicle-repository.js';
import type { CachedArrival } from '../domain/predictions/serving.js';
import type { LiveVehicleRecord } from '../domain/vehicles/live-view.js';

/** How long one read answers, ms (of the stack's clock and of wall time alike). */
const LIVE_READ_TTL_MS = 2_000;
/** Beyond this many keys the oldest reads are dropped: a Lambda's memory stays bounded. */
const MAX_KEYS = 5_000;

/** Reads by key, each answering for `ttlMs`; concurrent asks of a key share its read in flight. */
export class ShortReadCache<T> {
  private readonly entries = new Map<string, { atMs: number; atWallMs: number; value: Promise<T> }>();

  constructor(
    /** The stack's clock. */
    private readonly now: () => number,
    private readonly ttlMs = LIVE_READ_TTL_MS,
    /** Wall time, so that a clock held still does not keep an entry for ever. */
    private readonly wallNow: () => number = Date.now,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  get(key: string, read: () => Promise<T>): Promise<T> {
    const nowMs = this.now();
    const wallMs = this.wallNow();
    const cached = this.entries.get(key);
    if (cached && fresh(nowMs - cached.atMs, this.ttlMs) && fresh(wallMs - cached.atWallMs, this.ttlMs)) return cached.value;
    const value = read();
    // A Map iterates in insertion order: re-inserting keeps the oldest reads first, and they go first.
    this.entries.delete(key);
    if (this.entries.size >= this.maxKeys) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { atMs: nowMs, atWallMs: wallMs, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}

/** A clock set back makes an entry from "the future" unusable. */
function fresh(ageMs: number, ttlMs: number): boolean {
  return ageMs >= 0 && ageMs < ttlMs;
}

/** The arrivals cache's and the vehicles' reads of the passenger routes, each kept `ttlMs`. */
export class RecentLiveReads {
  private readonly stops: ShortReadCache<Map<string, CachedArrival>>;
  private readonly routes: ShortReadCache<LiveVehicleRecord[]>;
  private readonly buses: ShortReadCache<LiveVehicleRecord | undefined>;

  constructor(
    private readonly arrivals: Pick<DynamoArrivalsRepository, 'ofStop'>,
    private readonly vehicles: Pick<DynamoLiveVehicleRepository, 'get' | 'onRoute'>,
    now: () => number,
    ttlMs = LIVE_READ_TTL_MS,
    wallNow: () => number = Date.now,
  ) {
    this.stops = new ShortReadCache(now, ttlMs, wallNow);
    this.routes = new ShortReadCache(now, ttlMs, wallNow);
    this.buses = new ShortReadCache(now, ttlMs, wallNow);
  }

  /** The stop's cached arrivals by trip (not copied: callers only read them). */
  ofStop(stopId: string, nowMs: number): Promise<Map<string, CachedArrival>> {
    return this.stops.get(stopId, () => this.arrivals.ofStop(stopId, nowMs));
  }

  onRoute(routeId: string): Promise<LiveVehicleRecord[]> {
    return this.routes.get(routeId, () => this.vehicles.onRoute(routeId));
  }

  get(busId: string): Promise<LiveVehicleRecord | undefined> {
    return this.buses.get(busId, () => this.vehicles.get(busId));
  }
}
