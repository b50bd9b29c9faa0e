/** The local stand-in for Kinesis + the Lambda event source: ordering, retries and dead letters. */
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ruleEnvelopeSchema, telemetryStream } from '../../../shared/catalogue/index.js';
import { silentLogger } from '../../../shared/domain/ports/logger.js';
import { shardOf, StreamRouter, type DeadLetter } from '../../../infra/local/stream-router.js';

const payloadOf = (r: KinesisStreamEvent['Records'][number]) =>
  Buffer.from(ruleEnvelopeSchema.parse(JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString())).payload, 'base64').toString();

function router(handler: (e: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>, dead: DeadLetter[] = [], retryAttempts = 2) {
  return new StreamRouter({
    handler,
    logger: silentLogger,
    shards: 2,
    batchSize: 10,
    maxBatchingWindowMs: 0,
    retryAttempts,
    retryBaseDelayMs: 1,
    onDeadLetter: async (l) => void dead.push(...l),
  });
}

/** One shard, so that several buses share a batch; records accepted while the first batch runs form the next. */
function oneShard(handler: (e: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>, extra: Partial<ConstructorParameters<typeof StreamRouter>[0]> = {}) {
  const dead: DeadLetter[] = [];
  const r = new StreamRouter({
    handler,
    logger: silentLogger,
    shards: 1,
    batchSize: 100,
    maxBatchingWindowMs: 0,
    retryBaseDelayMs: 1,
    onDeadLetter: async (l) => void dead.push(...l),
    ...extra,
  });
  return { r, dead };
}

const fail = (...records: KinesisStreamEvent['Records']) => ({ batchItemFailures: records.map((rec) => ({ itemIdentifier: rec.kinesis.sequenceNumber })) });

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
    const r = router(
      async () => {
        throw new Error('boom');
      },
      dead,
      1,
    );
    r.accept('bus/Z/gps', Buffer.from('z'));
    await r.drain();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ attempts: 2, error: 'boom' });
    expect(r.stats).toMatchObject({ deadLettered: 1, delivered: 0, pending: 0 });
  });

  it('on a partial failure delivers again the lowest failed record and every later record of the batch', async () => {
    const calls: string[][] = [];
    let failed = false;
    const { r } = oneShard(async (e) => {
      const payloads = e.Records.map(payloadOf);
      calls.push(payloads);
      const b1 = e.Records.find((rec) => payloadOf(rec) === 'b1');
      if (b1 && !failed) {
        failed = true;
        return fail(b1);
      }
      return { batchItemFailures: [] };
    });
    r.accept('bus/W/gps', Buffer.from('warm-up'));
    for (const [bus, p] of [
      ['A', 'a1'],
      ['B', 'b1'],
      ['A', 'a2'],
      ['C', 'c1'],
      ['B', 'b2'],
    ] as const)
      r.accept(`bus/${bus}/gps`, Buffer.from(p));
    await r.drain();
    expect(calls).toEqual([['warm-up'], ['a1', 'b1', 'a2', 'c1', 'b2'], ['b1', 'a2', 'c1', 'b2']]);
    expect(r.stats).toMatchObject({ accepted: 6, delivered: 6, retried: 4, deadLettered: 0, pending: 0 });
  });

  it('checkpoints at the lowest of several failed records, and fails the whole batch for an unknown identifier', async () => {
    const calls: string[][] = [];
    const { r } = oneShard(async (e) => {
      calls.push(e.Records.map(payloadOf));
      if (calls.length === 2) return fail(e.Records[3]!, e.Records[1]!);
      if (calls.length === 3) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
      return { batchItemFailures: [] };
    });
    r.accept('bus/W/gps', Buffer.from('w'));
    for (const p of ['p0', 'p1', 'p2', 'p3']) r.accept('bus/P/gps', Buffer.from(p));
    await r.drain();
    expect(calls.slice(1)).toEqual([
      ['p0', 'p1', 'p2', 'p3'],
      ['p1', 'p2', 'p3'],
      ['p1', 'p2', 'p3'],
    ]);
  });

  it('bisects a batch whose handler throws until the poison record is alone, retries it, then dead-letters only it', async () => {
    const sizes: number[] = [];
    const stored: string[] = [];
    const { r, dead } = oneShard(
      async (e) => {
        const payloads = e.Records.map(payloadOf);
        sizes.push(payloads.length);
        if (payloads.includes('r5')) throw new Error('poison');
        stored.push(...payloads);
        return { batchItemFailures: [] };
      },
      { retryAttempts: 2 },
    );
    r.accept('bus/W/gps', Buffer.from('w'));
    for (let i = 0; i < 8; i++) r.accept('bus/R/gps', Buffer.from(`r${i}`));
    await r.drain();
    // 8 → halves 4 (ok) and 4 → 2 → 1 (ok) and 1 (poison: first try, then two retries) → the last 2.
    expect(sizes).toEqual([1, 8, 4, 4, 2, 1, 1, 1, 1, 2]);
    expect(stored).toEqual(['w', 'r0', 'r1', 'r2', 'r3', 'r4', 'r6', 'r7']);
    expect(dead.map((d) => payloadOf(d.record))).toEqual(['r5']);
    expect(dead[0]).toMatchObject({ attempts: 6, error: 'poison' });
    expect(r.stats).toMatchObject({ delivered: 8, deadLettered: 1, pending: 0 });
  });

  it('by default retries as many times as the catalogue’s event source, then dead-letters from the failed record on', async () => {
    let calls = 0;
    const { r, dead } = oneShard(async (e) => {
      calls++;
      const bad = e.Records.find((rec) => payloadOf(rec) === 'bad');
      return bad ? fail(bad) : { batchItemFailures: [] };
    });
    r.accept('bus/W/gps', Buffer.from('w'));
    for (const p of ['good', 'bad', 'after']) r.accept('bus/Q/gps', Buffer.from(p));
    await r.drain();
    expect(calls).toBe(1 + 1 + telemetryStream.eventSource.retryAttempts);
    // As on AWS, the records after the failed one are discarded with it once the retries are spent.
    expect(dead.map((d) => payloadOf(d.record))).toEqual(['bad', 'after']);
    expect(r.stats).toMatchObject({ delivered: 2, deadLettered: 2, pending: 0 });
  });

  it('dead-letters records older than the maximum record age without delivering them', async () => {
    let nowMs = 1_000_000_000;
    const seen: string[] = [];
    const { r, dead } = oneShard(
      async (e) => {
        seen.push(...e.Records.map(payloadOf));
        nowMs += 30_000;
        return fail(e.Records[0]!);
      },
      { retryAttempts: 1000, maxRecordAgeS: 60, now: () => nowMs },
    );
    r.accept('bus/O/gps', Buffer.from('stale'), nowMs - 61_000);
    r.accept('bus/O/gps', Buffer.from('fresh'));
    await r.drain();
    // The fresh record keeps failing; it is given up when it passes the maximum age, not after 1000 retries.
    expect(seen).toEqual(['fresh', 'fresh', 'fresh']);
    expect(dead.map((d) => payloadOf(d.record))).toEqual(['stale', 'fresh']);
    expect(dead[1]?.error).toMatch(/maximum record age/);
  });

  it('refuses new publishes while the backlog is at its bound, and takes them again once it drains', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { r } = oneShard(
      async () => {
        await gate;
        return { batchItemFailures: [] };
      },
      { maxPending: 3 },
    );
    const taken: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const ok = r.admit();
      taken.push(ok);
      if (ok) r.accept('bus/F/gps', Buffer.from(`f${i}`));
    }
    expect(taken).toEqual([true, true, true, false, false]);
    expect(r.stats).toMatchObject({ accepted: 3, refused: 2, pending: 3 });
    release();
    await r.drain();
    expect(r.admit()).toBe(true);
    expect(r.stats).toMatchObject({ delivered: 3, refused: 2 });
  });

  it('hashes a partition key to the same shard every time', () => {
    expect(shardOf('BUS-001', 4)).toBe(shardOf('BUS-001', 4));
    const shards = new Set(Array.from({ length: 100 }, (_, i) => shardOf(`BUS-${i}`, 4)));
    expect(shards.size).toBe(4);
  });
});
