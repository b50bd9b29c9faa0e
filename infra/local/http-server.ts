/**
 * The local stand-in for API Gateway (HTTP API, payload 2.0, JWT authorizer): node:http on 127.0.0.1, routes
 * from the catalogue, the bearer token verified against the local issuer's JWKS, then a real
 * `APIGatewayProxyEventV2WithJWTAuthorizer` handed to the same handler the Lambda runs. As on API Gateway, a
 * protected route without a valid token answers 401 `{"message":"Unauthorized"}` before any handler runs.
 * Every request carries an `x-request-id` header to the handler (the client's, or one made here) and every answer
 * echoes it: the id that correlates the logs. CORS as API Gateway does it with the API's policy (`API_CORS`): a
 * preflight of a known path is answered here, and an answer to a request with an Origin says who may read it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { API_CORS } from '../../shared/api/cors.js';
import type { RouteDef } from '../../shared/api/route.js';
import { routeKey } from '../../shared/api/route.js';
import type { HttpEvent, HttpResult } from '../../shared/adapters/http/http-types.js';
import type { Logger } from '../../shared/domain/ports/logger.js';
import { systemClock, type Clock } from '../../shared/domain/ports/clock.js';
import type { DevIssuer } from './dev-issuer.js';
import { consoleFile, type ConsoleFiles } from './console-files.js';
import { DEV_TOKEN_PATH, devToken } from './dev-token-endpoint.js';

type RouteHandler = (event: HttpEvent) => Promise<HttpResult>;

export interface LocalHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface LocalHttpOptions {
  port: number;
  routes: readonly RouteDef[];
  handlerFor: (route: RouteDef) => RouteHandler;
  issuer: DevIssuer;
  logger: Logger;
  /** Stamps `requestContext.time` (token expiry stays on wall time: it is a security check, not transit time). */
  clock?: Clock;
  /** Serve the web console for every path outside `/v1` (and its test login at `POST /dev/token`). */
  console?: ConsoleFiles;
}

interface CompiledRoute {
  route: RouteDef;
  pattern: RegExp;
  names: string[];
}

const MAX_BODY_BYTES = 1024 * 1024;
/** A client's request id is kept when it is a plausible id; anything else is replaced, not logged as given. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function compile(route: RouteDef): CompiledRoute {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  return { route, pattern, names };
}

export async function startLocalHttpServer(opts: LocalHttpOptions): Promise<LocalHttpServer> {
  const compiled = opts.routes.map(compile);
  const server: Server = createServer((req, res) => {
    void handle(req).then(
      (out) => {
        res.writeHead(out.statusCode ?? 200, { ...(out.headers as Record<string, string>), ...corsHeaders(req) });
        res.end(out.isBase64Encoded && out.body ? Buffer.from(out.body, 'base64') : (out.body ?? ''));
      },
      (err: Error) => {
        opts.logger.error('local http server failed', { error: err.stack ?? err.message });
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"message":"Internal Server Error"}');
      },
    );
  });

  async function handle(req: IncomingMessage): Promise<HttpResult> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    let match: { c: CompiledRoute; values: string[] } | undefined;
    for (const c of compiled) {
      if (c.route.method !== method) continue;
      const m = c.pattern.exec(url.pathname);
      if (m) {
        match = { c, values: m.slice(1) };
        break;
      }
    }
    if (!match && isPreflight(req) && compiled.some((c) => c.pattern.test(url.pathname))) return preflightAnswer(req);
    if (!match && opts.console && !url.pathname.startsWith('/v1/')) return consoleAnswer(opts.console, req, url.pathname);
    if (!match) return { statusCode: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"Not Found"}' };
    const { route } = match.c;
    const body = await readBody(req);
    if (body === undefined) return { statusCode: 413, headers: { 'content-type': 'application/json' }, body: '{"message":"Request Entity Too Large"}' };

    let claims: Record<string, string | number | boolean | string[]> | undefined;
    if (route.auth !== 'public') {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const payload = token ? await opts.issuer.verify(token) : undefined;
      if (!payload) return { statusCode: 401, headers: { 'content-type': 'application/json' }, body: '{"message":"Unauthorized"}' };
      claims = payload as Record<string, string | number | boolean | string[]>;
    }
    const pathParameters = decodePathValues(match.c.names, match.values);
    if (!pathParameters) return { statusCode: 400, headers: { 'content-type': 'application/json' }, body: '{"message":"Bad Request"}' };
    const gatewayRequestId = randomUUID();
    const now = new Date((opts.clock ?? systemClock).now());
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const requestId = REQUEST_ID.test(headers['x-request-id'] ?? '') ? headers['x-request-id']! : gatewayRequestId;
    headers['x-request-id'] = requestId;
    const query = Object.fromEntries(url.searchParams.entries());
    const event: HttpEvent = {
      version: '2.0',
      routeKey: routeKey(route),
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(match.c.names.length ? { pathParameters } : {}),
      ...(body ? { body } : {}),
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? '127.0.0.1',
        domainPrefix: 'local',
        http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId: gatewayRequestId,
        routeKey: routeKey(route),
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
        authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
      },
    };
    const out = await opts.handlerFor(route)(event);
    return { ...out, headers: { ...(out.headers as Record<string, string> | undefined), 'x-request-id': requestId } };
  }

  async function consoleAnswer(files: ConsoleFiles, req: IncomingMessage, pathname: string): Promise<HttpResult> {
    if (pathname === DEV_TOKEN_PATH && req.method === 'POST') {
      const body = await readBody(req);
      if (body === undefined) return { statusCode: 413, headers: { 'content-type': 'application/json' }, body: '{"message":"Request Entity Too Large"}' };
      return devToken(opts.issuer, body);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return { statusCode: 405, headers: { 'content-type': 'application/json', allow: 'GET, HEAD' }, body: '{"message":"Method Not Allowed"}' };
    return consoleFile(files, pathname);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && !!req.headers.origin && !!req.headers['access-control-request-method'];
}

function preflightAnswer(req: IncomingMessage): HttpResult {
  const method = String(req.headers['access-control-request-method']).toUpperCase();
  if (!(API_CORS.allowMethods as readonly string[]).includes(method)) return { statusCode: 204, headers: {} };
  return {
    statusCode: 204,
    headers: {
      'access-control-allow-methods': API_CORS.allowMethods.join(','),
      'access-control-allow-headers': API_CORS.allowHeaders.join(','),
      'access-control-max-age': String(API_CORS.maxAgeS),
    },
  };
}

/** What an answer to a cross-origin request carries (nothing without an Origin header, as on API Gateway). */
function corsHeaders(req: IncomingMessage): Record<string, string> {
  if (!req.headers.origin) return {};
  return { 'access-control-allow-origin': API_CORS.allowOrigins.join(','), 'access-control-expose-headers': API_CORS.exposeHeaders.join(',') };
}

/** The path's values by name, decoded; undefined when a value is not valid percent-encoding (`%E0%A4%A`). */
function decodePathValues(names: readonly string[], values: readonly string[]): Record<string, string> | undefined {
  try {
    return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(values[i]!)]));
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
