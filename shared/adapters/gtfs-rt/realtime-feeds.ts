/**
 * The realtime feeds as served: built from the current network, the vehicles and their predictions as the ingest
 * path cached them (the arrivals API's) with their next trips, the day's cancelled trips, then kept
 * for a few seconds of the stack's clock, so that a burst of consumers costs one vehicles read and one build.
 * Both feeds come from the same build, so a consumer fetching both finds them paired.
 */
import { buildRealtimeFeeds, type RealtimeFeeds } from '../../domain/gtfs-rt/feeds.js';
import { servedNextTrips, servedTripArrivals } from '../../domain/gtfs-rt/live-arrivals.js';
import type { RealtimeVehicleSource } from '../../domain/gtfs-rt/ports.js';
import { serviceDayOf } from '../../kernel/time/service-day.js';
import type { DayTripOrders } from '../day-trip-orders.js';
import type { CurrentNetwork } from '../network/current-network.js';
import { encodeFeed } from './encode.js';

/** How long one build is served, ms of the stack's clock (consumers poll every 10–30 s). */
const FEED_TTL_MS = 5_000;
/** An older build is still served while the next one is being made, up to this age. */
const STALE_SERVE_MS = 30_000;

export interface ServedFeeds extends RealtimeFeeds {
  /** The protobuf bytes of each feed, encoded with the build. */
  encoded(feed: keyof RealtimeFeeds): Uint8Array;
}

export class RealtimeFeedCache {
  /** The last build that completed, with the instant it was made for. */
  private ready: { atMs: number; feeds: ServedFeeds } | undefined;
  private building: Promise<ServedFeeds> | undefined;
  constructor(
    private readonly network: Pick<CurrentNetwork, 'get'>,
    private readonly vehicles: RealtimeVehicleSource,
    /** The day's trip orders: the trips they called off are published CANCELED. */
    private readonly orders: Pick<DayTripOrders, 'of'>,
    private readonly now: () => number,
    private readonly ttlMs = FEED_TTL_MS,
  ) {}

  /** The feeds of the last few seconds; older, a new build (a recent one is served meanwhile, not waited for). */
  get(): Promise<ServedFeeds> {
    const nowMs = this.now();
    const ready = this.ready;
    // A clock set back makes the build from "the future" unusable.
    const ageMs = ready ? nowMs - ready.atMs : Number.POSITIVE_INFINITY;
    if (ready && ageMs >= 0 && ageMs < this.ttlMs) return Promise.resolve(ready.feeds);
    const building = this.building ?? this.startBuild(nowMs);
    return ready && ageMs >= 0 && ageMs < STALE_SERVE_MS ? Promise.resolve(ready.feeds) : building;
  }

  private startBuild(nowMs: number): Promise<ServedFeeds> {
    const building = this.build(nowMs);
    this.building = building;
    // A failed build is not kept: the next request tries again.
    void building
      .then(
        (feeds) => {
          this.ready = { atMs: nowMs, feeds };
        },
        () => undefined,
      )
      .finally(() => {
        if (this.building === building) this.building = undefined;
      });
    return building;
  }

  /** One build, its stages apart so that requests in between are answered (the event loop is shared). */
  private async build(nowMs: number): Promise<ServedFeeds> {
    const [{ network }, vehicles] = await Promise.all([this.network.get(), this.vehicles.vehicles()]);
    const header = { gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: Math.floor(nowMs / 1000) } as const;
    let feeds: RealtimeFeeds = { vehiclePositions: { header, entity: [] }, tripUpdates: { header, entity: [] } };
    if (network) {
      const serviceDate = serviceDayOf(nowMs, network.timezone);
      const { cancelled } = await this.orders.of(serviceDate);
      const arrivals = servedTripArrivals(network, vehicles, nowMs, serviceDate);
      const nextTrips = servedNextTrips(network, vehicles, nowMs, serviceDate);
      await yieldToRequests();
      feeds = buildRealtimeFeeds({ network, nowMs, serviceDate, vehicles, arrivals, cancelledTripIds: cancelled, nextTrips });
    }
    await yieldToRequests();
    const vehiclePositions = encodeFeed(feeds.vehiclePositions);
    await yieldToRequests();
    const tripUpdates = encodeFeed(feeds.tripUpdates);
    return { ...feeds, encoded: (name) => (name === 'tripUpdates' ? tripUpdates : vehiclePositions) };
  }
}

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));
