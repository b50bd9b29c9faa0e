/** The local stand-in for Kinesis + the Lambda event source: ordering, retries and dead letters. */
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ruleEnvelopeSchema } from '../../../shared/catalogue/index.js';
import { silentLogger } from '../../../shared/domain/ports/logger.js';
import { shardOf, StreamRouter, type DeadLetter } from '../../../infra/local/stream-router.js';

const payloadOf = (r: KinesisStreamEvent['Records'][number]) =>
  Buffer.from(ruleEnvelopeSchema.parse(JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString())).payload, 'base64').toString();

function router(handler: (e: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>, dead: DeadLetter[] = [], retryAttempts = 2) {
  return new StreamRouter({ handler, logger: silentLogger, shards: 2, batchSize: 10, maxBatchingWindowMs: 0, retryAttempts, onDeadLetter: async (l) => void dead.push(...l) });
}

describe('StreamRouter', () => {
  it('delivers Kinesis events with the rule envelope, partitioned by bus, each bus in order', async () => {
    const seen = new Map<string, string[]>();
    const r = router(async (e) => {
      for (const rec of e.Records) {
        expect(rec.eventSource).toBe('aws:kinesis');
        const list = seen.get(rec.kinesis.partitionKey) ?? [];
        list.push(payloadOf(rec));
        seen.set(rec.kinesis.partitionKey, list);
      }
      return { batchItemFailures: [] };
    });
    for (let i = 0; i < 25; i++) for (const bus of ['A', 'B', 'C']) r.accept(`bus/${bus}/gps`, Buffer.from(`${bus}${i}`));
    await r.drain();
    for (const bus of ['A', 'B', 'C']) expect(seen.get(bus)).toEqual(Array.from({ length: 25 }, (_, i) => `${bus}${i}`));
    expect(r.stats).toMatchObject({ accepted: 75, delivered: 75, pending: 0 });
  });

  it('retries records named in batchItemFailures ahead of newer ones', async () => {
    const order: string[] = [];
    let failOnce = true;
    const r = router(async (e) => {
      const failures = [];
      for (const rec of e.Records) {
        const p = payloadOf(rec);
        if (p === 'x1' && failOnce) {
          failOnce = false;
          failures.push({ itemIdentifier: rec.kinesis.sequenceNumber });
        } else order.push(p);
      }
      return { batchItemFailures: failures };
    });
    r.accept('bus/X/gps', Buffer.from('x1'));
    await r.drain();
    r.accept('bus/X/gps', Buffer.from('x2'));
    await r.drain();
    expect(order).toEqual(['x1', 'x2']);
    expect(r.stats.retried).toBe(1);
  });

  it('dead-letters a record that keeps failing, and a batch whose handler throws', async () => {
    const dead: DeadLetter[] = [];
    const r = router(async () => {
      throw new Error('boom');
    }, dead, 1);
    r.accept('bus/Z/gps', Buffer.from('z'));
    await r.drain();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ attempts: 2, error: 'boom' });
    expect(r.stats).toMatchObject({ deadLettered: 1, delivered: 0, pending: 0 });
  });

  it('hashes a partition key to the same shard every time', () => {
    expect(shardOf('BUS-001', 4)).toBe(shardOf('BUS-001', 4));
    const shards = new Set(Array.from({ length: 100 }, (_, i) => shardOf(`BUS-${i}`, 4)));
    expect(shards.size).toBe(4);
  });
});
