/** The daily reconciliation job's core: yesterday's service day (or the one asked for), every operator or one. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableName } from '../../shared/catalogue/index.js';
import { reconciliationDesk } from '../../shared/adapters/reconciliation.js';
import type { Clock } from '../../shared/domain/ports/clock.js';
import type { Logger } from '../../shared/domain/ports/logger.js';
import type { RunOutcome } from '../../shared/domain/reconciliation-desk/desk.js';
import { serviceDayOf } from '../../shared/kernel/time/service-day.js';

/** The job's actor in the audit trail. */
const SCHEDULE_ACTOR = { role: 'system', id: 'schedule:reconcile-day' } as const;

/** At 04:00 local the service day that ended an hour ago is yesterday's date. */
export function dayToReconcile(nowMs: number): string {
  return serviceDayOf(nowMs - 4 * 3_600_000);
}

export interface ReconcileDayResult {
  serviceDay: string;
  operators: number;
  created: number;
  unchanged: number;
  approved: number;
  runs: RunOutcome[];
}

/** Runs the day's reconciliation through the desk, on `clock`. */
export async function reconcileServiceDay(
  doc: DynamoDBDocumentClient,
  tableNames: Record<TableName, string>,
  logger: Logger,
  clock: Clock,
  serviceDay: string = dayToReconcile(clock.now()),
  operatorId?: string,
): Promise<ReconcileDayResult> {
  const { desk } = reconciliationDesk(doc, tableNames, logger, clock);
  const runs = await desk.run(serviceDay, operatorId, SCHEDULE_ACTOR);
  const count = (o: RunOutcome['outcome']) => runs.filter((r) => r.outcome === o).length;
  return { serviceDay, operators: runs.length, created: count('created'), unchanged: count('unchanged'), approved: count('approved'), runs };
}
