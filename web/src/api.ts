/**
 * The public `/v1` API, as the console calls it: JSON in and out, the session's bearer token, and the API's
 * problem+json errors surfaced with their detail (the field that failed).
 */
import { currentSession } from './auth.js';

/** An answer of the API other than 2xx: its status and the problem's detail. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let baseUrl = '';
/** Called when the API refuses the token (expired or revoked): the shell sends the user to sign in. */
let onUnauthorized: () => void = () => undefined;

export function configureApi(opts: { baseUrl?: string; onUnauthorized: () => void }): void {
  baseUrl = (opts.baseUrl ?? '').replace(/\/$/, '');
  onUnauthorized = opts.onUnauthorized;
}

type Query = Record<string, string | number | undefined>;

function url(path: string, query?: Query): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `${baseUrl}${path}${s ? `?${s}` : ''}`;
}

async function call<T>(method: string, path: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal }): Promise<T> {
  const session = currentSession();
  const headers: Record<string, string> = {};
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url(path, opts.query), {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (res.status === 401) onUnauthorized();
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const problem = (json ?? {}) as { detail?: string; title?: string; message?: string };
    throw new ApiError(res.status, problem.detail ?? problem.title ?? problem.message ?? `HTTP ${res.status}`);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => call<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, { body: body ?? {} }),
};

/** A path segment, encoded. */
export const seg = (value: string): string => encodeURIComponent(value);
