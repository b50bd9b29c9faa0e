/**
 * The web console's files on the local HTTP server, as CloudFront serves them on AWS: the built files by path,
 * `config.json` written from the server's settings, and `index.html` for an app route (`/board/S1`, `/orders`)
 * so a reload or a shared link opens the page. Paths never leave the build folder.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { HttpResult } from '../../shared/adapters/http/http-types.js';

/** What the console reads at start (`web/src/config.ts` has the same shape). */
interface ConsoleConfig {
  /** Tile URL template (`https://tile.example/{z}/{x}/{y}.png`); absent: no tiles, a plain background. */
  tileUrl?: string;
  tileAttribution?: string;
  auth: { kind: 'dev' } | { kind: 'cognito'; domain: string; clientId: string };
}

export interface ConsoleFiles {
  dir: string;
  config: ConsoleConfig;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
};

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin', 'x-frame-options': 'DENY' };

/** The answer to a GET of a console path, or 404. */
export async function consoleFile(files: ConsoleFiles, pathname: string): Promise<HttpResult> {
  if (pathname === '/config.json') {
    return {
      statusCode: 200,
      headers: { 'content-type': TYPES['.json']!, 'cache-control': 'no-store', ...SECURITY_HEADERS },
      body: JSON.stringify(files.config),
    };
  }
  const ext = extname(pathname);
  // An app route has no extension: the app's page.
  const relative = ext ? pathname : '/index.html';
  const path = normalize(join(files.dir, relative));
  if (!path.startsWith(files.dir + sep)) return notFound();
  try {
    const body = await readFile(path);
    return {
      statusCode: 200,
      headers: { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-cache', ...SECURITY_HEADERS },
      body: body.toString('base64'),
      isBase64Encoded: true,
    };
  } catch {
    return notFound();
  }
}

function notFound(): HttpResult {
  return { statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' };
}
