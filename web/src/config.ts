/** The console's settings, written by the server that serves it (`/config.json`): tiles and how to sign in. */
export interface ConsoleConfig {
  /** Tile URL template; absent: no tiles (the map draws on a plain background). */
  tileUrl?: string;
  tileAttribution?: string;
  /** API base URL; absent: the same origin (locally the API and the console share the port). */
  apiUrl?: string;
  auth: { kind: 'dev' } | { kind: 'cognito'; domain: string; clientId: string };
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: ${res.status}`);
  return (await res.json()) as ConsoleConfig;
}
