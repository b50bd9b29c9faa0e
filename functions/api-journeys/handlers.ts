/** Journeys: trips performed and stop visits (operators see only their own), and the TIDES CSV exports. */
import { apiRoutes } from '../../shared/catalogue/index.js';
import type { DynamoJourneyRepository } from '../../shared/adapters/dynamodb/journey-repository.js';
import { httpHandler, HttpResponse, type HttpDeps } from '../../shared/adapters/http/http-handler.js';
import type { Principal } from '../../shared/adapters/http/principal.js';
import { Forbidden } from '../../shared/domain/errors.js';
import { stopVisitsCsv, tripsPerformedCsv } from '../../shared/domain/journeys/tides.js';

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
    [apiRoutes.exportTides.id]: httpHandler(apiRoutes.exportTides, deps, async ({ params, query, principal }, d) => {
      const trips = await d.journeys.list(scoped(query, principal));
      const body = params.table === 'trips_performed' ? tripsPerformedCsv(trips) : stopVisitsCsv(trips);
      return new HttpResponse(200, body, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${params.table}_${query.serviceDay}.csv"`,
      });
    }),
  };
}
