/** Journeys: trips performed and stop visits (operators see only their own), and the TIDES CSV exports. */
import { apiRoutes } from '../../shared/api/index.js';
import type { DynamoJourneyRepository } from '../../shared/adapters/dynamodb/journey-repository.js';
import { httpHandler, HttpResponse, type HttpDeps } from '../../shared/adapters/http/http-handler.js';
import type { Principal } from '../../shared/adapters/http/principal.js';
import { Forbidden } from '../../shared/domain/errors.js';
import { fareTransactionsCsv, passengerEventsCsv, stopVisitsCsv, tripsPerformedCsv } from '../../shared/domain/journeys/tides.js';
import { summariseQuality, watchList } from '../../shared/domain/journeys/quality.js';

export interface JourneyApiDeps extends HttpDeps {
  journeys: DynamoJourneyRepository;
}

/** An operator's filter is its own operator; asking for another's is refused. */
function scoped<T extends { operatorId?: string }>(query: T, principal: Principal | undefined): T {
  if (principal?.role !== 'operator') return query;
  if (query.operatorId && query.operatorId !== principal.operatorId) throw new Forbidden(`operatorId: an operator sees only its own journeys (${principal.operatorId})`);
  return { ...query, operatorId: principal.operatorId };
}

export function makeHandlers(deps: () => Promise<JourneyApiDeps>) {
  return {
    [apiRoutes.listJourneys.id]: httpHandler(apiRoutes.listJourneys, deps, async ({ query, principal }, d) => ({ items: await d.journeys.list(scoped(query, principal)) })),
    [apiRoutes.qualitySummary.id]: httpHandler(apiRoutes.qualitySummary, deps, async ({ query, principal }, d) => {
      const { earlyMin, lateMin, ...filter } = scoped(query, principal);
      return summariseQuality(await d.journeys.list(filter), { earlyS: earlyMin * 60, lateS: lateMin * 60 });
    }),
    [apiRoutes.watchList.id]: httpHandler(apiRoutes.watchList, deps, async ({ query, principal }, d) => {
      const { earlyMin, lateMin, endDay, days, operatorId } = scoped(query, principal);
      const end = Date.parse(`${endDay}T00:00:00Z`);
      const dayList = Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
      const byDay = await Promise.all(dayList.map(async (day) => ({ day, trips: await d.journeys.list({ serviceDay: day, ...(operatorId ? { operatorId } : {}) }) })));
      return watchList(byDay, { earlyS: earlyMin * 60, lateS: lateMin * 60 });
    }),
    [apiRoutes.exportTides.id]: httpHandler(apiRoutes.exportTides, deps, async ({ params, query, principal }, d) => {
      const trips = await d.journeys.list(scoped(query, principal));
      const body = { trips_performed: tripsPerformedCsv, stop_visits: stopVisitsCsv, passenger_events: passengerEventsCsv, fare_transactions: fareTransactionsCsv }[params.table](trips);
      return new HttpResponse(200, body, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${params.table}_${query.serviceDay}.csv"`,
      });
    }),
  };
}
