/** Route contracts: read by centre and operators (operators see their own), versions added by the centre. */
import { apiRoutes } from '../../shared/api/index.js';
import type { DynamoContractRepository } from '../../shared/adapters/dynamodb/contract-repository.js';
import { httpHandler, type HttpDeps } from '../../shared/adapters/http/http-handler.js';
import { contractSetIssues } from '../../shared/domain/contracts/contracts.js';
import { Forbidden, ValidationError } from '../../shared/domain/errors.js';

export interface ContractApiDeps extends HttpDeps {
  contracts: DynamoContractRepository;
}

export function makeHandlers(deps: () => Promise<ContractApiDeps>) {
  return {
    [apiRoutes.listRouteContracts.id]: httpHandler(apiRoutes.listRouteContracts, deps, async ({ query, principal }, d) => {
      if (principal?.role === 'operator' && query.operatorId && query.operatorId !== principal.operatorId) {
        throw new Forbidden(`operatorId: an operator sees only its own contracts (${principal.operatorId})`);
      }
      const operatorId = principal?.role === 'operator' ? principal.operatorId : query.operatorId;
      const items = (await d.contracts.all(query.routeId)).filter((c) => !operatorId || c.operatorId === operatorId);
      return { items };
    }),
    [apiRoutes.putRouteContracts.id]: httpHandler(apiRoutes.putRouteContracts, deps, async ({ body }, d) => {
      // A version (route + effective-from day) given twice in one set is ambiguous; a stored one is replaced.
      const issues = contractSetIssues(body.contracts);
      if (issues.length) throw new ValidationError(issues);
      await d.contracts.put(body.contracts);
      return { stored: body.contracts.length };
    }),
  };
}
