/** `npm run trip-orders:close -- --date YYYY-MM-DD`: the day-end job, against the running local stack. */
import { parseArgs } from 'node:util';
import { silentLogger } from '../../../shared/domain/ports/logger.js';
import { closeServiceDay, endedServiceDay } from '../../../functions/job-close-service-day/close-day.js';
import { withRunningStack } from './running-stack.js';

const { values } = parseArgs({ options: { date: { type: 'string' }, dynamodb: { type: 'string' } } });
process.exitCode = await withRunningStack(values.dynamodb, async ({ config, doc, clock }) => {
  const day = values.date ?? endedServiceDay(clock.now());
  const closed = await closeServiceDay(doc, config.tableNames.tripOrders, silentLogger, day, clock);
  console.log(`Service day ${day}: ${closed} trip orders closed.`);
  return 0;
});
