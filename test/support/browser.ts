/**
 * The browser tests' Chromium: Debian's (`/usr/bin/chromium`, `.ci/run` installs it), driven headless by
 * playwright-core, no browser download. Every page is watched: a console error or an uncaught page error fails
 * the test. Screenshots go to `test/artifacts/` (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.BUSFLOW_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** The two widths every page is checked and pictured at: a desk and a small phone. */
export const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the browser tests drive Debian's Chromium (apt-get install chromium; .ci/run installs it), or set BUSFLOW_CHROMIUM to another Chromium.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** A page in a fresh context (its own storage) at `size`, with its console errors and page errors recorded. */
export async function watchedPage(browser: Browser, size: { width: number; height: number } = WIDTHS.desktop): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: size, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return { page, errors, close: () => context.close() };
}

/** Saves `test/artifacts/<name>-<width>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}-${page.viewportSize()?.width ?? 0}.png`), fullPage: false });
}

/** Signs a fresh page in with `token` as the console's sign-in would keep it (the session in sessionStorage). */
export async function signIn(watched: WatchedPage, token: string): Promise<void> {
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { role: string; operatorId?: string; exp: number };
  const session = JSON.stringify({ token, role: claims.role, exp: claims.exp, ...(claims.operatorId ? { operatorId: claims.operatorId } : {}) });
  await watched.page.addInitScript(`sessionStorage.setItem('busflow.session', ${JSON.stringify(session)})`);
}

/** After each test: closes the pages it opened and fails it on any console or page error they saw. */
export async function closeCheckingErrors(open: WatchedPage[]): Promise<string[]> {
  const errors = open.flatMap((p) => p.errors);
  for (const p of open.splice(0)) await p.close().catch(() => undefined);
  return errors;
}
