/** `npm run network:import -- path/to/gtfs(.zip)`: validates a GTFS feed and stores it, versioned, in the running local stack. */
import { parseArgs } from 'node:util';
import { DynamoNetworkRepository } from '../../../shared/adapters/dynamodb/network-repository.js';
import { loadGtfs } from '../../../shared/gtfs/load.js';
import { formatIssue, GtfsFeedError } from '../../../shared/gtfs/issues.js';
import { networkFailureLine } from '../network-failure.js';
import { withRunningStack } from './running-stack.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dynamodb: { type: 'string' } } });

async function main(): Promise<number> {
  const [path] = positionals;
  if (!path) {
    console.error('usage: npm run network:import -- PATH (a GTFS directory or .zip) [--dynamodb URL]');
    return 2;
  }
  let imported: Awaited<ReturnType<typeof loadGtfs>>;
  try {
    imported = await loadGtfs(path);
  } catch (err) {
    console.error(networkFailureLine(path, err));
    if (err instanceof GtfsFeedError) for (const issue of err.issues.slice(0, 50)) console.error(`  ${formatIssue(issue)}`);
    return 1;
  }
  const { network, issues } = imported;
  for (const issue of issues.slice(0, 50)) console.error(`  ${formatIssue(issue)}`);
  if (issues.length > 50) console.error(`  … and ${issues.length - 50} more`);
  return withRunningStack(values.dynamodb, async ({ config, doc }) => {
    let result: Awaited<ReturnType<DynamoNetworkRepository['importNetwork']>>;
    try {
      result = await new DynamoNetworkRepository(doc, config.tableNames.network).importNetwork(network, path);
    } catch (err) {
      console.error(networkFailureLine(path, err));
      return 1;
    }
    const c = result.counts;
    console.log(
      `${result.written ? 'Imported' : 'Already imported'} network version ${result.version}: ${c.agencies} agencies, ${c.routes} routes, ${c.stops} stops, ${c.patterns} patterns, ${c.trips} trips` +
        ` (${issues.filter((i) => i.severity === 'error').length} rows skipped, ${issues.filter((i) => i.severity === 'warning').length} warnings). It is now the current version.`,
    );
    return 0;
  });
}

process.exitCode = await main();
