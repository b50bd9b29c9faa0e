/** The `complaints` table: one item per complaint, with its evidence and verdict; a day's by the byDay index. */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DAY_MS, keys, retention } from '../../catalogue/index.js';
import type { ComplaintFilter, ComplaintStore } from '../../domain/complaints/ports.js';
import type { Complaint } from '../../domain/complaints/types.js';

const K = keys.complaint;

export class DynamoComplaintRepository implements ComplaintStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores a new complaint; it expires `retention.complaintsDays` after it was received. */
  async put(c: Complaint): Promise<void> {
    const expiresAt = Math.floor((Date.parse(c.receivedAt) + retention.complaintsDays * DAY_MS) / 1000);
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...c, listKey: K.listKey(Date.parse(c.at), c.id), expiresAt },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
  }

  async get(id: string): Promise<Complaint | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: K.item(id) }));
    return out.Item ? complaintOf(out.Item) : undefined;
  }

  /** A page of a day's complaints; the operator and verdict are filtered by DynamoDB (a page may hold fewer). */
  async page(filter: ComplaintFilter, limit: number, startKey?: Record<string, unknown>): Promise<{ items: Complaint[]; lastKey?: Record<string, unknown> }> {
    const conditions = [...(filter.operatorId ? ['contains(operatorIds, :op)'] : []), ...(filter.verdict ? ['verdict = :verdict'] : [])];
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byDay',
        KeyConditionExpression: 'serviceDay = :day',
        ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeValues: {
          ':day': filter.serviceDay,
          ...(filter.operatorId ? { ':op': filter.operatorId } : {}),
          ...(filter.verdict ? { ':verdict': filter.verdict } : {}),
        },
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    return { items: (out.Items ?? []).map(complaintOf), ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }

  /** Every complaint of a day (the quality view counts them). */
  async listDay(serviceDay: string): Promise<Complaint[]> {
    const all: Complaint[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.page({ serviceDay }, 200, startKey);
      all.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
    return all;
  }
}

function complaintOf({ listKey: _l, expiresAt: _e, ...c }: Record<string, unknown>): Complaint {
  return c as unknown as Complaint;
}
