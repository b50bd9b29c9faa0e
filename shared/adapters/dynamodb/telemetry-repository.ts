/** The `telemetry` table: positions in chunks, taps, wifi samples and duty events per bus and service day. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { DAY_MS, isoInstant, keys, retention, tables, type GpsRecord } from '../../catalogue/index.js';
import { decodeGpsPoints, encodeGpsPoints, GPS_CHUNK_SPAN_MS } from '../../domain/telemetry/gps-chunks.js';
import type { BusTelemetry, TelemetryStore } from '../../domain/telemetry/ports.js';
import { serviceDayOf } from '../../kernel/time/service-day.js';
import { batchPut, type OwnedItem } from './batch.js';
import { queryAll } from './query-all.js';

const T = keys.telemetry;
const KEY_NAMES = [tables.telemetry.partitionKey.name, tables.telemetry.sortKey.name];
/** How far a clock estimate may have moved between two deliveries of the same positions. */
const OFFSET_MARGIN_MS = 60_000;
const expiresAt = (tsMs: number) => Math.floor((tsMs + retention.telemetryDays * DAY_MS) / 1000);

export type TelemetryItemKind = 'gps' | 'tap' | 'wifi' | 'duty';

/** Stored items as the journeys read them, checked on the way out (an item that does not fit is a storage bug). */
const storedDuty = z.object({
  ts: z.number(),
  event: z.enum(['sign_on', 'sign_off', 'trip_start', 'trip_end']),
  tripId: z.string().optional(),
  tripOrderId: z.string().optional(),
  startTime: z.string().optional(),
  driverId: z.string().optional(),
});
const storedTap = z.object({
  tapId: z.string(),
  ts: z.number(),
  stopId: z.string().optional(),
  amountVnd: z.number(),
  product: z.string(),
  medium: z.string(),
  cardHash: z.string(),
  cardKeyVersion: z.number().int().positive().optional(),
  cardLinkHashes: z.record(z.string(), z.string()).optional(),
});
const storedWifi = z.object({ ts: z.number(), up: z.boolean(), clients: z.number() });
export type StoredDutyEvent = z.infer<typeof storedDuty>;
export type StoredTapItem = z.infer<typeof storedTap>;
export type StoredWifiSample = z.infer<typeof storedWifi>;

export class DynamoTelemetryRepository implements TelemetryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The items a bus's telemetry becomes (also what the ingest benchmark writes raw). */
  itemsOf(t: BusTelemetry): OwnedItem[] {
    const items: OwnedItem[] = [];
    const add = (item: Record<string, unknown>) => items.push({ owner: t.busId, table: this.table, item });
    for (const c of t.gpsChunks) {
      add({
        pk: T.partition(t.busId, c.serviceDay),
        sk: T.gpsChunk(c.firstTsMs),
        busId: t.busId,
        kind: 'gps',
        firstTs: c.firstTsMs,
        lastTs: c.lastTsMs,
        n: c.points.length,
        pts: encodeGpsPoints(c.firstTsMs, c.points),
        ...(c.clockOffsetMs === 0 ? {} : { clockOffsetMs: c.clockOffsetMs }),
        expiresAt: expiresAt(c.lastTsMs),
      });
    }
    for (const tap of t.taps) {
      add({
        pk: T.partition(t.busId, serviceDayOf(tap.ts)),
        sk: T.tap(tap.tapId),
        busId: t.busId,
        kind: 'tap',
        at: isoInstant(tap.ts),
        ...tap,
        expiresAt: expiresAt(tap.ts),
      });
    }
    for (const w of t.wifi) {
      // Keyed by the device's ts: a redelivery lands on the same item even if the clock estimate moved since.
      add({
        pk: T.partition(t.busId, serviceDayOf(w.ts)),
        sk: T.wifi(w.deviceTs ?? w.ts),
        kind: 'wifi',
        at: isoInstant(w.ts),
        ...withoutEnvelope(w),
        busId: t.busId,
        expiresAt: expiresAt(w.ts),
      });
    }
    for (const d of t.dutyEvents) {
      add({
        pk: T.partition(t.busId, serviceDayOf(d.ts)),
        sk: T.duty(d.deviceTs ?? d.ts, d.event),
        kind: 'duty',
        at: isoInstant(d.ts),
        ...withoutEnvelope(d),
        busId: t.busId,
        expiresAt: expiresAt(d.ts),
      });
    }
    return items;
  }

  async write(telemetry: readonly BusTelemetry[]): Promise<Map<string, Error>> {
    return batchPut(
      this.doc,
      telemetry.flatMap((t) => this.itemsOf(t)),
      { [this.table]: KEY_NAMES },
    );
  }

  async storedGpsTimestamps(busId: string, fromMs: number, toMs: number, clockOffsetMs = 0): Promise<Set<number>> {
    // Stored earlier under this offset, or under none (before the estimate was trusted), give or take a margin.
    const from = Math.min(fromMs, fromMs - clockOffsetMs) - OFFSET_MARGIN_MS;
    const to = Math.max(toMs, toMs - clockOffsetMs) + OFFSET_MARGIN_MS;
    const out = new Set<number>();
    for (const { offsetMs, points } of await this.readChunks(busId, from, to)) {
      for (const p of points) {
        const deviceTs = p.ts + offsetMs;
        if (deviceTs >= fromMs && deviceTs <= toMs) out.add(deviceTs);
      }
    }
    return out;
  }

  async readGps(busId: string, fromMs: number, toMs: number): Promise<GpsRecord[]> {
    const points: GpsRecord[] = [];
    for (const chunk of await this.readChunks(busId, fromMs, toMs)) {
      for (const p of chunk.points) if (p.ts >= fromMs && p.ts <= toMs) points.push(p);
    }
    return points.sort((a, b) => a.ts - b.ts);
  }

  /** The chunks that may hold positions (corrected ts) between two instants, decoded. */
  private async readChunks(busId: string, fromMs: number, toMs: number): Promise<{ offsetMs: number; points: GpsRecord[] }[]> {
    const chunks: { offsetMs: number; points: GpsRecord[] }[] = [];
    // A chunk that holds `fromMs` may start up to one chunk span earlier.
    const chunkFrom = fromMs - GPS_CHUNK_SPAN_MS;
    for (const day of serviceDaysBetween(chunkFrom, toMs)) {
      const items = await this.queryRange(T.partition(busId, day), T.gpsChunk(chunkFrom), T.gpsChunk(toMs), 'firstTs, pts, clockOffsetMs');
      for (const item of items) {
        chunks.push({
          offsetMs: typeof item.clockOffsetMs === 'number' ? item.clockOffsetMs : 0,
          points: decodeGpsPoints(item.firstTs as number, item.pts as string),
        });
      }
    }
    return chunks;
  }

  /** Every item of one kind a bus has on a service day, in key order. */
  async list(busId: string, serviceDay: string, kind: Exclude<TelemetryItemKind, 'gps'>): Promise<Record<string, unknown>[]> {
    const prefix = { tap: T.tapPrefix, wifi: T.wifiPrefix, duty: T.dutyPrefix }[kind];
    return this.queryRange(T.partition(busId, serviceDay), prefix, `${prefix}\uffff`);
  }

  /**
   * Every item of one kind a bus has between two instants, in time order, whatever service days hold them
   * (items are stored under the deployment's service day; a network in another time zone cuts days elsewhere).
   */
  async listBetween(busId: string, kind: Exclude<TelemetryItemKind, 'gps'>, fromMs: number, toMs: number): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (const day of serviceDaysBetween(fromMs, toMs)) {
      for (const item of await this.list(busId, day, kind)) if ((item.ts as number) >= fromMs && (item.ts as number) < toMs) out.push(item);
    }
    return out.sort((a, b) => (a.ts as number) - (b.ts as number));
  }

  /** A bus's duty events between two instants, in time order. */
  async dutyBetween(busId: string, fromMs: number, toMs: number): Promise<StoredDutyEvent[]> {
    return (await this.listBetween(busId, 'duty', fromMs, toMs)).map((item) => storedDuty.parse(item));
  }

  /** A bus's taps between two instants (card numbers only as their keyed hash), in time order. */
  async tapsBetween(busId: string, fromMs: number, toMs: number): Promise<StoredTapItem[]> {
    return (await this.listBetween(busId, 'tap', fromMs, toMs)).map((item) => storedTap.parse(item));
  }

  /** A bus's wifi samples between two instants, in time order. */
  async wifiBetween(busId: string, fromMs: number, toMs: number): Promise<StoredWifiSample[]> {
    return (await this.listBetween(busId, 'wifi', fromMs, toMs)).map((item) => storedWifi.parse(item));
  }

  private queryRange(pk: string, skFrom: string, skTo: string, projection?: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': skFrom, ':to': skTo },
      ...(projection ? { ProjectionExpression: projection } : {}),
    });
  }
}

function withoutEnvelope<T extends { v?: unknown }>(m: T): Omit<T, 'v'> {
  const { v: _v, ...rest } = m;
  return rest;
}

/** Service days that instants between `fromMs` and `toMs` can belong to. */
function serviceDaysBetween(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  for (let t = fromMs; ; t += DAY_MS) {
    const day = serviceDayOf(Math.min(t, toMs));
    if (days[days.length - 1] !== day) days.push(day);
    if (t >= toMs) break;
  }
  const last = serviceDayOf(toMs);
  if (days[days.length - 1] !== last) days.push(last);
  return days;
}
