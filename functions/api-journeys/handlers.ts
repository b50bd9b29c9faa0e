/** Journeys: trips performed and stop visits (operators see only their own), quality, and the TIDES CSV exports. */
import { apiRoutes } from '../../shared/api/index.js';
import type { DynamoComplaintRepository } from '../../shared/adapters/dynamodb/complaint-repository.js';
import type { DynamoJourneyRepository } from '../../shared/adapters/dynamodb/journey-repository.js';
import { apiFunction, type ApiFunctionEnv } from '../../shared/adapters/http/api-function.js';
import { decodeCursor, encodeCursor } from '../../shared/adapters/http/cursor.js';
import { HttpResponse } from '../../shared/adapters/http/http-types.js';
import { scopedToCaller } from '../../shared/domain/access/operator-scope.js';
import { fareTransactionsCsv, passengerEventsCsv, stopVisitsCsv, tripsPerformedCsv } from '../../shared/domain/journeys/tides.js';
import { summariseQuality, watchList } from '../../shared/domain/journeys/quality.js';
import { confirmedComplaintsByOperator } from '../../shared/domain/complaints/verdict.js';

export interface JourneyApiDeps {
  journeys: Pick<DynamoJourneyRepository, 'list' | 'page'>;
  complaintRecords: Pick<DynamoComplaintRepository, 'listDay'>;
  cursorKey: string;
}

const TIDES_CSV = {
  trips_performed: tripsPerformedCsv,
  stop_visits: stopVisitsCsv,
  passenger_events: passengerEventsCsv,
  fare_transactions: fareTransactionsCsv,
};

export function makeHandlers(env: ApiFunctionEnv<JourneyApiDeps>) {
  const r = apiRoutes;
  return {
    [r.listJourneys.id]: apiFunction(r.listJourneys, env, async ({ query, principal }, d) => {
      const { limit, cursor, ...asked } = query;
      const filter = scopedToCaller(principal, asked, 'journeys');
      const page = await d.journeys.page(filter, limit, await decodeCursor(cursor, d.cursorKey, filter));
      const nextCursor = await encodeCursor(page.lastKey, d.cursorKey, filter);
      return { items: page.items, ...(nextCursor ? { nextCursor } : {}) };
    }),
    // Quality and the exports are over the whole day: every page.
    [r.qualitySummary.id]: apiFunction(r.qualitySummary, env, async ({ query, principal }, d) => {
      const { earlyMin, lateMin, ...filter } = scopedToCaller(principal, query, 'journeys');
      const [trips, complaints] = await Promise.all([d.journeys.list(filter), d.complaintRecords.listDay(filter.serviceDay)]);
      return {
        ...summariseQuality(trips, { earlyS: earlyMin * 60, lateS: lateMin * 60 }),
        confirmedComplaintsByOperator: confirmedComplaintsByOperator(complaints, filter),
      };
    }),
    [r.watchList.id]: apiFunction(r.watchList, env, async ({ query, principal }, d) => {
      const { earlyMin, lateMin, endDay, days, operatorId } = scopedToCaller(principal, query, 'journeys');
      const end = Date.parse(`${endDay}T00:00:00Z`);
      const dayList = Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
      const byDay = await Promise.all(
        dayList.map(async (day) => ({ day, trips: await d.journeys.list({ serviceDay: day, ...(operatorId ? { operatorId } : {}) }) })),
      );
      return watchList(byDay, { earlyS: earlyMin * 60, lateS: lateMin * 60 });
    }),
    [r.exportTides.id]: apiFunction(r.exportTides, env, async ({ params, query, principal }, d) => {
      const trips = await d.journeys.list(scopedToCaller(principal, query, 'journeys'));
      return new HttpResponse(200, TIDES_CSV[params.table](trips), {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${params.table}_${query.serviceDay}.csv"`,
      });
    }),
  };
}
