/**
 * Who is signed in: the bearer token and what its claims say (role, operator). Locally the test login asks the
 * dev issuer (`POST /dev/token`); on AWS the Cognito hosted UI sends the browser back with the token in the URL
 * fragment. The token is only read here, never trusted: the API verifies it on every call.
 */
import type { ConsoleConfig } from './config.js';

export type Role = 'centre' | 'operator';

export interface Session {
  token: string;
  role: Role;
  operatorId?: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

const STORAGE_KEY = 'busflow.session';

/** The signed-in session, or undefined (none, or expired). */
export function currentSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    const session = raw ? (JSON.parse(raw) as Session) : undefined;
    return session && session.exp * 1000 > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

function remember(token: string): Session {
  const session = sessionOf(token);
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

/** The claims BusFlow reads, from its own tokens (`role`, `operatorId`) or Cognito's (groups, `custom:operatorId`). */
function sessionOf(token: string): Session {
  const part = token.split('.')[1] ?? '';
  const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
  const role = [claims.role, ...groups].find((r): r is Role => r === 'centre' || r === 'operator');
  if (!role) throw new Error('token has no BusFlow role');
  const operatorId = (claims.operatorId ?? claims['custom:operatorId']) as string | undefined;
  return { token, role, exp: Number(claims.exp ?? 0), ...(role === 'operator' && operatorId ? { operatorId } : {}) };
}

/** Local test login: a token from the local issuer. */
export async function devSignIn(role: Role, operatorId?: string): Promise<Session> {
  const res = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(role === 'operator' ? { role, operatorId } : { role }),
  });
  const body = (await res.json()) as { token?: string; detail?: string };
  if (!res.ok || !body.token) throw new Error(body.detail ?? `sign-in failed (${res.status})`);
  return remember(body.token);
}

const RETURN_KEY = 'busflow.signin';

/**
 * Sends the browser to Cognito's hosted UI; it comes back to `/login` with the token in the fragment. A random
 * `state` kept in this tab ties the answer to this request (a token pushed from elsewhere is ignored), and the
 * page to return to is kept with it.
 */
export function cognitoSignIn(auth: Extract<ConsoleConfig['auth'], { kind: 'cognito' }>, next: string): void {
  const state = crypto.randomUUID();
  sessionStorage.setItem(RETURN_KEY, JSON.stringify({ state, next }));
  const params = new URLSearchParams({
    client_id: auth.clientId,
    response_type: 'token',
    scope: 'openid email',
    redirect_uri: `${location.origin}/login`,
    state,
  });
  location.assign(`https://${auth.domain}/oauth2/authorize?${params}`);
}

/**
 * After Cognito's redirect: the session from `#id_token=…&state=…` when the state is the one this tab sent, and
 * the page to go back to. The fragment is cleared from the address either way.
 */
export function sessionFromFragment(hash: string): { session: Session; next: string } | undefined {
  const answer = new URLSearchParams(hash.replace(/^#/, ''));
  history.replaceState(null, '', location.pathname + location.search);
  const sent = JSON.parse(sessionStorage.getItem(RETURN_KEY) ?? 'null') as { state: string; next: string } | null;
  sessionStorage.removeItem(RETURN_KEY);
  const token = answer.get('id_token');
  if (!token || !sent || answer.get('state') !== sent.state) return undefined;
  return { session: remember(token), next: sent.next };
}
