/**
 * The DynamoDB tables of the catalogue, and the only way a function is granted access to them: the
 * catalogue's `read` / `write` / `readWrite` become exactly the item-level actions below.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { tables, type KeyAttribute, type TableAccess, type TableDef, type TableName } from '../../shared/catalogue/index.js';
import { pascalCase } from './names.js';

/**
 * What each access level may do. Narrower than `grantReadData`/`grantWriteData`: no Scan (no function
 * reads a whole table), no DeleteItem (data leaves by TTL), no table-level or stream actions.
 */
const TABLE_ACTIONS: Record<'read' | 'write', readonly string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
};

function attribute(key: KeyAttribute): Attribute {
  return { name: key.name, type: key.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING };
}

export class CatalogueTables extends Construct {
  /** By catalogue key (`tripOrders`), which is what functions and `tableEnvVar` use; `def.name` may differ (`trip-orders`). */
  private readonly byName = new Map<TableName, { def: TableDef; table: Table }>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const [name, def] of Object.entries(tables) as [TableName, TableDef][]) {
      const table = new Table(this, pascalCase(def.name), {
        partitionKey: attribute(def.partitionKey),
        ...(def.sortKey ? { sortKey: attribute(def.sortKey) } : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
      });
      for (const index of def.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
          projectionType: index.projection === 'keys' ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
        });
      }
      this.byName.set(name, { def, table });
    }
  }

  table(name: TableName): Table {
    const entry = this.byName.get(name);
    if (!entry) throw new Error(`table ${name} is not in the catalogue`);
    return entry.table;
  }

  /** Grants `access` on one table: item actions on the table, reads also on each of its indexes (by name). */
  grant(grantee: IGrantable, name: TableName, access: TableAccess): void {
    const { def, table } = this.byName.get(name) ?? { def: undefined, table: undefined };
    if (!def || !table) throw new Error(`table ${name} is not in the catalogue`);
    if (access === 'read' || access === 'readWrite') {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [...TABLE_ACTIONS.read],
          resources: [table.tableArn, ...def.indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
        }),
      );
    }
    if (access === 'write' || access === 'readWrite') {
      grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: [...TABLE_ACTIONS.write], resources: [table.tableArn] }));
    }
  }
}
