/**
 * Reconciliations: runs, statements with their evidence, diffs, review, approval and reopening (the centre);
 * exports (CSV, the acceptance record); the monthly settlement and advances. Operators read their own only.
 */
import { apiRoutes } from '../../shared/api/index.js';
import { actorOf } from '../../shared/adapters/http/actor.js';
import { apiFunction, type ApiFunctionEnv } from '../../shared/adapters/http/api-function.js';
import { decodeCursor, encodeCursor } from '../../shared/adapters/http/cursor.js';
import { HttpResponse } from '../../shared/adapters/http/http-types.js';
import type { ReconciliationDesk } from '../../shared/domain/reconciliation-desk/desk.js';
import { acceptanceRecordHtml } from '../../shared/domain/reconciliation-exports/acceptance-record.js';
import { settlementCsv, statementCsv } from '../../shared/domain/reconciliation-exports/csv.js';

export interface ReconciliationApiDeps {
  reconciliations: ReconciliationDesk;
  cursorKey: string;
}

const csvHeaders = (filename: string) => ({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` });

export function makeHandlers(env: ApiFunctionEnv<ReconciliationApiDeps>) {
  const r = apiRoutes;
  return {
    [r.runReconciliation.id]: apiFunction(r.runReconciliation, env, async ({ body, principal }, d) => ({
      runs: await d.reconciliations.run(body.serviceDay, body.operatorId, actorOf(principal)),
    })),
    [r.listReconciliations.id]: apiFunction(r.listReconciliations, env, async ({ query, principal }, d) => {
      const { limit, cursor, ...filter } = query;
      const bound = { ...filter, scope: principal?.role === 'operator' ? principal.operatorId : 'centre' };
      const page = await d.reconciliations.list(filter, actorOf(principal), limit, await decodeCursor(cursor, d.cursorKey, bound));
      const nextCursor = await encodeCursor(page.lastKey, d.cursorKey, bound);
      return { items: page.items, ...(nextCursor ? { nextCursor } : {}) };
    }),
    [r.getReconciliation.id]: apiFunction(r.getReconciliation, env, ({ params, query, principal }, d) =>
      d.reconciliations.get(params.serviceDay, params.operatorId, actorOf(principal), query.version),
    ),
    [r.diffReconciliation.id]: apiFunction(r.diffReconciliation, env, ({ params, query, principal }, d) =>
      d.reconciliations.diff(params.serviceDay, params.operatorId, query.from, query.to, actorOf(principal)),
    ),
    [r.resolveReconciliationLine.id]: apiFunction(r.resolveReconciliationLine, env, ({ params, body, principal }, d) =>
      d.reconciliations.resolve(params.serviceDay, params.operatorId, body, actorOf(principal)),
    ),
    [r.approveReconciliation.id]: apiFunction(r.approveReconciliation, env, ({ params, body, principal }, d) =>
      d.reconciliations.approve(params.serviceDay, params.operatorId, actorOf(principal), body.version),
    ),
    [r.reopenReconciliation.id]: apiFunction(r.reopenReconciliation, env, ({ params, body, principal }, d) =>
      d.reconciliations.reopen(params.serviceDay, params.operatorId, body.reason, actorOf(principal)),
    ),
    [r.exportReconciliationCsv.id]: apiFunction(r.exportReconciliationCsv, env, async ({ params, query, principal }, d) => {
      const view = await d.reconciliations.get(params.serviceDay, params.operatorId, actorOf(principal), query.version);
      return new HttpResponse(
        200,
        statementCsv(view.version.statement, query.lang),
        csvHeaders(`nghiem-thu_${params.operatorId}_${params.serviceDay}_v${view.version.version}.csv`),
      );
    }),
    [r.acceptanceRecord.id]: apiFunction(r.acceptanceRecord, env, async ({ params, query, principal }, d) => {
      const view = await d.reconciliations.get(params.serviceDay, params.operatorId, actorOf(principal), query.version);
      const current = view.version.version === view.head.version;
      const approval = view.approvals.filter((a) => a.version === view.version.version).at(-1);
      const html = acceptanceRecordHtml(
        {
          statement: view.version.statement,
          version: view.version.version,
          status: current ? view.head.status : approval ? 'approved' : 'open',
          ...(approval ? { approval: { approvedBy: approval.approvedBy.id, approvedAt: approval.approvedAt } } : {}),
        },
        query.lang,
      );
      return new HttpResponse(200, html, { 'content-type': 'text/html; charset=utf-8' });
    }),
    [r.getSettlement.id]: apiFunction(r.getSettlement, env, ({ params, principal }, d) =>
      d.reconciliations.settlement(params.operatorId, params.month, actorOf(principal)),
    ),
    [r.exportSettlementCsv.id]: apiFunction(r.exportSettlementCsv, env, async ({ params, query, principal }, d) => {
      const settlement = await d.reconciliations.settlement(params.operatorId, params.month, actorOf(principal));
      return new HttpResponse(200, settlementCsv(settlement, query.lang), csvHeaders(`quyet-toan_${params.operatorId}_${params.month}.csv`));
    }),
    [r.recordAdvance.id]: apiFunction(r.recordAdvance, env, ({ body, principal }, d) => d.reconciliations.recordAdvance(body, actorOf(principal))),
    [r.listAdvances.id]: apiFunction(r.listAdvances, env, async ({ query, principal }, d) => ({
      items: await d.reconciliations.advances(query.operatorId, query.month, actorOf(principal)),
    })),
  };
}
