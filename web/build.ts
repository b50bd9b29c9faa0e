/**
 * Builds the web console with esbuild, and nothing heavier: the app's TypeScript into one minified `app.js`, its
 * CSS into `app-style.css`, the page `index.html`, and Leaflet's own files under `vendor/` (kept apart so the
 * app's size is measured without the map library). `npm start` builds it at start, the CDK app at synth
 * (synchronously: constructs are built synchronously); it takes well under a second.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

const WEB_DIR = import.meta.dirname;
/** Where `npm start` builds (git-ignored); tests and CDK build into their own folders. */
const DEFAULT_CONSOLE_OUT = join(WEB_DIR, 'dist');

export interface ConsoleBuild {
  outDir: string;
  /** The app's own script, minified, and gzipped (Leaflet excluded). */
  appBytes: number;
  appGzipBytes: number;
}

export function buildConsole(outDir: string = DEFAULT_CONSOLE_OUT): ConsoleBuild {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'vendor'), { recursive: true });
  buildSync({
    entryPoints: { app: join(WEB_DIR, 'src', 'main.ts'), 'app-style': join(WEB_DIR, 'src', 'styles.css') },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    sourcemap: 'linked',
    logLevel: 'silent',
    charset: 'utf8',
  });
  const leaflet = dirname(createRequire(import.meta.url).resolve('leaflet/dist/leaflet.js'));
  copyFileSync(join(leaflet, 'leaflet.js'), join(outDir, 'vendor', 'leaflet.js'));
  copyFileSync(join(leaflet, 'leaflet.css'), join(outDir, 'vendor', 'leaflet.css'));
  copyFileSync(join(WEB_DIR, 'src', 'index.html'), join(outDir, 'index.html'));
  const app = readFileSync(join(outDir, 'app.js'));
  return { outDir, appBytes: app.length, appGzipBytes: gzipSync(app).length };
}
