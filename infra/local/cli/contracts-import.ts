/** `npm run contracts:import -- file.json`: validates route contracts and stores them in the running local stack. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DynamoContractRepository } from '../../../shared/adapters/dynamodb/contract-repository.js';
import { parseContractSet } from '../../../shared/domain/contracts/contracts.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import { withRunningStack } from './running-stack.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dynamodb: { type: 'string' } } });

async function main(): Promise<number> {
  const [file] = positionals;
  if (!file) {
    console.error('usage: npm run contracts:import -- FILE.json ({"contracts": [...]} or a list) [--dynamodb URL]');
    return 2;
  }
  const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  let contracts: ReturnType<typeof parseContractSet>;
  try {
    contracts = parseContractSet(Array.isArray(data) ? data : (data as { contracts?: unknown }).contracts);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    console.error(`Refused ${file}:`);
    for (const i of err.issues) console.error(`  ${i.field}: ${i.message}`);
    return 1;
  }
  return withRunningStack(values.dynamodb, async ({ config, doc }) => {
    await new DynamoContractRepository(doc, config.tableNames.routeContracts).put(contracts);
    console.log(`Stored ${contracts.length} route contract versions (${new Set(contracts.map((c) => c.routeId)).size} routes).`);
    return 0;
  });
}

process.exitCode = await main();
