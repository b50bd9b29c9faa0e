/** `npm run network:import -- path/to/gtfs(.zip)`: validates a GTFS feed and stores it, versioned, in the running local stack. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../../shared/adapters/dynamodb/client.js';
import { DynamoNetworkRepository } from '../../../shared/adapters/dynamodb/network-repository.js';
import { loadGtfs } from '../../../shared/gtfs/model.js';
import { formatIssue, GtfsFeedError } from '../../../shared/gtfs/issues.js';
import { readEndpoints } from '../state-file.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dynamodb: { type: 'string' } } });

async function main(): Promise<number> {
  const [path] = positionals;
  if (!path) {
    console.error('usage: npm run network:import -- PATH (a GTFS directory or .zip) [--dynamodb URL]');
    return 2;
  }
  let imported;
  try {
    imported = await loadGtfs(path);
  } catch (err) {
    if (err instanceof GtfsFeedError) {
      console.error(`Refused ${path}: ${err.message}`);
      for (const issue of err.issues.slice(0, 50)) console.error(`  ${formatIssue(issue)}`);
      return 1;
    }
    throw err;
  }
  const { network, issues } = imported;
  for (const issue of issues.slice(0, 50)) console.error(`  ${formatIssue(issue)}`);
  if (issues.length > 50) console.error(`  … and ${issues.length - 50} more`);
  const running = readEndpoints();
  const endpoint = values.dynamodb ?? running?.dynamodbEndpoint;
  if (!endpoint) {
    console.error('No local stack is running: start it with `npm start` (or pass --dynamodb URL).');
    return 1;
  }
  const config = loadConfig({ ...process.env, BUSFLOW_DYNAMODB_ENDPOINT: endpoint, ...(running ? { BUSFLOW_TABLE_PREFIX: running.tablePrefix } : {}) });
  const client = createDynamoClient(config);
  try {
    const result = await new DynamoNetworkRepository(createDocumentClient(client), config.tableNames.network).importNetwork(network, path);
    const c = result.counts;
    console.log(
      `${result.written ? 'Imported' : 'Already imported'} network version ${result.version}: ${c.agencies} agencies, ${c.routes} routes, ${c.stops} stops, ${c.patterns} patterns, ${c.trips} trips` +
        ` (${issues.filter((i) => i.severity === 'error').length} rows skipped, ${issues.filter((i) => i.severity === 'warning').length} warnings). It is now the current version.`,
    );
    return 0;
  } finally {
    client.destroy();
  }
}

process.exitCode = await main();
