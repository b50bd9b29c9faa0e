/** Creates the catalogue's tables (DynamoDB Local, tests); on AWS, CDK creates them from the same definitions. */
import { CreateTableCommand, type DynamoDBClient, ResourceInUseException, UpdateTimeToLiveCommand, type AttributeDefinition } from '@aws-sdk/client-dynamodb';
import { tables, type TableDef, type TableName } from '../../catalogue/index.js';

function attributeDefinitions(def: TableDef): AttributeDefinition[] {
  const seen = new Map<string, AttributeDefinition>();
  const add = (k?: { name: string; type: 'S' | 'N' }) => k && seen.set(k.name, { AttributeName: k.name, AttributeType: k.type });
  add(def.partitionKey);
  add(def.sortKey);
  for (const idx of def.indexes) {
    add(idx.partitionKey);
    add(idx.sortKey);
  }
  return [...seen.values()];
}

/**
 * Creates every table that does not exist yet; safe to call again. `expireItems: false` leaves TTL off: DynamoDB
 * Local really deletes expired items, and tests that live on a fixed past day must keep what they write.
 */
export async function createTables(client: DynamoDBClient, names: Record<TableName, string>, opts: { expireItems?: boolean } = {}): Promise<void> {
  for (const [key, def] of Object.entries(tables) as [TableName, TableDef][]) {
    const TableName = names[key];
    try {
      await client.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(def),
          KeySchema: [
            { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
            ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' as const }] : []),
          ],
          ...(def.indexes.length
            ? {
                GlobalSecondaryIndexes: def.indexes.map((idx) => ({
                  IndexName: idx.name,
                  KeySchema: [
                    { AttributeName: idx.partitionKey.name, KeyType: 'HASH' as const },
                    ...(idx.sortKey ? [{ AttributeName: idx.sortKey.name, KeyType: 'RANGE' as const }] : []),
                  ],
                  Projection: { ProjectionType: idx.projection === 'keys' ? ('KEYS_ONLY' as const) : ('ALL' as const) },
                })),
              }
            : {}),
        }),
      );
      if (def.ttlAttribute && opts.expireItems !== false) {
        await client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true } }));
      }
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
  }
}
