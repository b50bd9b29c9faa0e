/** The `network` table: imported networks by version, and which version is current. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.js';
import { keys, tables } from '../../catalogue/index.js';
import type { Network } from '../../gtfs/model.js';
import { forEachLimit } from '../../kernel/util/concurrency.js';
import { batchPut } from './batch.js';
import { decodeNetwork, encodeNetwork, networkVersion, type NetworkItem } from './network-codec.js';

const N = keys.network;
const KEY_NAMES = [tables.network.partitionKey.name, tables.network.sortKey.name];

export interface NetworkVersionInfo {
  version: string;
  importedAt: string;
  source: string;
  timezone: string;
  counts: { agencies: number; routes: number; stops: number; patterns: number; trips: number };
}

export interface ImportResult extends NetworkVersionInfo {
  /** False when this very network was imported before: nothing was written again. */
  written: boolean;
}

/** A network that could not be stored, with the reason in one line (the store's own error is its cause). */
export class NetworkImportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkImportError';
  }
}

export class DynamoNetworkRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores the network under its content version (once) and makes that version current; throws NetworkImportError. */
  async importNetwork(network: Network, source: string): Promise<ImportResult> {
    const version = networkVersion(network);
    try {
      return await this.storeVersion(network, version, source);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new NetworkImportError(`network ${version} from ${source} could not be stored: ${reason.split('\n')[0]}`, { cause: err });
    }
  }

  private async storeVersion(network: Network, version: string, source: string): Promise<ImportResult> {
    const existing = await this.versionInfo(version);
    let info: NetworkVersionInfo;
    if (existing) info = existing;
    else {
      const items = encodeNetwork(network, version);
      const failed = await batchPut(
        this.doc,
        items.map((item) => ({ owner: item.pk, table: this.table, item })),
        { [this.table]: KEY_NAMES },
      );
      if (failed.size) throw new Error(`${failed.size} partitions could not be written (${[...failed.values()][0]!.message})`);
      info = {
        version,
        importedAt: new Date().toISOString(),
        source,
        timezone: network.timezone,
        counts: {
          agencies: network.agencies.size,
          routes: network.routes.size,
          stops: network.stops.size,
          patterns: network.patterns.size,
          trips: network.trips.size,
        },
      };
      // The version record is written last: a version that has one is complete.
      await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: N.registry, sk: N.version(version), ...info } }));
    }
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: N.registry, sk: N.current, version, activatedAt: new Date().toISOString() } }));
    return { ...info, written: !existing };
  }

  async versionInfo(version: string): Promise<NetworkVersionInfo | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: N.registry, sk: N.version(version) } }));
    return out.Item ? (strip(out.Item) as unknown as NetworkVersionInfo) : undefined;
  }

  async currentVersion(): Promise<string | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: N.registry, sk: N.current } }));
    return out.Item?.version as string | undefined;
  }

  /** Every imported version, oldest first. */
  async versions(): Promise<NetworkVersionInfo[]> {
    const items = await this.query(N.registry, 'VERSION#');
    return items.map((i) => strip(i) as unknown as NetworkVersionInfo).sort((a, b) => a.importedAt.localeCompare(b.importedAt));
  }

  /** The whole network of a version (the current one by default). */
  async loadNetwork(version?: string): Promise<Network | undefined> {
    const v = version ?? (await this.currentVersion());
    if (!v) return undefined;
    const info = await this.versionInfo(v);
    if (!info) return undefined;
    const [agencies, routes, stops, services] = await Promise.all([
      this.query(N.agencies(v)),
      this.query(N.routes(v)),
      this.query(N.stops(v)),
      this.query(N.services(v)),
    ]);
    const routeItems: NetworkItem[] = [];
    await forEachLimit(routes, 8, async (r) => void routeItems.push(...(await this.query(N.route(v, r.sk)))));
    return decodeNetwork(info.timezone, { agencies, routes, stops, services, routeItems });
  }

  private async query(pk: string, skPrefix?: string): Promise<NetworkItem[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':prefix': skPrefix } : {}) },
    });
    return items as NetworkItem[];
  }
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
}
