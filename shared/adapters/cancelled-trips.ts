/** The cancelled trips of a service day from its trip orders, read at most once a minute per day. */
import type { DynamoTripOrderRepository } from './dynamodb/trip-order-repository.js';
import { cancelledTripIds } from '../domain/trip-orders/cancelled-trips.js';
import type { TripOrder } from '../domain/trip-orders/schemas.js';

const REFRESH_MS = 60_000;

export class CancelledTrips {
  private readonly days = new Map<string, { atMs: number; tripIds: Promise<Set<string>> }>();

  constructor(
    private readonly orders: Pick<DynamoTripOrderRepository, 'list'>,
    /** Wall time for the cache's age (not transit time). */
    private readonly now: () => number = Date.now,
  ) {}

  of(serviceDay: string): Promise<Set<string>> {
    const cached = this.days.get(serviceDay);
    if (cached && this.now() - cached.atMs < REFRESH_MS) return cached.tripIds;
    const tripIds = this.load(serviceDay);
    if (this.days.size > 4) this.days.clear();
    this.days.set(serviceDay, { atMs: this.now(), tripIds });
    // A failed read is not kept: the next request tries again.
    tripIds.catch(() => this.days.delete(serviceDay));
    return tripIds;
  }

  private async load(serviceDay: string): Promise<Set<string>> {
    const all: TripOrder[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await this.orders.list({ serviceDay }, 200, after);
      all.push(...page.items);
      after = page.lastKey;
    } while (after);
    return cancelledTripIds(all);
  }
}
