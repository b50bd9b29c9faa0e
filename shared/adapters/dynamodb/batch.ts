/**
 * BatchWriteItem and BatchGetItem done once: requests of 25 (write) / 100 (get) keys, several in flight,
 * unprocessed items retried with backoff, and failures reported per owner so that one bus's failure does not
 * fail the others.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachLimit } from '../../kernel/util/concurrency.js';

export interface OwnedItem {
  /** Who the item belongs to (a bus, a record): failures are reported per owner. */
  owner: string;
  table: string;
  item: Record<string, unknown>;
}

export interface BatchOptions {
  concurrency?: number;
  maxAttempts?: number;
}

const WRITE_LIMIT = 25;
const GET_LIMIT = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const backoffMs = (attempt: number) => Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);

function keyOf(item: Record<string, unknown>, keyNames: readonly string[]): string {
  return keyNames.map((k) => String(item[k])).join('\u0000');
}

/**
 * Puts every item; the last of several items with the same key wins (a request may not hold duplicates).
 * Returns the owners some of whose items could not be written.
 */
export async function batchPut(
  doc: DynamoDBDocumentClient,
  items: readonly OwnedItem[],
  keyNamesByTable: Readonly<Record<string, readonly string[]>>,
  opts: BatchOptions = {},
): Promise<Map<string, Error>> {
  const unique = new Map<string, OwnedItem>();
  for (const it of items) unique.set(`${it.table}\u0001${keyOf(it.item, keyNamesByTable[it.table] ?? [])}`, it);
  const all = [...unique.values()];
  const chunks: OwnedItem[][] = [];
  for (let i = 0; i < all.length; i += WRITE_LIMIT) chunks.push(all.slice(i, i + WRITE_LIMIT));

  const failures = new Map<string, Error>();
  const maxAttempts = opts.maxAttempts ?? 8;
  await forEachLimit(chunks, opts.concurrency ?? 8, async (chunk) => {
    let pending = chunk;
    for (let attempt = 0; pending.length && attempt < maxAttempts; attempt++) {
      if (attempt > 0) await sleep(backoffMs(attempt));
      const requestItems: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
      for (const it of pending) {
        requestItems[it.table] ??= [];
        requestItems[it.table]!.push({ PutRequest: { Item: it.item } });
      }
      try {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: requestItems }));
        const left = new Set<string>();
        for (const [table, reqs] of Object.entries(out.UnprocessedItems ?? {})) {
          for (const req of reqs) {
            if (req.PutRequest?.Item) left.add(`${table}\u0001${keyOf(req.PutRequest.Item, keyNamesByTable[table] ?? [])}`);
          }
        }
        pending = pending.filter((it) => left.has(`${it.table}\u0001${keyOf(it.item, keyNamesByTable[it.table] ?? [])}`));
      } catch (err) {
        if (attempt === maxAttempts - 1 || !isRetryable(err)) {
          for (const it of pending) failures.set(it.owner, err as Error);
          return;
        }
      }
    }
    for (const it of pending) failures.set(it.owner, new Error(`${it.table}: items still unprocessed after ${maxAttempts} attempts`));
  });
  return failures;
}

/** Gets items by key from one table; missing keys are simply absent from the result. */
export async function batchGet(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  opts: BatchOptions & { projection?: string; names?: Record<string, string> } = {},
): Promise<Record<string, unknown>[]> {
  const results: Record<string, unknown>[] = [];
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < keys.length; i += GET_LIMIT) chunks.push(keys.slice(i, i + GET_LIMIT));
  const maxAttempts = opts.maxAttempts ?? 8;
  await forEachLimit(chunks, opts.concurrency ?? 8, async (chunk) => {
    let pending = chunk;
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt >= maxAttempts) throw new Error(`${table}: keys still unprocessed after ${maxAttempts} attempts`);
      if (attempt > 0) await sleep(backoffMs(attempt));
      const out = await doc.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ...(opts.projection ? { ProjectionExpression: opts.projection } : {}),
              ...(opts.names ? { ExpressionAttributeNames: opts.names } : {}),
            },
          },
        }),
      );
      results.push(...(out.Responses?.[table] ?? []));
      pending = (out.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
    }
  });
  return results;
}

function isRetryable(err: unknown): boolean {
  const e = err as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.name === 'ValidationException' || e.name === 'ResourceNotFoundException') return false;
  return true;
}

/** Deletes items by key (BatchWriteItem DeleteRequests, 25 per request, unprocessed ones retried). */
export async function batchDelete(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  opts: BatchOptions = {},
): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < keys.length; i += WRITE_LIMIT) chunks.push(keys.slice(i, i + WRITE_LIMIT));
  const maxAttempts = opts.maxAttempts ?? 8;
  await forEachLimit(chunks, opts.concurrency ?? 4, async (chunk) => {
    let pending: { DeleteRequest: { Key: Record<string, unknown> } }[] = chunk.map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt >= maxAttempts) throw new Error(`${table}: deletes still unprocessed after ${maxAttempts} attempts`);
      if (attempt > 0) await sleep(backoffMs(attempt));
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  });
}
