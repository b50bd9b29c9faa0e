/**
 * The physical name of the deployed `vehicles` table. CloudFormation names the stack's tables
 * (`{stack}-TablesVehicles{hash}-{suffix}`), so unless it is given (`--vehicles-table`, or `TABLE_VEHICLES` as the
 * functions receive it) it is found by that prefix among the region's tables.
 */
import { ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableEnvVar, tables } from '../../../shared/catalogue/index.js';
import { pascalCase } from '../../constructs/names.js';
import { ProvisioningError } from './provisioning-error.js';

export async function resolveVehiclesTable(dynamo: DynamoDBClient, stackName: string, given: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  const named = given ?? env[tableEnvVar('vehicles')];
  if (named) return named;
  // The construct path is Tables/<pascalCase(name)> (infra/constructs/tables.ts).
  const prefix = `${stackName}-Tables${pascalCase(tables.vehicles.name)}`;
  const found: string[] = [];
  let start: string | undefined;
  do {
    const page = await dynamo.send(new ListTablesCommand({ ...(start ? { ExclusiveStartTableName: start } : {}) }));
    found.push(...(page.TableNames ?? []).filter((name) => name.startsWith(prefix)));
    start = page.LastEvaluatedTableName;
  } while (start);
  if (found.length === 1) return found[0]!;
  throw new ProvisioningError(
    found.length === 0
      ? `no table named ${prefix}… in this region: deploy the stack, or give --vehicles-table NAME`
      : `several tables named ${prefix}… (${found.join(', ')}): give --vehicles-table NAME`,
  );
}
