/**
 * A service day's trip orders as passengers' predictions read them (cancelled trips, planned departures), and a
 * bus's own orders of the day; each read at most once a minute, the previous read answering while it is read again.
 */
import type { DynamoTripOrderRepository } from './dynamodb/trip-order-repository.js';
import { orderedTripsOf, type OrderedTrips } from '../domain/trip-orders/cancelled-trips.js';
import type { TripOrder } from '../domain/trip-orders/schemas.js';

const REFRESH_MS = 60_000;
/** A read older than this is waited for again rather than served while its refresh is under way. */
const MAX_STALE_MS = 5 * 60_000;

/**
 * Reads kept for a minute of wall time (not transit time), a failed read not kept. With `serveWhileRefreshing`,
 * past the minute the last read that succeeded is still answered while one read refreshes it (up to
 * `MAX_STALE_MS`): a passenger's request never waits for the minute's refresh, which on a large day means many pages.
 */
class MinuteCache<T> {
  private readonly entries = new Map<string, { atMs: number; value: Promise<T>; settled: boolean; refreshing: boolean }>();

  constructor(
    private readonly now: () => number,
    private readonly maxEntries: number,
    private readonly serveWhileRefreshing = false,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const nowMs = this.now();
    const cached = this.entries.get(key);
    if (cached && nowMs - cached.atMs < REFRESH_MS) return cached.value;
    if (this.serveWhileRefreshing && cached?.settled && nowMs - cached.atMs < MAX_STALE_MS) {
      if (!cached.refreshing) {
        cached.refreshing = true;
        load().then(
          (v) => {
            if (this.entries.get(key) === cached) this.entries.set(key, { atMs: this.now(), value: Promise.resolve(v), settled: true, refreshing: false });
          },
          () => {
            cached.refreshing = false;
          },
        );
      }
      return cached.value;
    }
    const value = load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const entry = { atMs: nowMs, value, settled: false, refreshing: false };
    this.entries.set(key, entry);
    value.then(
      () => {
        entry.settled = true;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }
}

export class DayTripOrders {
  private readonly days: MinuteCache<OrderedTrips>;
  private readonly buses: MinuteCache<TripOrder[]>;

  constructor(
    private readonly orders: Pick<DynamoTripOrderRepository, 'list' | 'ofVehicle'>,
    /** Wall time for the cache's age (not transit time). */
    now: () => number = Date.now,
  ) {
    this.days = new MinuteCache(now, 4, true);
    this.buses = new MinuteCache(now, 5000);
  }

  /** The day's cancelled trips and the planned departure of each trip an order runs. */
  of(serviceDay: string): Promise<OrderedTrips> {
    return this.days.get(serviceDay, () => this.load(serviceDay));
  }

  /** The bus's orders of the day. */
  ofBus(busId: string, serviceDay: string): Promise<TripOrder[]> {
    return this.buses.get(`${busId}|${serviceDay}`, () => this.orders.ofVehicle(busId, serviceDay));
  }

  private async load(serviceDay: string): Promise<OrderedTrips> {
    const all: TripOrder[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await this.orders.list({ serviceDay }, 200, after);
      all.push(...page.items);
      after = page.lastKey;
    } while (after);
    return orderedTripsOf(all);
  }
}
