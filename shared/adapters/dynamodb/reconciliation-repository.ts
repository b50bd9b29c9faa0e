/**
 * The `reconciliations` table. One partition per operator-day holds the statement versions (a header item and
 * the gzip-compressed statement in parts of ≤ 300 KB, keyed by version and input hash), the pointer to the
 * visible version (`CURRENT`, the only item in the indexes), the resolutions, the payment records and the audit
 * events. A version's parts are written first and the header and the pointer last, in one transaction that is
 * conditional on the pointer not having moved: a crash leaves only invisible parts, and two runs from the same
 * pointer make one version. Advances live in a partition per operator and month.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { keys, tables } from '../../catalogue/index.js';
import { Conflict } from '../../domain/errors.js';
import type { LineResolution } from '../../domain/reconciliation/types.js';
import type {
  ExpectedHead,
  PaymentRecord,
  ReconciliationAuditEvent,
  ReconciliationFilter,
  ReconciliationHead,
  ReconciliationPage,
  ReconciliationStore,
  StatementVersion,
  StoredAdvance,
} from '../../domain/reconciliation-desk/ports.js';
import { batchPut } from './batch.js';
import { queryAll } from './query-all.js';

const K = keys.reconciliation;
const KEY_NAMES = [tables.reconciliations.partitionKey.name, tables.reconciliations.sortKey.name];
/** Bytes of compressed statement per item: well under DynamoDB's 400 KB item limit. */
const PART_BYTES = 300_000;

type Item = Record<string, unknown>;

function strip<T>(item: Item): T {
  const { pk: _pk, sk: _sk, dayKey: _d, operatorKey: _o, ...rest } = item;
  return rest as T;
}

export class DynamoReconciliationRepository implements ReconciliationStore {
  /** Items read (GetItem, Query and BatchGet items returned), for the bench. */
  itemsRead = 0;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async head(serviceDay: string, operatorId: string): Promise<ReconciliationHead | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: K.partition(serviceDay, operatorId), sk: K.current }, ConsistentRead: true }),
    );
    this.itemsRead += out.Item ? 1 : 0;
    return out.Item ? strip<ReconciliationHead>(out.Item) : undefined;
  }

  async version(serviceDay: string, operatorId: string, version: number): Promise<StatementVersion | undefined> {
    const pk = K.partition(serviceDay, operatorId);
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk, sk: K.version(version) }, ConsistentRead: true }));
    if (!out.Item) return undefined;
    this.itemsRead++;
    const header = out.Item as Item & { inputHash: string; parts: number };
    const partKeys = Array.from({ length: header.parts }, (_, i) => ({ pk, sk: K.part(version, header.inputHash, i) }));
    const parts = new Map<string, Uint8Array>();
    for (let i = 0; i < partKeys.length; i += 100) {
      let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> | undefined = {
        [this.table]: { Keys: partKeys.slice(i, i + 100), ConsistentRead: true },
      };
      while (request && Object.keys(request).length) {
        const got: BatchGetCommandOutput = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const p of got.Responses?.[this.table] ?? []) parts.set(p.sk as string, p.data as Uint8Array);
        this.itemsRead += got.Responses?.[this.table]?.length ?? 0;
        const left: Item[] | undefined = got.UnprocessedKeys?.[this.table]?.Keys;
        request = left?.length ? { [this.table]: { Keys: left, ConsistentRead: true } } : undefined;
      }
    }
    const blob = Buffer.concat(
      partKeys.map((k) => {
        const part = parts.get(k.sk);
        if (!part) throw new Error(`part ${k.sk} of ${pk} is missing`);
        return part;
      }),
    );
    const body = JSON.parse(gunzipSync(blob).toString('utf8')) as Pick<StatementVersion, 'statement' | 'diff'>;
    const { parts: _p, ...meta } = strip<StatementVersion & { parts: number }>(header);
    return { ...meta, ...body };
  }

  async addVersion(next: StatementVersion, head: ReconciliationHead, expected: ExpectedHead, audit: ReconciliationAuditEvent): Promise<void> {
    const pk = K.partition(next.serviceDay, next.operatorId);
    const { statement, diff, ...meta } = next;
    const blob = gzipSync(Buffer.from(JSON.stringify({ statement, ...(diff ? { diff } : {}) }), 'utf8'));
    const parts: Item[] = [];
    for (let i = 0, n = 0; i < blob.length || n === 0; i += PART_BYTES, n++)
      parts.push({ pk, sk: K.part(next.version, next.inputHash, n), data: blob.subarray(i, i + PART_BYTES) });
    // The parts first: invisible until the header and the pointer name them.
    const failed = await batchPut(
      this.doc,
      parts.map((item) => ({ owner: pk, table: this.table, item })),
      { [this.table]: KEY_NAMES },
    );
    if (failed.size) throw new Error(`the statement of ${pk} version ${next.version} could not be stored`);
    await this.transact(
      [
        {
          Put: {
            TableName: this.table,
            Item: { pk, sk: K.version(next.version), ...meta, parts: parts.length },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.headPut(head, expected),
        this.auditPut(pk, audit),
      ],
      `${next.operatorId} on ${next.serviceDay}: another run stored version ${next.version} first`,
    );
  }

  async resolutions(serviceDay: string, operatorId: string): Promise<LineResolution[]> {
    return (await this.query(K.partition(serviceDay, operatorId), K.resolutionPrefix)).map((i) => strip<LineResolution>(i));
  }

  async putResolution(
    serviceDay: string,
    operatorId: string,
    resolution: LineResolution,
    head: ReconciliationHead,
    expected: ExpectedHead,
    audit: ReconciliationAuditEvent,
  ): Promise<void> {
    const pk = K.partition(serviceDay, operatorId);
    await this.transact(
      [
        { Put: { TableName: this.table, Item: { pk, sk: K.resolution(resolution.lineId), ...resolution } } },
        this.headPut(head, expected),
        this.auditPut(pk, audit),
      ],
      `the reconciliation of ${operatorId} on ${serviceDay} changed meanwhile; read it again`,
    );
  }

  async approve(record: PaymentRecord, head: ReconciliationHead, expected: ExpectedHead, audit: ReconciliationAuditEvent): Promise<void> {
    const pk = K.partition(record.serviceDay, record.operatorId);
    await this.transact(
      [
        // A payment record is written once and never replaced.
        { Put: { TableName: this.table, Item: { pk, sk: K.approval(record.sequence), ...record }, ConditionExpression: 'attribute_not_exists(pk)' } },
        this.headPut(head, expected),
        this.auditPut(pk, audit),
      ],
      `the reconciliation of ${record.operatorId} on ${record.serviceDay} changed meanwhile; read it again`,
    );
  }

  async moveHead(head: ReconciliationHead, expected: ExpectedHead, audit: ReconciliationAuditEvent): Promise<void> {
    const pk = K.partition(head.serviceDay, head.operatorId);
    await this.transact(
      [this.headPut(head, expected), this.auditPut(pk, audit)],
      `the reconciliation of ${head.operatorId} on ${head.serviceDay} changed meanwhile; read it again`,
    );
  }

  async approvals(serviceDay: string, operatorId: string): Promise<PaymentRecord[]> {
    return (await this.query(K.partition(serviceDay, operatorId), K.approvalPrefix)).map((i) => strip<PaymentRecord>(i));
  }

  async auditTrail(serviceDay: string, operatorId: string): Promise<ReconciliationAuditEvent[]> {
    return (await this.query(K.partition(serviceDay, operatorId), K.auditPrefix)).map((i) => strip<ReconciliationAuditEvent>(i));
  }

  async recordAudit(serviceDay: string, operatorId: string, audit: ReconciliationAuditEvent): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk: K.partition(serviceDay, operatorId), sk: K.audit(Date.parse(audit.at), audit.id), ...audit } }),
    );
  }

  async list(filter: ReconciliationFilter, limit: number, after?: Item): Promise<ReconciliationPage> {
    const byDay = filter.serviceDay !== undefined;
    const values: Item = {};
    let condition: string;
    if (byDay) {
      condition = 'dayKey = :pk';
      values[':pk'] = K.dayKey(filter.serviceDay!);
      if (filter.operatorId) {
        condition += ' AND operatorKey = :op';
        values[':op'] = K.operatorKey(filter.operatorId);
      }
    } else {
      condition = 'operatorKey = :pk AND dayKey BETWEEN :from AND :to';
      values[':pk'] = K.operatorKey(filter.operatorId!);
      values[':from'] = K.dayKey(filter.fromDay ?? '0000-00-00');
      values[':to'] = K.dayKey(filter.toDay ?? '9999-99-99');
    }
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: byDay ? 'byDay' : 'byOperator',
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        Limit: limit,
        ...(after ? { ExclusiveStartKey: after } : {}),
      }),
    );
    this.itemsRead += out.Items?.length ?? 0;
    return { items: (out.Items ?? []).map((i) => strip<ReconciliationHead>(i)), ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }

  async putAdvance(advance: StoredAdvance): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: K.advances(advance.operatorId, advance.month), sk: K.advance(advance.id), ...advance },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async advances(operatorId: string, month: string): Promise<StoredAdvance[]> {
    return (await this.query(K.advances(operatorId, month))).map((i) => strip<StoredAdvance>(i)).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  }

  /** The pointer's put, conditional on it being as `expected` (absent for version 0). */
  private headPut(head: ReconciliationHead, expected: ExpectedHead) {
    const item = {
      pk: K.partition(head.serviceDay, head.operatorId),
      sk: K.current,
      dayKey: K.dayKey(head.serviceDay),
      operatorKey: K.operatorKey(head.operatorId),
      ...head,
    };
    if (expected.version === 0) return { Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
    return {
      Put: {
        TableName: this.table,
        Item: item,
        ConditionExpression: 'version = :v AND #status = :s AND approvals = :a',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':v': expected.version, ':s': expected.status ?? 'open', ':a': expected.approvals ?? 0 },
      },
    };
  }

  private auditPut(pk: string, audit: ReconciliationAuditEvent) {
    return { Put: { TableName: this.table, Item: { pk, sk: K.audit(Date.parse(audit.at), audit.id), ...audit } } };
  }

  private async transact(items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>, conflict: string): Promise<void> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'))
        throw new Conflict(conflict, 'concurrent-change');
      throw err;
    }
  }

  private async query(pk: string, prefix?: string): Promise<Item[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: `pk = :pk${prefix ? ' AND begins_with(sk, :prefix)' : ''}`,
      ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
      ConsistentRead: true,
    });
    this.itemsRead += items.length;
    return items;
  }
}
