/** `npm run trip-orders:close -- --date YYYY-MM-DD`: the day-end job, against the running local stack. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../../shared/adapters/dynamodb/client.js';
import { silentLogger } from '../../../shared/domain/ports/logger.js';
import { closeServiceDay, endedServiceDay } from '../../../functions/job-close-service-day/close-day.js';
import { readEndpoints } from '../state-file.js';

const { values } = parseArgs({ options: { date: { type: 'string' }, dynamodb: { type: 'string' } } });
const running = readEndpoints();
const endpoint = values.dynamodb ?? running?.dynamodbEndpoint;
if (!endpoint) {
  console.error('No local stack is running: start it with `npm start` (or pass --dynamodb URL).');
  process.exitCode = 1;
} else {
  const config = loadConfig({ ...process.env, BUSFLOW_DYNAMODB_ENDPOINT: endpoint, ...(running ? { BUSFLOW_TABLE_PREFIX: running.tablePrefix } : {}) });
  const day = values.date ?? endedServiceDay(Date.now());
  const client = createDynamoClient(config);
  const closed = await closeServiceDay(createDocumentClient(client), config.tableNames.tripOrders, silentLogger, day);
  client.destroy();
  console.log(`Service day ${day}: ${closed} trip orders closed.`);
}
