/** Route contracts: read by centre and operators (operators see their own), versions added by the centre. */
import { apiRoutes } from '../../shared/api/index.js';
import type { DynamoContractRepository } from '../../shared/adapters/dynamodb/contract-repository.js';
import { apiFunction, type ApiFunctionEnv } from '../../shared/adapters/http/api-function.js';
import { scopedToCaller } from '../../shared/domain/access/operator-scope.js';
import { contractSetIssues } from '../../shared/domain/contracts/contracts.js';
import { ValidationError } from '../../shared/domain/errors.js';

export interface ContractApiDeps {
  contracts: Pick<DynamoContractRepository, 'all' | 'put'>;
}

export function makeHandlers(env: ApiFunctionEnv<ContractApiDeps>) {
  return {
    [apiRoutes.listRouteContracts.id]: apiFunction(apiRoutes.listRouteContracts, env, async ({ query, principal }, d) => {
      const { routeId, operatorId } = scopedToCaller(principal, query, 'contracts');
      const items = (await d.contracts.all(routeId)).filter((c) => !operatorId || c.operatorId === operatorId);
      return { items };
    }),
    [apiRoutes.putRouteContracts.id]: apiFunction(apiRoutes.putRouteContracts, env, async ({ body }, d) => {
      // A version (route + effective-from day) given twice in one set is ambiguous; a stored one is replaced.
      const issues = contractSetIssues(body.contracts);
      if (issues.length) throw new ValidationError(issues);
      await d.contracts.put(body.contracts);
      return { stored: body.contracts.length };
    }),
  };
}
