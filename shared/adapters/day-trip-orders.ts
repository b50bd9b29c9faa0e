/**
 * A service day's trip orders as passengers' predictions read them (cancelled trips, planned departures), and a
 * bus's own orders of the day; each read at most once a minute.
 */
import type { DynamoTripOrderRepository } from './dynamodb/trip-order-repository.js';
import { orderedTripsOf, type OrderedTrips } from '../domain/trip-orders/cancelled-trips.js';
import type { TripOrder } from '../domain/trip-orders/schemas.js';

const REFRESH_MS = 60_000;

/** Reads kept for a minute of wall time (not transit time), a failed read not kept. */
class MinuteCache<T> {
  private readonly entries = new Map<string, { atMs: number; value: Promise<T> }>();

  constructor(
    private readonly now: () => number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached && this.now() - cached.atMs < REFRESH_MS) return cached.value;
    const value = load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { atMs: this.now(), value });
    value.catch(() => this.entries.delete(key));
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
    this.days = new MinuteCache(now, 4);
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
