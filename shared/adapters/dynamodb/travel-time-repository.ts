/**
 * The learned travel-time history on DynamoDB, one small item per pattern: its segments' running time per time
 * band, its recent ratios (per segment and pattern-wide), the dwell at its stops, and how far each of the
 * service day's trips has been learned (so a visit seen again is learned once). Two writers of one pattern at
 * once keep the later one's history: what is lost is one run's weight in a mean.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { keys } from '../../catalogue/index.js';
import { emptyHistory, startServiceDay, type TravelTimeHistory } from '../../domain/predictions/travel-time-history.js';

const mean = z.object({ meanS: z.number(), n: z.number() });
const ratio = z.object({ ratio: z.number(), variance: z.number(), atMs: z.number() });
const itemSchema = z.object({
  patternId: z.string(),
  serviceDay: z.string(),
  segments: z.record(z.string(), mean),
  recent: z.record(z.string(), ratio),
  dwells: z.record(z.string(), mean),
  /** Trip id → the last stop sequence learned, this service day. */
  learnedTo: z.record(z.string(), z.number()),
});

export class DynamoTravelTimeRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The pattern's history; on a service day after the one it was saved on, it carries over (`startServiceDay`). */
  async load(patternId: string, serviceDay: string): Promise<TravelTimeHistory> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.travelTimes(patternId) }));
    const h = emptyHistory();
    const parsed = itemSchema.safeParse(out.Item);
    if (!parsed.success) return h;
    const item = parsed.data;
    for (const [k, v] of Object.entries(item.segments)) h.segments.set(k, v);
    for (const [k, v] of Object.entries(item.recent)) h.recent.set(k, v);
    for (const [k, v] of Object.entries(item.dwells)) h.dwells.set(k, v);
    if (item.serviceDay !== serviceDay) return startServiceDay(h);
    for (const [tripId, to] of Object.entries(item.learnedTo)) for (let seq = 1; seq <= to; seq++) h.learned.add(`${tripId}|${seq}`);
    return h;
  }

  async save(patternId: string, serviceDay: string, h: TravelTimeHistory): Promise<void> {
    const learnedTo: Record<string, number> = {};
    for (const key of h.learned) {
      const cut = key.lastIndexOf('|');
      const tripId = key.slice(0, cut);
      learnedTo[tripId] = Math.max(learnedTo[tripId] ?? 0, Number(key.slice(cut + 1)));
    }
    const item = {
      ...keys.travelTimes(patternId),
      serviceDay,
      segments: Object.fromEntries(h.segments),
      recent: Object.fromEntries(h.recent),
      dwells: Object.fromEntries(h.dwells),
      learnedTo,
    };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
  }
}
