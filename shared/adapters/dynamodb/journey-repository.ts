/** The `journeys` table: trips performed with their stop visits, per service day; by operator/route and by bus. */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys, tables } from '../../catalogue/index.js';
import type { JourneyRecord } from '../../domain/journeys/journey-record.js';
import type { JourneyStore } from '../../domain/journeys/recompute.js';
import { batchDelete, batchPut } from './batch.js';
import { queryAll } from './query-all.js';

const J = keys.journey;
const KEY_NAMES = [tables.journeys.partitionKey.name, tables.journeys.sortKey.name];

export interface JourneyFilter {
  serviceDay: string;
  operatorId?: string;
  routeId?: string;
  busId?: string;
}

export class DynamoJourneyRepository implements JourneyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async replaceBusDay(busId: string, serviceDay: string, trips: readonly JourneyRecord[]): Promise<void> {
    const items = trips.map((t) => ({ pk: J.partition(serviceDay), sk: J.trip(t.operatorId, t.routeId, t.tripId), busKey: J.busKey(busId, serviceDay), ...t }));
    const keep = new Set(items.map((i) => i.sk));
    const stale = (await this.queryAll({ index: 'byBus', pk: J.busKey(busId, serviceDay) })).filter((i) => !keep.has(i.sk as string));
    const failed = await batchPut(
      this.doc,
      items.map((item) => ({ owner: busId, table: this.table, item })),
      { [this.table]: KEY_NAMES },
    );
    if (failed.size) throw new Error(`journeys of ${busId} on ${serviceDay} could not be stored`);
    // Trips an earlier computation found that this one does not (the plan or the data changed) are removed.
    if (stale.length)
      await batchDelete(
        this.doc,
        this.table,
        stale.map((i) => ({ pk: i.pk, sk: i.sk })),
      );
  }

  async list(filter: JourneyFilter): Promise<JourneyRecord[]> {
    const items = filter.busId
      ? await this.queryAll({ index: 'byBus', pk: J.busKey(filter.busId, filter.serviceDay) })
      : await this.queryAll({ pk: J.partition(filter.serviceDay), ...(filter.operatorId ? { prefix: J.prefix(filter.operatorId, filter.routeId) } : {}) });
    return items
      .map(({ pk: _pk, sk: _sk, busKey: _b, ...t }) => t as unknown as JourneyRecord)
      .filter((t) => (!filter.operatorId || t.operatorId === filter.operatorId) && (!filter.routeId || t.routeId === filter.routeId));
  }

  /**
   * One page of `list` (at most `limit` trips, fewer when the filter drops some), from `startKey` on; `lastKey`
   * is DynamoDB's LastEvaluatedKey, absent on the last page.
   */
  async page(filter: JourneyFilter, limit: number, startKey?: Record<string, unknown>): Promise<{ items: JourneyRecord[]; lastKey?: Record<string, unknown> }> {
    const byBus = !!filter.busId;
    const prefix = !byBus && filter.operatorId ? J.prefix(filter.operatorId, filter.routeId) : undefined;
    // What the key does not select is filtered by DynamoDB, so that a page is not emptied client-side.
    const filters = {
      ...(byBus && filter.operatorId ? { operatorId: filter.operatorId } : {}),
      ...(filter.routeId && (byBus || !prefix) ? { routeId: filter.routeId } : {}),
    };
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        ...(byBus ? { IndexName: 'byBus' } : {}),
        KeyConditionExpression: `${byBus ? 'busKey' : 'pk'} = :pk${prefix ? ' AND begins_with(sk, :prefix)' : ''}`,
        ...(Object.keys(filters).length
          ? {
              FilterExpression: Object.keys(filters)
                .map((k) => `#${k} = :${k}`)
                .join(' AND '),
              ExpressionAttributeNames: Object.fromEntries(Object.keys(filters).map((k) => [`#${k}`, k])),
            }
          : {}),
        ExpressionAttributeValues: {
          ':pk': byBus ? J.busKey(filter.busId!, filter.serviceDay) : J.partition(filter.serviceDay),
          ...(prefix ? { ':prefix': prefix } : {}),
          ...Object.fromEntries(Object.entries(filters).map(([k, v]) => [`:${k}`, v])),
        },
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = (out.Items ?? []).map(({ pk: _pk, sk: _sk, busKey: _b, ...t }) => t as unknown as JourneyRecord);
    return { items, ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }

  private async queryAll(q: { index?: string; pk: string; prefix?: string }): Promise<Record<string, unknown>[]> {
    const pkName = q.index ? 'busKey' : 'pk';
    return queryAll(this.doc, {
      TableName: this.table,
      ...(q.index ? { IndexName: q.index } : {}),
      KeyConditionExpression: `${pkName} = :pk${q.prefix ? ' AND begins_with(sk, :prefix)' : ''}`,
      ExpressionAttributeValues: { ':pk': q.pk, ...(q.prefix ? { ':prefix': q.prefix } : {}) },
    });
  }
}
