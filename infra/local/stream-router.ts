/**
 * The local stand-in for "IoT rule → Kinesis → Lambda event source mapping": it takes every telemetry
 * publish, wraps it as the rule would, and delivers real KinesisStreamEvents to the ingest handler.
 *
 * It behaves as the Kinesis event source does, so that the duplicates AWS produces are produced here too:
 * - each bus (partition key) maps to one shard; a shard is processed one batch at a time, in order;
 * - a partial batch response checkpoints before the lowest failed sequence number: that record and every
 *   later record of the batch are delivered again, including those that were stored;
 * - a thrown handler error bisects the batch (bisecting costs no retry), a single record is retried whole;
 * - after `retryAttempts` retries, or once a record is older than `maxRecordAgeS`, the records are
 *   dead-lettered (the on-failure destination) and the shard moves on.
 * Retry limits come from the catalogue's event-source settings, the same values the CDK stack uses.
 *
 * The backlog is bounded: past `maxPending` records, `admit()` says no and the broker refuses the publish
 * without acknowledging it, so the device keeps the message and sends it again.
 */
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { buildRuleEnvelope, telemetryStream } from '../../shared/catalogue/index.js';
import type { Logger } from '../../shared/domain/ports/logger.js';

export interface DeadLetter {
  record: KinesisStreamRecord;
  /** Invocations that carried the record. */
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
  maxRecordAgeS?: number;
  bisectBatchOnError?: boolean;
  /** First retry delay; it doubles with each retry of the same records, up to 2 s. */
  retryBaseDelayMs?: number;
  /** Records accepted but not yet delivered or dead-lettered, past which publishes are refused. */
  maxPending?: number;
  region?: string;
  now?: () => number;
}

export interface RouterStats {
  accepted: number;
  /** Records checkpointed: processed with success (each counted once). */
  delivered: number;
  batches: number;
  /** Deliveries of a record after its first one. */
  retried: number;
  deadLettered: number;
  pending: number;
  /** Publishes refused because the backlog was full. */
  refused: number;
}

/** Records delivered together, and how many retries they have cost so far. */
interface Batch {
  records: KinesisStreamRecord[];
  retries: number;
  /** Invocations so far (retries and bisections). */
  invocations: number;
}

const STREAM_ARN = `arn:aws:kinesis:local:000000000000:stream/${telemetryStream.name}`;
const MAX_RETRY_DELAY_MS = 2000;
const DEFAULT_MAX_PENDING = 50_000;

export class StreamRouter {
  private readonly shards: KinesisStreamRecord[][];
  /** Per shard, batches to deliver again before anything newer (a retry, or the halves of a bisection). */
  private readonly redeliveries: Batch[][];
  private readonly busy: boolean[];
  private readonly timers: (NodeJS.Timeout | undefined)[];
  private readonly idleWaiters: (() => void)[] = [];
  private sequence = 0n;
  private stopped = false;
  private refusing = false;
  private readonly opts: Required<Omit<StreamRouterOptions, 'region'>> & { region: string };
  readonly stats: RouterStats = { accepted: 0, delivered: 0, batches: 0, retried: 0, deadLettered: 0, pending: 0, refused: 0 };

  constructor(opts: StreamRouterOptions) {
    const es = telemetryStream.eventSource;
    this.opts = {
      shards: 4,
      batchSize: es.batchSize,
      maxBatchingWindowMs: es.maxBatchingWindowS * 1000,
      retryAttempts: es.retryAttempts,
      maxRecordAgeS: es.maxRecordAgeS,
      bisectBatchOnError: es.bisectBatchOnError,
      retryBaseDelayMs: 100,
      maxPending: DEFAULT_MAX_PENDING,
      region: 'local',
      now: Date.now,
      ...opts,
    };
    this.shards = Array.from({ length: this.opts.shards }, () => []);
    this.redeliveries = this.shards.map(() => []);
    this.busy = this.shards.map(() => false);
    this.timers = this.shards.map(() => undefined);
  }

  /**
   * Whether one more publish may be taken. False (and counted) while the backlog is at its bound: the broker
   * then refuses the publish unacknowledged, and the device sends it again later.
   */
  admit(): boolean {
    if (this.stats.pending < this.opts.maxPending) {
      if (this.refusing) {
        this.refusing = false;
        this.opts.logger.info('stream backlog below its bound again: taking telemetry', { pending: this.stats.pending });
      }
      return true;
    }
    this.stats.refused++;
    if (!this.refusing) {
      this.refusing = true;
      this.opts.logger.warn('stream backlog full: refusing telemetry publishes until it drains', {
        pending: this.stats.pending,
        maxPending: this.opts.maxPending,
      });
    }
    return false;
  }

  /** Takes one MQTT publish on a telemetry topic, as the IoT rule would. Never drops what it is given. */
  accept(topic: string, payload: Uint8Array, receivedAt = this.opts.now()): void {
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
    this.shards[shard]!.push(record);
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
    if (this.redeliveries[shard]!.length) {
      void this.run(shard);
      return;
    }
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

  private nextBatch(shard: number): Batch | undefined {
    const again = this.redeliveries[shard]!.shift();
    if (again) return again;
    const records = this.shards[shard]!.splice(0, this.opts.batchSize);
    return records.length ? { records, retries: 0, invocations: 0 } : undefined;
  }

  private async run(shard: number): Promise<void> {
    if (this.busy[shard]) return;
    const timer = this.timers[shard];
    if (timer) {
      clearTimeout(timer);
      this.timers[shard] = undefined;
    }
    const batch = this.nextBatch(shard);
    if (!batch) return;
    this.busy[shard] = true;
    try {
      await this.deliver(shard, batch);
    } finally {
      this.busy[shard] = false;
      if (this.stats.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      this.schedule(shard);
    }
  }

  private async deliver(shard: number, batch: Batch): Promise<void> {
    // Records past the maximum age are not sent to the function any more: they go to the on-failure destination.
    const oldestMs = this.opts.now() - this.opts.maxRecordAgeS * 1000;
    const expired = batch.records.filter((r) => r.kinesis.approximateArrivalTimestamp * 1000 < oldestMs);
    if (expired.length) {
      await this.deadLetter(expired, batch.invocations, `older than the maximum record age (${this.opts.maxRecordAgeS} s)`);
      batch = { ...batch, records: batch.records.filter((r) => !expired.includes(r)) };
      if (!batch.records.length) return;
    }
    this.stats.batches++;
    if (batch.invocations > 0) this.stats.retried += batch.records.length;
    batch.invocations++;
    let failedFrom: number;
    let error: string;
    try {
      const response = await this.opts.handler({ Records: batch.records });
      failedFrom = checkpointOf(batch.records, response);
      error = 'reported in batchItemFailures';
    } catch (err) {
      error = (err as Error).message;
      this.opts.logger.error('ingest handler threw; batch will be retried', { shard, records: batch.records.length, error });
      if (this.opts.bisectBatchOnError && batch.records.length > 1) {
        // Splitting costs no retry: each half is delivered on its own, the first half first.
        const half = Math.ceil(batch.records.length / 2);
        this.redeliveries[shard]!.unshift(
          { records: batch.records.slice(0, half), retries: batch.retries, invocations: batch.invocations },
          { records: batch.records.slice(half), retries: batch.retries, invocations: batch.invocations },
        );
        return;
      }
      failedFrom = 0;
    }
    this.checkpoint(failedFrom);
    if (failedFrom === batch.records.length) return;
    const remaining = batch.records.slice(failedFrom);
    if (batch.retries >= this.opts.retryAttempts) {
      await this.deadLetter(remaining, batch.invocations, error);
      return;
    }
    // The lowest failed record and everything after it are delivered again, ahead of anything newer.
    const retries = batch.retries + 1;
    this.redeliveries[shard]!.unshift({ records: remaining, retries, invocations: batch.invocations });
    await sleep(Math.min(MAX_RETRY_DELAY_MS, this.opts.retryBaseDelayMs * 2 ** (retries - 1)));
  }

  private checkpoint(count: number): void {
    this.stats.delivered += count;
    this.stats.pending -= count;
  }

  private async deadLetter(records: KinesisStreamRecord[], attempts: number, error: string): Promise<void> {
    this.stats.deadLettered += records.length;
    this.stats.pending -= records.length;
    try {
      await this.opts.onDeadLetter(records.map((record) => ({ record, attempts, error })));
    } catch (err) {
      this.opts.logger.error('dead letters could not be stored', { count: records.length, error: (err as Error).message });
    }
  }
}

/**
 * How many records of the batch succeeded before the first failure, as Lambda reads a partial batch response:
 * the checkpoint is the lowest failed sequence number; a failure naming no record of the batch fails it all.
 */
function checkpointOf(records: readonly KinesisStreamRecord[], response: KinesisStreamBatchResponse | undefined | null): number {
  const failures = response?.batchItemFailures ?? [];
  if (!failures.length) return records.length;
  const index = new Map(records.map((r, i) => [r.kinesis.sequenceNumber, i]));
  let lowest = records.length;
  for (const f of failures) {
    const i = f.itemIdentifier ? index.get(f.itemIdentifier) : undefined;
    if (i === undefined) return 0;
    lowest = Math.min(lowest, i);
  }
  return lowest;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
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
