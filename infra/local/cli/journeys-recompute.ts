/** `npm run journeys:recompute -- --date YYYY-MM-DD [--bus BUS-ID]`: recompute journeys in the running local stack. */
import { parseArgs } from 'node:util';
import { journeyRecomputer } from '../../../shared/adapters/journeys.js';
import { silentLogger } from '../../../shared/domain/ports/logger.js';
import { serviceDayOf } from '../../../shared/kernel/time/service-day.js';
import { withRunningStack } from './running-stack.js';

const { values } = parseArgs({ options: { date: { type: 'string' }, bus: { type: 'string' }, dynamodb: { type: 'string' } } });

process.exitCode = await withRunningStack(values.dynamodb, async ({ config, doc, clock }) => {
  const day = values.date ?? serviceDayOf(clock.now());
  const recompute = journeyRecomputer(doc, config.tableNames, silentLogger, clock);
  const trips = values.bus ? (await recompute.busDay(values.bus, day)).length : await recompute.serviceDay(day);
  console.log(`Service day ${day}${values.bus ? `, bus ${values.bus}` : ''}: ${trips} trips performed stored.`);
  return 0;
});
