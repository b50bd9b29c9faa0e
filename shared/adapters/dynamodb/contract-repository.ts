/** The `route-contracts` table: every version of every route's contract, in one small partition. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.js';
import { keys, tables } from '../../catalogue/index.js';
import type { RouteContract } from '../../domain/contracts/schemas.js';
import type { ContractStore } from '../../domain/trip-orders/ports.js';
import { batchPut } from './batch.js';

const C = keys.routeContract;

export class DynamoContractRepository implements ContractStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Adds or replaces versions (a version is a route and its effective-from day). */
  async put(contracts: readonly RouteContract[]): Promise<void> {
    const failed = await batchPut(
      this.doc,
      contracts.map((c) => ({ owner: c.routeId, table: this.table, item: { pk: C.partition, sk: C.sort(c.routeId, c.effectiveFrom), ...c } })),
      { [this.table]: [tables.routeContracts.partitionKey.name, tables.routeContracts.sortKey.name] },
    );
    if (failed.size) throw new Error(`contracts of ${[...failed.keys()].join(', ')} could not be stored`);
  }

  async all(routeId?: string): Promise<RouteContract[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: routeId ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': C.partition, ...(routeId ? { ':prefix': C.routePrefix(routeId) } : {}) },
    });
    return items.map(({ pk: _pk, sk: _sk, ...contract }) => contract as RouteContract);
  }
}
