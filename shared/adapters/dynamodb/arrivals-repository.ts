/** The arrivals cached per stop and trip: one item each (`keys.arrivals.entry`), a stop's read with one Query. */
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { keys, retention } from '../../catalogue/index.js';
import type { CacheWrite, CachedArrival } from '../../domain/predictions/serving.js';
import { forEachLimit } from '../../kernel/util/concurrency.js';
import { queryAll } from './query-all.js';

/** How long a stop's item outlives its last write (the catalogue's retention of the arrivals table). */
const ITEM_TTL_S = retention.arrivalsHours * 3600;

const base = { tripId: z.string(), busId: z.string(), fixTsMs: z.number() };
const cachedArrivalSchema = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('predicted'),
    stopSequence: z.number().optional(),
    predictedMs: z.number(),
    delayS: z.number().optional(),
    stopsAway: z.number(),
    distanceM: z.number(),
    occupancy: z.object({ tapsThisTrip: z.number(), wifiClients: z.number().optional() }).optional(),
    nextTrip: z.literal(true).optional(),
  }),
  z.object({ ...base, kind: z.literal('passed') }),
]) satisfies z.ZodType<CachedArrival>;

export class DynamoArrivalsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly concurrency = 8,
  ) {}

  /** Writes one bus's changed entries: each its own item (stop and trip), put whole, or deleted. */
  async putEntries(writes: readonly CacheWrite[], nowMs: number): Promise<void> {
    const expiresAt = Math.floor(nowMs / 1000) + ITEM_TTL_S;
    await forEachLimit(writes, this.concurrency, async ({ stopId, tripId, entry }) => {
      const Key = keys.arrivals.entry(stopId, tripId);
      if (entry) await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...Key, entry, expiresAt, updatedMs: nowMs } }));
      else await this.doc.send(new DeleteCommand({ TableName: this.table, Key }));
    });
  }

  /** A stop's cached entries by trip (one Query, every page); empty when no bus has been predicted there. */
  async ofStop(stopId: string, nowMs: number): Promise<Map<string, CachedArrival>> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'stopId = :stop',
      ExpressionAttributeValues: { ':stop': stopId },
    });
    const entries = new Map<string, CachedArrival>();
    const nowS = Math.floor(nowMs / 1000);
    for (const item of items) {
      // TTL deletes expired items days late: an entry of yesterday's run of the trip must not count today.
      if (typeof item.expiresAt === 'number' && item.expiresAt < nowS) continue;
      const parsed = cachedArrivalSchema.safeParse(item.entry);
      if (parsed.success) entries.set(parsed.data.tripId, parsed.data);
    }
    return entries;
  }
}
