/** Lambda entry: the journeys API. */
import { allApiRoutes } from '../../shared/api/index.js';
import { loadConfig } from '../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoJourneyRepository } from '../../shared/adapters/dynamodb/journey-repository.js';
import { dispatchRoutes } from '../../shared/adapters/http/dispatch.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { makeHandlers, type JourneyApiDeps } from './handlers.js';

let deps: Promise<JourneyApiDeps> | undefined;
const handlers = makeHandlers(
  () =>
    (deps ??= (async () => {
      const config = loadConfig();
      return { logger: createLogger('api-journeys'), journeys: new DynamoJourneyRepository(createDocumentClient(createDynamoClient(config)), config.tableNames.journeys) };
    })()),
);

export const handler = dispatchRoutes(allApiRoutes, handlers);
