/**
 * The DynamoDB tables of the catalogue, and the only way a function is granted access to them: the
 * catalogue's `read` / `write` / `readWrite` become exactly the item-level actions below.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
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

export interface CatalogueTablesProps {
  /** Retain the tables and protect them from deletion (prod); otherwise they go with the stack (dev). Default true. */
  keepData?: boolean;
}

export class CatalogueTables extends Construct {
  /** By catalogue key (`tripOrders`), which is what functions and `tableEnvVar` use; `def.name` may differ (`trip-orders`). */
  private readonly byName = new Map<TableName, { def: TableDef; table: Table }>();

  constructor(scope: Construct, id: string, props: CatalogueTablesProps = {}) {
    super(scope, id);
    const keepData = props.keepData ?? true;
    for (const [name, def] of Object.entries(tables) as [TableName, TableDef][]) {
      const table = new Table(this, pascalCase(def.name), {
        partitionKey: attribute(def.partitionKey),
        ...(def.sortKey ? { sortKey: attribute(def.sortKey) } : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.AWS_MANAGED,
        // Point-in-time recovery (35 days, billed per GB) where nothing else could bring the data back.
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: !def.retention.rebuildable },
        deletionProtection: keepData,
        removalPolicy: keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
      });
      if (def.retention.rebuildable) {
        Validations.of(table).acknowledge({
          id: 'AwsSolutions-DDB3',
          reason:
            `No point-in-time recovery on the ${def.name} table: it can be rebuilt without a backup (${def.retention.why}). ` +
            'Every table that cannot be rebuilt has it (retention in shared/catalogue/tables.ts, docs/infra.md).',
        });
      }
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
