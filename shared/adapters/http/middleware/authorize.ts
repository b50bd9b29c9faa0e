/** Middleware: the caller from the JWT claims against the route's `auth`; 401 without a role, 403 for the wrong one. */
import type { RouteDef } from '../../../api/route.js';
import { Forbidden } from '../../../domain/errors.js';
import type { ApiMiddleware } from '../http-types.js';
import { principalFromClaims, type Principal } from '../principal.js';
import { Unauthorized } from '../problem.js';

export function authorize(route: Pick<RouteDef, 'auth'>): ApiMiddleware {
  return {
    before: (request) => {
      const principal = callerOf(route, request.event.requestContext?.authorizer?.jwt?.claims);
      if (principal) request.event.principal = principal;
    },
  };
}

/** The caller a route admits, undefined on public routes; throws Unauthorized or Forbidden otherwise. */
function callerOf(route: Pick<RouteDef, 'auth'>, claims: Parameters<typeof principalFromClaims>[0]): Principal | undefined {
  if (route.auth === 'public') return undefined;
  const principal = principalFromClaims(claims);
  if (!principal) throw new Unauthorized('a bearer token with a role (centre or operator) is required');
  if (route.auth === 'centre' && principal.role !== 'centre') throw new Forbidden('only the transport centre may do this');
  if (route.auth === 'operator' && principal.role !== 'operator') throw new Forbidden('only an operator may do this');
  return principal;
}
