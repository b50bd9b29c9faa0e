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

/** Sends the browser to Cognito's hosted UI; it comes back to `/login` with the token in the fragment. */
export function cognitoSignIn(auth: Extract<ConsoleConfig['auth'], { kind: 'cognito' }>): void {
  const params = new URLSearchParams({
    client_id: auth.clientId,
    response_type: 'token',
    scope: 'openid email',
    redirect_uri: `${location.origin}/login`,
  });
  location.assign(`https://${auth.domain}/oauth2/authorize?${params}`);
}

/** After Cognito's redirect: the session from `#id_token=…` (the fragment is then cleared from the address). */
export function sessionFromFragment(hash: string): Session | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('id_token');
  if (!token) return undefined;
  history.replaceState(null, '', location.pathname + location.search);
  return remember(token);
}
