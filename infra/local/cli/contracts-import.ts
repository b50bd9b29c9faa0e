/** `npm run contracts:import -- file.json`: validates route contracts and stores them in the running local stack. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../../shared/adapters/dynamodb/client.js';
import { DynamoContractRepository } from '../../../shared/adapters/dynamodb/contract-repository.js';
import { parseContractSet } from '../../../shared/domain/contracts/contracts.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import { readEndpoints } from '../state-file.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dynamodb: { type: 'string' } } });

async function main(): Promise<number> {
  const [file] = positionals;
  if (!file) {
    console.error('usage: npm run contracts:import -- FILE.json ({"contracts": [...]} or a list) [--dynamodb URL]');
    return 2;
  }
  const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  let contracts;
  try {
    contracts = parseContractSet(Array.isArray(data) ? data : (data as { contracts?: unknown }).contracts);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    console.error(`Refused ${file}:`);
    for (const i of err.issues) console.error(`  ${i.field}: ${i.message}`);
    return 1;
  }
  const running = readEndpoints();
  const endpoint = values.dynamodb ?? running?.dynamodbEndpoint;
  if (!endpoint) {
    console.error('No local stack is running: start it with `npm start` (or pass --dynamodb URL).');
    return 1;
  }
  const config = loadConfig({ ...process.env, BUSFLOW_DYNAMODB_ENDPOINT: endpoint, ...(running ? { BUSFLOW_TABLE_PREFIX: running.tablePrefix } : {}) });
  const client = createDynamoClient(config);
  try {
    await new DynamoContractRepository(createDocumentClient(client), config.tableNames.routeContracts).put(contracts);
    console.log(`Stored ${contracts.length} route contract versions (${new Set(contracts.map((c) => c.routeId)).size} routes).`);
    return 0;
  } finally {
    client.destroy();
  }
}

process.exitCode = await main();
