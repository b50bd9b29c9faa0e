/** `npm run reconcile -- --date YYYY-MM-DD [--operator X]`: the daily reconciliation, against the running local stack, on its clock. */
import { parseArgs } from 'node:util';
import { silentLogger } from '../../../shared/domain/ports/logger.js';
import { dayToReconcile, reconcileServiceDay } from '../../../functions/job-reconcile-day/reconcile-day.js';
import { withRunningStack } from './running-stack.js';

const { values } = parseArgs({ options: { date: { type: 'string' }, operator: { type: 'string' }, dynamodb: { type: 'string' } } });
process.exitCode = await withRunningStack(values.dynamodb, async ({ config, doc, clock }) => {
  const day = values.date ?? dayToReconcile(clock.now());
  const result = await reconcileServiceDay(doc, config.tableNames, silentLogger, clock, day, values.operator);
  console.log(
    `Service day ${day}: ${result.operators} operator(s); ${result.created} new version(s), ${result.unchanged} unchanged, ${result.approved} approved (reopen to re-run).`,
  );
  for (const r of result.runs) console.log(`  ${r.operatorId}: ${r.outcome}, version ${r.version} (${r.status}), input ${r.inputHash.slice(0, 12)}`);
  return 0;
});
