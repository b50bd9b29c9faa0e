/** Complaints: record one with its evidence and verdict (centre), list a day's, get one (operators: those about them). */
import { apiRoutes } from '../../shared/api/index.js';
import { actorOf } from '../../shared/adapters/http/actor.js';
import { apiFunction, type ApiFunctionEnv } from '../../shared/adapters/http/api-function.js';
import { decodeCursor, encodeCursor } from '../../shared/adapters/http/cursor.js';
import { HttpResponse } from '../../shared/adapters/http/http-types.js';
import { scopedToCaller } from '../../shared/domain/access/operator-scope.js';
import type { ComplaintDesk } from '../../shared/domain/complaints/desk.js';

export interface ComplaintApiDeps {
  complaints: ComplaintDesk;
  cursorKey: string;
}

const r = apiRoutes;

export function makeHandlers(env: ApiFunctionEnv<ComplaintApiDeps>) {
  return {
    [r.createComplaint.id]: apiFunction(r.createComplaint, env, async ({ body, principal }, d) => {
      const complaint = await d.complaints.record(body, actorOf(principal));
      return new HttpResponse(201, complaint, { location: `/v1/complaints/${complaint.id}` });
    }),
    [r.listComplaints.id]: apiFunction(r.listComplaints, env, async ({ query, principal }, d) => {
      const { limit, cursor, ...asked } = query;
      // The cursor is bound to the filter as it runs: an operator's names its own operator.
      const filter = scopedToCaller(principal, asked, 'complaints');
      const page = await d.complaints.page(filter, limit, await decodeCursor(cursor, d.cursorKey, filter), actorOf(principal));
      const nextCursor = await encodeCursor(page.lastKey, d.cursorKey, filter);
      return { items: page.items, ...(nextCursor ? { nextCursor } : {}) };
    }),
    [r.getComplaint.id]: apiFunction(r.getComplaint, env, ({ params, principal }, d) => d.complaints.get(params.id, actorOf(principal))),
  };
}
