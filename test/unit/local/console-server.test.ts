/**
 * The local HTTP server serving the web console beside the API: files by path, `index.html` for app routes,
 * `config.json` from the server's settings, nothing outside the build folder, `/v1` left to the API, and the
 * test login `POST /dev/token` signing real tokens of the local issuer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devIssuer, type DevIssuer } from '../../../infra/local/dev-issuer.js';
import { startLocalHttpServer, type LocalHttpServer } from '../../../infra/local/http-server.js';
import { apiRoutes } from '../../../shared/api/routes.js';
import { recordingLogger } from '../../support/recording-logger.js';

let root: string;
let server: LocalHttpServer;
let issuer: DevIssuer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'busflow-console-test-'));
  const dir = join(root, 'site');
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'vendor', 'leaflet.css'), '.leaflet{}');
  writeFileSync(join(root, 'secret.txt'), 'outside the build folder');
  issuer = await devIssuer();
  server = await startLocalHttpServer({
    port: 0,
    routes: [apiRoutes.openapi],
    handlerFor: () => async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"openapi":"3.1.0"}' }),
    issuer,
    logger: recordingLogger(),
    console: { dir, config: { auth: { kind: 'dev' }, tileUrl: 'https://tiles.example/{z}/{x}/{y}.png' } },
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A raw GET, so that `..` reaches the server as written (fetch would normalise it away). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('console files on the local server', () => {
  it('serves the built files by path with their types', async () => {
    const js = await fetch(`${server.url}/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log(1)');
    const css = await fetch(`${server.url}/vendor/leaflet.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers app routes (the map, a stop board, the orders) with index.html, and a missing file with 404', async () => {
    for (const path of ['/', '/board/S0001', '/orders?day=2026-03-10']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('<title>console</title>');
    }
    expect((await fetch(`${server.url}/missing.js`)).status).toBe(404);
  });

  it('writes config.json from the server settings', async () => {
    const res = await fetch(`${server.url}/config.json`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ auth: { kind: 'dev' }, tileUrl: 'https://tiles.example/{z}/{x}/{y}.png' });
  });

  it('never serves a file outside the build folder', async () => {
    for (const path of ['/../secret.txt', '/vendor/../../secret.txt', '/%2e%2e/secret.txt']) {
      const res = await rawGet(path);
      expect(res.body, path).not.toContain('outside the build folder');
    }
  });

  it('leaves /v1 to the API: a known route is answered by its handler, an unknown one is a JSON 404', async () => {
    expect(await (await fetch(`${server.url}/v1/openapi.json`)).json()).toEqual({ openapi: '3.1.0' });
    const unknown = await fetch(`${server.url}/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Not Found' });
  });

  it('refuses to write: a POST to a console path is 405', async () => {
    expect((await fetch(`${server.url}/index.html`, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

describe('POST /dev/token (the test login)', () => {
  const post = (body: string) => fetch(`${server.url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('signs a centre token and an operator token the local issuer verifies', async () => {
    const centre = (await (await post('{"role":"centre"}')).json()) as { token: string };
    expect(await issuer.verify(centre.token)).toMatchObject({ role: 'centre' });
    const res = await post('{"role":"operator","operatorId":"SGB"}');
    expect(res.status).toBe(200);
    const operator = (await res.json()) as { token: string; expiresInS: number };
    expect(await issuer.verify(operator.token)).toMatchObject({ role: 'operator', operatorId: 'SGB' });
    expect(operator.expiresInS).toBe(12 * 3600);
  });

  it('refuses an operator without its operator, an unknown role and a body that is no JSON, naming the field', async () => {
    const noOperator = await post('{"role":"operator"}');
    expect(noOperator.status).toBe(400);
    expect(((await noOperator.json()) as { detail: string }).detail).toMatch(/^operatorId/);
    expect((await post('{"role":"admin"}')).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
  });
});
