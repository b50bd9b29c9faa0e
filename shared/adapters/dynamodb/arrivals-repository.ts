/** The arrivals cached per stop: one item per stop, one attribute per trip (`keys.arrivals.tripAttribute`). */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { keys, retention } from '../../catalogue/index.js';
import type { CacheWrite, CachedArrival } from '../../domain/predictions/serving.js';
import { forEachLimit } from '../../kernel/util/concurrency.js';

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

  /** Writes one bus's entries, each on its stop's item, replacing what that trip had there (or removing it). */
  async putEntries(writes: readonly CacheWrite[], nowMs: number): Promise<void> {
    const expiresAt = Math.floor(nowMs / 1000) + ITEM_TTL_S;
    await forEachLimit(writes, this.concurrency, async ({ stopId, tripId, entry }) => {
      const names = { '#trip': keys.arrivals.tripAttribute(tripId) };
      await this.doc
        .send(
          entry
            ? new UpdateCommand({
                TableName: this.table,
                Key: keys.arrivals.stop(stopId),
                UpdateExpression: 'SET #trip = :entry, expiresAt = :expiresAt, updatedMs = :now',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: { ':entry': entry, ':expiresAt': expiresAt, ':now': nowMs },
              })
            : // Only where the trip has an entry: a removal never creates an empty item.
              new UpdateCommand({
                TableName: this.table,
                Key: keys.arrivals.stop(stopId),
                UpdateExpression: 'REMOVE #trip SET updatedMs = :now',
                ConditionExpression: 'attribute_exists(#trip)',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: { ':now': nowMs },
              }),
        )
        .catch((err: unknown) => {
          if (!(err instanceof ConditionalCheckFailedException)) throw err;
        });
    });
  }

  /** A stop's cached entries by trip; empty when no bus has been predicted there. */
  async ofStop(stopId: string): Promise<Map<string, CachedArrival>> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.arrivals.stop(stopId) }));
    const entries = new Map<string, CachedArrival>();
    for (const [name, value] of Object.entries(out.Item ?? {})) {
      if (!name.startsWith(keys.arrivals.tripAttributePrefix)) continue;
      const parsed = cachedArrivalSchema.safeParse(value);
      if (parsed.success) entries.set(parsed.data.tripId, parsed.data);
    }
    return entries;
  }
}
