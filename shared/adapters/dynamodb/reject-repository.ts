/** The `rejects` table: every refused message or record with its reason, by day of receipt and by bus. */
import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.js';
import { DAY_MS, isoInstant, keys, retention, tables } from '../../catalogue/index.js';
import type { RejectStore } from '../../domain/telemetry/ports.js';
import type { Reject } from '../../domain/telemetry/reject.js';
import { serviceDayOf } from '../../kernel/time/service-day.js';
import { batchPut } from './batch.js';

/** Enough of a payload to see what was wrong with it; rejects are evidence, not an archive. */
const MAX_STORED_PAYLOAD_CHARS = 4096;
const UNKNOWN_BUS = '-';
const KEY_NAMES = [tables.rejects.partitionKey.name, tables.rejects.sortKey.name];
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface StoredReject {
  busId: string;
  code: string;
  reason: string;
  field?: string;
  topic?: string;
  recordIndex?: number;
  receivedAt: number;
  payload: string;
  payloadEncoding: 'utf8' | 'base64';
  payloadBytes: number;
}

export class DynamoRejectRepository implements RejectStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  itemOf(r: Reject): Record<string, unknown> {
    const busId = r.busId || UNKNOWN_BUS;
    const digest = createHash('sha256')
      .update(`${r.topic ?? ''}\u0000${r.code}\u0000${r.recordIndex ?? ''}\u0000`)
      .update(r.payload)
      .digest('hex')
      .slice(0, 20);
    let payload: string;
    let payloadEncoding: 'utf8' | 'base64';
    try {
      payload = utf8.decode(r.payload);
      payloadEncoding = 'utf8';
    } catch {
      payload = Buffer.from(r.payload).toString('base64');
      payloadEncoding = 'base64';
    }
    return {
      pk: keys.reject.partition(serviceDayOf(r.receivedAt)),
      sk: keys.reject.sort(busId, digest),
      busId,
      code: r.code,
      reason: r.reason,
      field: r.field,
      topic: r.topic,
      recordIndex: r.recordIndex,
      receivedAt: r.receivedAt,
      at: isoInstant(r.receivedAt),
      payload: payload.slice(0, MAX_STORED_PAYLOAD_CHARS),
      payloadEncoding,
      payloadBytes: r.payload.byteLength,
      expiresAt: Math.floor((r.receivedAt + retention.rejectsDays * DAY_MS) / 1000),
    };
  }

  async put(rejects: readonly Reject[]): Promise<Set<number>> {
    const failed = await batchPut(
      this.doc,
      rejects.map((r, i) => ({ owner: String(i), table: this.table, item: this.itemOf(r) })),
      { [this.table]: KEY_NAMES },
    );
    return new Set([...failed.keys()].map(Number));
  }

  /** Rejects received on a service day, optionally for one bus. */
  async list(day: string, busId?: string): Promise<StoredReject[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: busId ? 'pk = :pk AND begins_with(sk, :bus)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.reject.partition(day), ...(busId ? { ':bus': keys.reject.busPrefix(busId) } : {}) },
    });
    return items as unknown as StoredReject[];
  }
}
