/**
 * The network passengers are answered from: the current version, loaded once (per cold start) and kept with
 * its passenger view and indexes, built once per version, and each stop's scheduled trips of the service day,
 * built on a stop's first request of the day. Every few minutes the current version is checked again (one
 * read) while the version loaded keeps answering; only a new version is loaded and indexed again.
 */
import type { DynamoNetworkRepository } from '../dynamodb/network-repository.js';
import { buildPassengerNetwork, type PassengerNetwork } from '../../domain/network/passenger-network.js';
import { NotFound } from '../../domain/errors.js';
import type { Network } from '../../gtfs/model.js';
import { writeGtfsZip } from '../../gtfs/write.js';
import { scheduledTripsAtStop } from '../../domain/predictions/stop-trips.js';
import type { ScheduledTrip } from '../../domain/predictions/types.js';

/** How long a version is served before asking which one is current again. */
const RECHECK_MS = 5 * 60_000;

export interface LoadedNetwork {
  /** Undefined while no network is imported: the view is then empty. */
  version: string | undefined;
  /** The network itself; undefined while none is imported. */
  network: Network | undefined;
  passengers: PassengerNetwork;
  /** The version as a GTFS zip, written on first use; NotFound while no network is imported. */
  gtfsZip(): Uint8Array;
  /**
   * The trips of `serviceDay` serving the stop with their scheduled instants, kept for the day: a stop's
   * arrivals are asked many times a minute and its schedule does not change within a version.
   */
  scheduledTripsAtStop(stopId: string, serviceDay: string): readonly ScheduledTrip[];
}

export class CurrentNetwork {
  private loaded: Promise<LoadedNetwork> | undefined;
  /** The last version loaded: it keeps answering while the current version is checked again or a new one loads. */
  private ready: LoadedNetwork | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly repo: Pick<DynamoNetworkRepository, 'currentVersion' | 'loadNetwork'>,
    /** Wall time for the cache's age (not transit time). */
    private readonly now: () => number = Date.now,
    private readonly recheckMs = RECHECK_MS,
  ) {}

  get(): Promise<LoadedNetwork> {
    if (this.loaded && this.now() - this.checkedAt < this.recheckMs) return this.loaded;
    this.checkedAt = this.now();
    const ready = this.ready;
    const loading = (async () => {
      const version = await this.repo.currentVersion();
      if (ready && ready.version === version) return ready;
      return loadedOf(version, version ? await this.repo.loadNetwork(version) : undefined);
    })();
    if (ready && this.loaded) {
      // No request waits for the check: the version loaded answers until the check (or the new version) is done.
      loading.then(
        (next) => {
          this.ready = next;
          this.loaded = Promise.resolve(next);
        },
        // A failed check is tried again by the next request.
        () => {
          this.checkedAt = Number.NEGATIVE_INFINITY;
        },
      );
      return this.loaded;
    }
    this.loaded = loading;
    loading.then(
      (first) => {
        this.ready = first;
      },
      // A failed load is not kept: the next request tries again.
      () => {
        if (this.loaded === loading) this.loaded = undefined;
      },
    );
    return loading;
  }
}

function loadedOf(version: string | undefined, network: Network | undefined): LoadedNetwork {
  let zip: Uint8Array | undefined;
  let day: { serviceDay: string; byStop: Map<string, readonly ScheduledTrip[]>; byTrip: Map<string, ScheduledTrip> } | undefined;
  return {
    version,
    network,
    passengers: buildPassengerNetwork(network),
    gtfsZip: () => {
      if (!network) throw new NotFound('network', 'current', 'no network has been imported yet');
      zip ??= writeGtfsZip(network);
      return zip;
    },
    scheduledTripsAtStop: (stopId, serviceDay) => {
      if (!network) return [];
      // Only the service day being asked is kept: the stack's clock is in one service day at a time.
      if (day?.serviceDay !== serviceDay) day = { serviceDay, byStop: new Map(), byTrip: new Map() };
      const { byStop, byTrip } = day;
      let trips = byStop.get(stopId);
      if (!trips) {
        // One object per trip of the day, shared by every stop it serves, its instants worked out once.
        trips = scheduledTripsAtStop(network, stopId, serviceDay, (tripId) => byTrip.get(tripId)).map((t) => {
          const known = byTrip.get(t.tripId);
          if (known) return known;
          byTrip.set(t.tripId, t);
          return t;
        });
        byStop.set(stopId, trips);
      }
      return trips;
    },
  };
}
