/** The domain's actor for an authenticated caller. */
import type { Actor } from '../../domain/trip-orders/lifecycle.js';
import type { Principal } from './principal.js';

export function actorOf(principal: Principal | undefined): Actor {
  if (!principal) throw new Error('actorOf: the route is public, there is no caller');
  return principal.role === 'operator'
    ? { role: 'operator', id: principal.subject, operatorId: principal.operatorId! }
    : { role: 'centre', id: principal.subject };
}
