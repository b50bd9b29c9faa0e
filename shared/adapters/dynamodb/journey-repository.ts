/** The `journeys` table: trips performed with their stop visits, per service day; by operator/route and by bus. */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys, tables } from '../../catalogue/index.js';
import type { JourneyRecord } from '../../domain/journeys/journey-record.js';
import type { JourneyStore } from '../../domain/journeys/recompute.js';
import type { ReconciliationJourney } from '../../domain/reconciliation/types.js';
import { batchDelete, batchPut } from './batch.js';
import { decodeSummary, encodeSummary } from './journey-summary-codec.js';
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

  /**
   * Stores the bus's trips of the day, each as a journey record, and with them the reconciliation summary of the
   * bus-day, one item per operator (`summaryPartition`): what reconciliation reads, without the fare transactions.
   */
  async replaceBusDay(busId: string, serviceDay: string, trips: readonly JourneyRecord[]): Promise<void> {
    const items = trips.map((t) => ({ pk: J.partition(serviceDay), sk: J.trip(t.operatorId, t.routeId, t.tripId), busKey: J.busKey(busId, serviceDay), ...t }));
    const keep = new Set(items.map((i) => i.sk));
    const earlier = await this.queryAll({ index: 'byBus', pk: J.busKey(busId, serviceDay) });
    const stale = earlier.filter((i) => !keep.has(i.sk as string));
    const byOperator = new Map<string, JourneyRecord[]>();
    for (const t of trips) byOperator.set(t.operatorId, [...(byOperator.get(t.operatorId) ?? []), t]);
    const summaries = [...byOperator].map(([operatorId, list]) => ({
      pk: J.summaryPartition(serviceDay),
      sk: J.summary(operatorId, busId),
      operatorId,
      busId,
      trips: list.length,
      data: encodeSummary(list),
    }));
    const failed = await batchPut(
      this.doc,
      [...items, ...summaries].map((item) => ({ owner: busId, table: this.table, item })),
      { [this.table]: KEY_NAMES },
    );
    if (failed.size) throw new Error(`journeys of ${busId} on ${serviceDay} could not be stored`);
    // Trips an earlier computation found that this one does not (the plan or the data changed) are removed, and
    // the summaries of operators the bus no longer ran a trip for.
    const staleOperators = [...new Set(earlier.map((i) => i.operatorId as string))].filter((op) => !byOperator.has(op));
    const deletes = [
      ...stale.map((i) => ({ pk: i.pk, sk: i.sk })),
      ...staleOperators.map((op) => ({ pk: J.summaryPartition(serviceDay), sk: J.summary(op, busId) })),
    ];
    if (deletes.length) await batchDelete(this.doc, this.table, deletes);
  }

  /**
   * What reconciliation reads of a day's trips (of one operator): the reconciliation summaries stored with them,
   * a few small items per bus. `undefined` when the day has none (its journeys were stored before summaries were).
   */
  async reconciliationJourneys(serviceDay: string, operatorId?: string): Promise<{ trips: ReconciliationJourney[]; itemsRead: number } | undefined> {
    const items = await this.queryAll({ pk: J.summaryPartition(serviceDay), ...(operatorId ? { prefix: J.prefix(operatorId) } : {}) });
    if (!items.length) return undefined;
    return { trips: items.flatMap((i) => decodeSummary(i.data as Uint8Array)), itemsRead: items.length };
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
