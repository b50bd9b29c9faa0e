/**
 * The realtime feeds as served: built from the current network, the vehicles and their predictions, then kept
 * for a few seconds of the stack's clock, so that a burst of consumers costs one vehicles read and one build.
 * Both feeds come from the same build, so a consumer fetching both finds them paired.
 */
import { buildRealtimeFeeds, type RealtimeFeeds } from '../../domain/gtfs-rt/feeds.js';
import { predictLiveArrivals } from '../../domain/gtfs-rt/live-arrivals.js';
import type { RealtimeVehicleSource } from '../../domain/gtfs-rt/ports.js';
import { scheduleDelayPredictor } from '../../domain/predictions/predictors.js';
import { serviceDayOf } from '../../kernel/time/service-day.js';
import type { CurrentNetwork } from '../network/current-network.js';
import { encodeFeed } from './encode.js';

/** How long one build is served, ms of the stack's clock (consumers poll every 10–30 s). */
const FEED_TTL_MS = 5_000;

export interface ServedFeeds extends RealtimeFeeds {
  /** The protobuf bytes of each feed, encoded on first use. */
  encoded(feed: keyof RealtimeFeeds): Uint8Array;
}

export class RealtimeFeedCache {
  private current: { atMs: number; feeds: Promise<ServedFeeds> } | undefined;
  private readonly predictor = scheduleDelayPredictor();

  constructor(
    private readonly network: Pick<CurrentNetwork, 'get'>,
    private readonly vehicles: RealtimeVehicleSource,
    private readonly now: () => number,
    private readonly ttlMs = FEED_TTL_MS,
  ) {}

  get(): Promise<ServedFeeds> {
    const nowMs = this.now();
    if (this.current && nowMs >= this.current.atMs && nowMs - this.current.atMs < this.ttlMs) return this.current.feeds;
    const feeds = this.build(nowMs);
    const entry = { atMs: nowMs, feeds };
    this.current = entry;
    // A failed build is not kept: the next request tries again.
    feeds.catch(() => {
      if (this.current === entry) this.current = undefined;
    });
    return feeds;
  }

  private async build(nowMs: number): Promise<ServedFeeds> {
    const [{ network }, vehicles] = await Promise.all([this.network.get(), this.vehicles.vehicles()]);
    const empty = { header: { gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: Math.floor(nowMs / 1000) }, entity: [] } as const;
    let feeds: RealtimeFeeds = { vehiclePositions: { ...empty, entity: [] }, tripUpdates: { ...empty, entity: [] } };
    if (network) {
      const serviceDate = serviceDayOf(nowMs, network.timezone);
      const arrivals = predictLiveArrivals({ network, nowMs, serviceDate, vehicles, predictor: this.predictor });
      feeds = buildRealtimeFeeds({ network, nowMs, serviceDate, vehicles, arrivals });
    }
    const bytes = new Map<keyof RealtimeFeeds, Uint8Array>();
    return {
      ...feeds,
      encoded: (name) => {
        let b = bytes.get(name);
        if (!b) {
          b = encodeFeed(feeds[name]);
          bytes.set(name, b);
        }
        return b;
      },
    };
  }
}
