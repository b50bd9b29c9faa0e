/**
 * The `trip-orders` table: one item per order (with its history), a guard item per operator order number (its
 * uniqueness is a conditional write, not a read-then-write race), and two indexes: a service day's orders by
 * operator/route/vehicle, and a vehicle's orders of a day.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../catalogue/index.js';
import { Conflict } from '../../domain/errors.js';
import type { TripOrderFilter, TripOrderPage, TripOrderStore } from '../../domain/trip-orders/ports.js';
import type { TripOrder } from '../../domain/trip-orders/schemas.js';

const K = keys.tripOrder;
const TRANSACTION_LIMIT = 100;

function itemOf(order: TripOrder): Record<string, unknown> {
  return {
    ...K.item(order.id),
    ...order,
    dayKey: K.dayKey(order.serviceDay),
    vehicleKey: K.vehicleKey(order.vehicle.busId, order.serviceDay),
    listKey: K.listKey(order.operatorId, order.routeId, order.vehicle.busId, order.id),
  };
}

function orderOf(item: Record<string, unknown>): TripOrder {
  const { pk: _pk, sk: _sk, dayKey: _d, vehicleKey: _v, listKey: _l, ...order } = item;
  return order as TripOrder;
}

export class DynamoTripOrderRepository implements TripOrderStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Creates orders atomically, each with its order-number guard: a duplicate fails them all with a Conflict. */
  async create(orders: readonly TripOrder[]): Promise<void> {
    if (orders.length * 2 > TRANSACTION_LIMIT) throw new Error(`at most ${TRANSACTION_LIMIT / 2} orders per transaction`);
    const items = orders.flatMap((o) => [
      { Put: { TableName: this.table, Item: itemOf(o), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: { TableName: this.table, Item: { ...K.orderNumber(o.operatorId, o.orderNumber), orderId: o.id }, ConditionExpression: 'attribute_not_exists(pk)' },
      },
    ]);
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (err instanceof TransactionCanceledException) {
        const i = (err.CancellationReasons ?? []).findIndex((r) => r.Code === 'ConditionalCheckFailed');
        if (i >= 0) {
          const order = orders[Math.floor(i / 2)]!;
          throw new Conflict(
            i % 2 ? `order number ${order.orderNumber} is already used by another trip order of ${order.operatorId}` : `trip order ${order.id} already exists`,
            'duplicate-order-number',
          );
        }
      }
      throw err;
    }
  }

  async get(id: string): Promise<TripOrder | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: K.item(id), ConsistentRead: true }));
    return out.Item ? orderOf(out.Item) : undefined;
  }

  /** Replaces an order if nobody changed it since `expectedRevision` (optimistic concurrency). */
  async update(order: TripOrder, expectedRevision: number): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: itemOf(order),
                ConditionExpression: 'revision = :expected',
                ExpressionAttributeValues: { ':expected': expectedRevision },
              },
            },
          ],
        }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException)
        throw new Conflict(`trip order ${order.id} was changed by someone else; read it again`, 'stale-revision');
      throw err;
    }
  }

  async list(filter: TripOrderFilter, limit: number, after?: Record<string, unknown>): Promise<TripOrderPage> {
    const byVehicle = filter.busId !== undefined;
    const values: Record<string, unknown> = { ':pk': byVehicle ? K.vehicleKey(filter.busId!, filter.serviceDay) : K.dayKey(filter.serviceDay) };
    let condition = byVehicle ? 'vehicleKey = :pk' : 'dayKey = :pk';
    if (filter.operatorId) {
      condition += ' AND begins_with(listKey, :prefix)';
      values[':prefix'] = K.listPrefix(filter.operatorId, filter.routeId);
    }
    const filters: string[] = [];
    const names: Record<string, string> = {};
    if (filter.routeId && !filter.operatorId) {
      filters.push('routeId = :route');
      values[':route'] = filter.routeId;
    }
    if (filter.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = filter.status;
    }
    const items: TripOrder[] = [];
    let startKey = after;
    // A filter may leave a page short: keep reading until the page is full or the index is exhausted.
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: byVehicle ? 'byVehicle' : 'byDay',
          KeyConditionExpression: condition,
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          Limit: limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(page.Items ?? []).map(orderOf));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return { items, ...(startKey ? { lastKey: startKey } : {}) };
  }

  async ofVehicle(busId: string, serviceDay: string): Promise<TripOrder[]> {
    const out: TripOrder[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.list({ serviceDay, busId }, 200, startKey);
      out.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
    return out;
  }
}
