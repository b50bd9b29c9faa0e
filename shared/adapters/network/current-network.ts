/**
 * The network passengers are answered from: the current version, loaded once (per cold start) and kept with
 * its passenger view and indexes, built once per version. Every few minutes the current version is checked
 * again (one read); only a new version is loaded and indexed again.
 */
import type { DynamoNetworkRepository } from '../dynamodb/network-repository.js';
import { buildPassengerNetwork, type PassengerNetwork } from '../../domain/network/passenger-network.js';
import { NotFound } from '../../domain/errors.js';
import type { Network } from '../../gtfs/model.js';
import { writeGtfsZip } from '../../gtfs/write.js';

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
}

export class CurrentNetwork {
  private loaded: Promise<LoadedNetwork> | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly repo: Pick<DynamoNetworkRepository, 'currentVersion' | 'loadNetwork'>,
    /** Wall time for the cache's age (not transit time). */
    private readonly now: () => number = Date.now,
    private readonly recheckMs = RECHECK_MS,
  ) {}

  async get(): Promise<LoadedNetwork> {
    if (this.loaded && this.now() - this.checkedAt < this.recheckMs) return this.loaded;
    this.checkedAt = this.now();
    const previous = this.loaded;
    const loading = (async () => {
      const version = await this.repo.currentVersion();
      const known = await previous?.catch(() => undefined);
      if (known && known.version === version) return known;
      return loadedOf(version, version ? await this.repo.loadNetwork(version) : undefined);
    })();
    this.loaded = loading;
    // A failed load is not kept: the next request tries again.
    loading.catch(() => {
      if (this.loaded === loading) this.loaded = undefined;
    });
    return loading;
  }
}

function loadedOf(version: string | undefined, network: Network | undefined): LoadedNetwork {
  let zip: Uint8Array | undefined;
  return {
    version,
    network,
    passengers: buildPassengerNetwork(network),
    gtfsZip: () => {
      if (!network) throw new NotFound('network', 'current', 'no network has been imported yet');
      zip ??= writeGtfsZip(network);
      return zip;
    },
  };
}
