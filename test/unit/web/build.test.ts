/**
 * The console's build (web/build.ts, esbuild only): the files the page loads, and the app's own script under
 * 300 KB gzipped with the map library kept out of it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../../web/build.js';

const out = mkdtempSync(join(tmpdir(), 'busflow-web-build-'));
const built = buildConsole(out);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('web console build', () => {
  it('writes the page, the app, its styles and Leaflet’s files, each of which the page loads', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const file of ['app.js', 'app-style.css', 'vendor/leaflet.js', 'vendor/leaflet.css']) {
      expect(existsSync(join(out, file)), file).toBe(true);
      expect(html, file).toContain(`/${file}`);
    }
    expect(html).toContain('<html lang="vi">');
  });

  it('keeps the app’s own script under 300 KB gzipped, without the map library in it', () => {
    const app = readFileSync(join(out, 'app.js'));
    expect(built.appBytes).toBe(app.length);
    expect(built.appGzipBytes).toBe(gzipSync(app).length);
    expect(built.appGzipBytes).toBeLessThan(300 * 1024);
    // Leaflet is loaded on its own (vendor/leaflet.js): its source is not bundled into the app.
    const leaflet = readFileSync(createRequire(import.meta.url).resolve('leaflet/dist/leaflet.js'), 'utf8');
    const marker = leaflet.slice(leaflet.indexOf('function'), leaflet.indexOf('function') + 200);
    expect(app.toString('utf8')).not.toContain(marker);
    expect(statSync(join(out, 'vendor', 'leaflet.js')).size).toBe(Buffer.byteLength(leaflet));
  });
});
