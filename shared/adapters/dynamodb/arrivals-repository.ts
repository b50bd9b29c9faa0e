/** The arrivals cached per stop: one item per stop, one attribute per trip (`keys.arrivals.tripAttribute`). */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { keys, retention } from '../../catalogue/index.js';
import type { CachedArrival } from '../../domain/predictions/serving.js';
import { forEachLimit } from '../../kernel/util/concurrency.js';

/** How long a stop's item outlives its last write (the catalogue's retention of the arrivals table). */
const ITEM_TTL_S = retention.arrivalsHours * 3600;

const base = { tripId: z.string(), busId: z.string(), fixTsMs: z.number() };
const cachedArrivalSchema = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('predicted'),
    predictedMs: z.number(),
    delayS: z.number().optional(),
    stopsAway: z.number(),
    distanceM: z.number(),
    occupancy: z.object({ tapsThisTrip: z.number(), wifiClients: z.number().optional() }).optional(),
  }),
  z.object({ ...base, kind: z.literal('passed') }),
]) satisfies z.ZodType<CachedArrival>;

export class DynamoArrivalsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly concurrency = 8,
  ) {}

  /** Writes one bus's entries, each on its stop's item, replacing what that trip had there. */
  async putEntries(entries: ReadonlyMap<string, CachedArrival>, nowMs: number): Promise<void> {
    const expiresAt = Math.floor(nowMs / 1000) + ITEM_TTL_S;
    await forEachLimit([...entries], this.concurrency, async ([stopId, entry]) => {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.arrivals.stop(stopId),
          UpdateExpression: 'SET #trip = :entry, expiresAt = :expiresAt, updatedMs = :now',
          ExpressionAttributeNames: { '#trip': keys.arrivals.tripAttribute(entry.tripId) },
          ExpressionAttributeValues: { ':entry': entry, ':expiresAt': expiresAt, ':now': nowMs },
        }),
      );
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
