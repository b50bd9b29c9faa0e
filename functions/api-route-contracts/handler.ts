/** Lambda entry: the route-contract API. */
import { allApiRoutes } from '../../shared/api/index.js';
import { loadConfig } from '../../shared/adapters/config.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoContractRepository } from '../../shared/adapters/dynamodb/contract-repository.js';
import { dispatchRoutes } from '../../shared/adapters/http/dispatch.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { makeHandlers, type ContractApiDeps } from './handlers.js';

let deps: Promise<ContractApiDeps> | undefined;
const handlers = makeHandlers(
  () =>
    (deps ??= (async () => {
      const config = loadConfig();
      return { logger: createLogger('api-route-contracts'), contracts: new DynamoContractRepository(createDocumentClient(createDynamoClient(config)), config.tableNames.routeContracts) };
    })()),
);

export const handler = dispatchRoutes(allApiRoutes, handlers);
