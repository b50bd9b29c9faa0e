/**
 * The local stand-in for "IoT rule → Kinesis → Lambda event source mapping": it takes every telemetry
 * publish, wraps it as the rule would, and delivers real KinesisStreamEvents to the ingest handler.
 *
 * Like Kinesis, each bus (partition key) maps to one shard and each shard is processed one batch at a time,
 * so a bus's messages keep their order across kinds. Records named in batchItemFailures go back to the head
 * of their shard and are retried; after the configured attempts they are dead-lettered.
 */
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { buildRuleEnvelope, telemetryStream } from '../../shared/catalogue/index.js';
import type { Logger } from '../../shared/domain/ports/logger.js';

export interface DeadLetter {
  record: KinesisStreamRecord;
  attempts: number;
  error: string;
}

export interface StreamRouterOptions {
  handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;
  onDeadLetter: (letters: DeadLetter[]) => Promise<void>;
  logger: Logger;
  shards?: number;
  batchSize?: number;
  /** 0: hand a shard's records to the handler as soon as it is free, as Lambda does without a window. */
  maxBatchingWindowMs?: number;
  retryAttempts?: number;
  region?: string;
}

export interface RouterStats {
  accepted: number;
  delivered: number;
  batches: number;
  retried: number;
  deadLettered: number;
  pending: number;
}

interface Entry {
  record: KinesisStreamRecord;
  attempts: number;
}

const STREAM_ARN = `arn:aws:kinesis:local:000000000000:stream/${telemetryStream.name}`;

export class StreamRouter {
  private readonly shards: Entry[][];
  private readonly busy: boolean[];
  private readonly timers: (NodeJS.Timeout | undefined)[];
  private readonly idleWaiters: (() => void)[] = [];
  private sequence = 0n;
  private stopped = false;
  private readonly opts: Required<Omit<StreamRouterOptions, 'region'>> & { region: string };
  readonly stats: RouterStats = { accepted: 0, delivered: 0, batches: 0, retried: 0, deadLettered: 0, pending: 0 };

  constructor(opts: StreamRouterOptions) {
    const es = telemetryStream.eventSource;
    this.opts = {
      shards: 4,
      batchSize: es.batchSize,
      maxBatchingWindowMs: es.maxBatchingWindowS * 1000,
      retryAttempts: es.retryAttempts,
      region: 'local',
      ...opts,
    };
    this.shards = Array.from({ length: this.opts.shards }, () => []);
    this.busy = this.shards.map(() => false);
    this.timers = this.shards.map(() => undefined);
  }

  /** Takes one MQTT publish on a telemetry topic, as the IoT rule would. */
  accept(topic: string, payload: Uint8Array, receivedAt = Date.now()): void {
    if (this.stopped) throw new Error('router stopped');
    const envelope = buildRuleEnvelope(topic, payload, receivedAt);
    const partitionKey = envelope.topicBusId;
    const shard = shardOf(partitionKey, this.shards.length);
    this.sequence += 1n;
    const record: KinesisStreamRecord = {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey,
        sequenceNumber: this.sequence.toString().padStart(20, '0'),
        data: Buffer.from(JSON.stringify(envelope)).toString('base64'),
        approximateArrivalTimestamp: receivedAt / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-${String(shard).padStart(12, '0')}:${this.sequence}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/local-ingest',
      awsRegion: this.opts.region,
      eventSourceARN: STREAM_ARN,
    };
    this.shards[shard]!.push({ record, attempts: 0 });
    this.stats.accepted++;
    this.stats.pending++;
    this.schedule(shard);
  }

  /** Resolves when every accepted record has been delivered or dead-lettered. */
  drain(): Promise<void> {
    if (this.stats.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking records and waits for the batches in flight and those already queued. */
  async stop(): Promise<void> {
    await this.drain();
    this.stopped = true;
    for (const t of this.timers) if (t) clearTimeout(t);
  }

  private schedule(shard: number): void {
    if (this.busy[shard] || this.timers[shard]) return;
    const queue = this.shards[shard]!;
    if (!queue.length) return;
    if (queue.length >= this.opts.batchSize || this.opts.maxBatchingWindowMs === 0) {
      void this.run(shard);
      return;
    }
    this.timers[shard] = setTimeout(() => {
      this.timers[shard] = undefined;
      void this.run(shard);
    }, this.opts.maxBatchingWindowMs);
  }

  private async run(shard: number): Promise<void> {
    if (this.busy[shard]) return;
    const timer = this.timers[shard];
    if (timer) {
      clearTimeout(timer);
      this.timers[shard] = undefined;
    }
    const queue = this.shards[shard]!;
    const batch = queue.splice(0, this.opts.batchSize);
    if (!batch.length) return;
    this.busy[shard] = true;
    this.stats.batches++;
    let failedIds: Set<string>;
    let error = 'handler failed';
    try {
      const response = await this.opts.handler({ Records: batch.map((e) => e.record) });
      failedIds = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      if (failedIds.size) error = 'reported in batchItemFailures';
    } catch (err) {
      // A thrown handler fails the whole batch, as on Lambda.
      failedIds = new Set(batch.map((e) => e.record.kinesis.sequenceNumber));
      error = (err as Error).message;
      this.opts.logger.error('ingest handler threw; batch will be retried', { shard, records: batch.length, error });
    }
    const retry: Entry[] = [];
    const dead: DeadLetter[] = [];
    for (const entry of batch) {
      if (!failedIds.has(entry.record.kinesis.sequenceNumber)) {
        this.stats.delivered++;
        continue;
      }
      entry.attempts++;
      if (entry.attempts > this.opts.retryAttempts) dead.push({ record: entry.record, attempts: entry.attempts, error });
      else retry.push(entry);
    }
    if (dead.length) {
      this.stats.deadLettered += dead.length;
      try {
        await this.opts.onDeadLetter(dead);
      } catch (err) {
        this.opts.logger.error('dead letters could not be stored', { count: dead.length, error: (err as Error).message });
      }
    }
    if (retry.length) {
      this.stats.retried += retry.length;
      // Failed records go back ahead of everything newer, so a bus's order is kept.
      queue.unshift(...retry);
      await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** Math.max(...retry.map((e) => e.attempts)))));
    }
    this.stats.pending -= batch.length - retry.length;
    this.busy[shard] = false;
    if (this.stats.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    this.schedule(shard);
  }
}

/** Stable shard for a partition key (FNV-1a), as Kinesis hashes partition keys to shards. */
export function shardOf(partitionKey: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < partitionKey.length; i++) {
    h ^= partitionKey.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}
