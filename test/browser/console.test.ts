/**
 * The web console in a real Chromium against a real local stack with a simulated fleet: the live map shows the
 * buses and they move, the stop board follows new GPS within seconds, centre and operator sign in, and the
 * trip orders page lists, approves and cancels. Every page is pictured at 1280 and 360 px; any console or page
 * error fails the test.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeCheckingErrors, launchChromium, screenshot, WIDTHS, watchedPage, type WatchedPage } from '../support/browser.js';
import { startConsoleStack, type ConsoleStack } from '../support/console-stack.js';
import { localRouteHandlers } from '../../infra/local/api-functions.js';
import { startLocalHttpServer } from '../../infra/local/http-server.js';
import { allApiRoutes } from '../../shared/api/index.js';
import { recordingLogger } from '../support/recording-logger.js';

let browser: Browser | undefined;
let app: ConsoleStack | undefined;
const open: WatchedPage[] = [];

beforeAll(async () => {
  // The browser first: without Chromium the tests fail at once, with the message that says how to get it.
  browser = await launchChromium();
  app = await startConsoleStack({ buses: 6, speed: 10 });
}, 240_000);

afterEach(async () => {
  expect(await closeCheckingErrors(open)).toEqual([]);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await app?.stop();
}, 60_000);

async function visit(path: string, size: { width: number; height: number } = WIDTHS.desktop): Promise<Page> {
  const watched = await watchedPage(browser!, size);
  open.push(watched);
  await watched.page.goto(`${app!.url}${path}`);
  return watched.page;
}

async function api(path: string): Promise<any> {
  const res = await fetch(`${app!.url}${path}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** Positions of the buses drawn on the map, by bus class (`bus-<id>`): the marker's SVG path. */
async function markerPaths(page: Page): Promise<Map<string, string>> {
  const pairs = await page.$$eval('path.bus-marker', (paths) =>
    paths.map((p) => [[...p.classList].find((c) => c.startsWith('bus-') && c !== 'bus-marker') ?? '', p.getAttribute('d') ?? ''] as const),
  );
  return new Map(pairs);
}

/** The buses with a position, by the public API. */
async function busesOnTheRoad(): Promise<string[]> {
  const { items } = await api('/v1/routes');
  const answers = await Promise.all(items.map((r: any) => api(`/v1/vehicles?routeId=${r.routeId}`)));
  return answers.flatMap((a) => a.items.filter((v: any) => v.position).map((v: any) => v.busId));
}

/** A bus running a trip, with its next stop (from the public API). */
async function liveBus(): Promise<{ busId: string; tripId: string; nextStopId: string; lastFixAt: string }> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const busId of app!.busIds) {
      const v = await api(`/v1/vehicles/${busId}`);
      if (!v.stale && v.tripId && v.nextStopId && v.lastFixAt) return v;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('no bus is running a trip');
}

/** The page's laid-out width: more than the viewport means a sideways scroll. */
function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

async function signIn(page: Page, role: 'centre' | 'operator', operatorId?: string): Promise<void> {
  await page.waitForSelector('form.panel');
  await page.check(`input[name=role][value=${role}]`);
  if (operatorId) await page.selectOption('#login-operator', operatorId);
  await page.click('form.panel button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

describe('live map', () => {
  it('draws the routes and the buses, moves them between polls, and shows a clicked bus’s trip and next stops', async () => {
    const page = await visit('/');
    await page.waitForSelector('path.route-shape');
    await page.waitForSelector('path.bus-marker', { timeout: 30_000 });
    const before = await markerPaths(page);
    // Every bus the API places is drawn (the map polls the same answers).
    const placed = await busesOnTheRoad();
    expect(placed.length).toBeGreaterThan(0);
    for (const busId of placed) expect([...before.keys()]).toContain(`bus-${busId}`);
    // A few polls later (4 s each, the fleet at 10×), buses have driven on.
    await page.waitForTimeout(9000);
    const after = await markerPaths(page);
    const moved = [...before].filter(([bus, d]) => after.has(bus) && after.get(bus) !== d);
    expect(moved.length).toBeGreaterThan(0);
    await screenshot(page, 'map');

    const bus = await liveBus();
    // A click on the bus's marker (dispatched to it: another marker may be drawn over it at this zoom).
    await page.locator(`path.bus-${bus.busId}`).dispatchEvent('click');
    await page.waitForSelector('[data-testid=bus-detail] .next-stops li');
    expect(await page.textContent('[data-testid=bus-trip]')).toBe(bus.tripId);
    const firstStop = await page.textContent('[data-testid=bus-detail] .next-stops li span');
    expect(firstStop).toBe((await api(`/v1/stops/${bus.nextStopId}`)).name);
    await screenshot(page, 'map-bus');

    const phone = await visit('/', WIDTHS.phone);
    await phone.waitForSelector('path.bus-marker', { timeout: 30_000 });
    expect(await pageWidth(phone)).toBeLessThanOrEqual(360);
    await screenshot(phone, 'map');
  }, 90_000);

  it('is in Vietnamese first, and in English once asked (remembered on the next page)', async () => {
    const page = await visit('/');
    await page.waitForSelector('header.shell nav a');
    expect(await page.textContent('header.shell nav a')).toBe('Bản đồ');
    await page.click('button.lang');
    await page.waitForFunction("document.querySelector('header.shell nav a')?.textContent === 'Map'");
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.goto(`${app!.url}/login`);
    await page.waitForSelector('form.panel h1');
    expect(await page.textContent('form.panel h1')).toBe('Sign in (test)');
  }, 60_000);
});

/**
 * WCAG contrast of each element's text against the first opaque background behind it (in the page: the colours
 * as the browser computed them). Evaluated in the page as a string: the test's own types have no DOM.
 */
const CONTRASTS = `(selectors) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return selectors.map((sel) => {
    const el = document.querySelector(sel);
    if (!el) return [sel, 0];
    const [a, b] = [lum(rgb(getComputedStyle(el).color).slice(0, 3)), lum(background(el))];
    return [sel, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}`;

async function contrasts(page: Page, selectors: string[]): Promise<[string, number][]> {
  return page.evaluate(`(${CONTRASTS})(${JSON.stringify(selectors)})`);
}

describe('keyboard and contrast', () => {
  it('reaches a bus from the keyboard alone, with a visible focus ring, and opens it with Enter', async () => {
    const page = await visit('/');
    await page.waitForSelector('button.bus-item');
    let focused = '';
    for (let i = 0; i < 40 && !focused.startsWith('BUTTON bus-item'); i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate<string>("document.activeElement.tagName + ' ' + document.activeElement.className");
    }
    expect(focused).toMatch(/^BUTTON bus-item/);
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=bus-detail]');
  }, 60_000);

  it('keeps text readable: at least 4.5:1 against its background on the shell, map, board and orders', async () => {
    const map = await visit('/');
    await map.waitForSelector('button.bus-item');
    const found = await contrasts(map, ['header.shell nav a', 'header.shell .tools button', 'button.bus-item', '.map-side .muted', '.legend summary']);
    const bus = await liveBus();
    const board = await visit(`/board/${bus.nextStopId}`);
    await board.waitForSelector('.board-table tbody tr td');
    found.push(
      ...(await contrasts(board, [
        '.board-stop',
        '.board-clock',
        '.board-table th',
        '.board-route',
        '.board-headsign',
        '.board-due .due',
        '.board-due .source',
      ])),
    );
    const orders = await visit(`/orders?day=${app!.serviceDay}`);
    await signIn(orders, 'centre');
    await orders.waitForSelector('table.orders tbody tr[data-order]');
    found.push(...(await contrasts(orders, ['table.orders th', 'table.orders td', '.badge', 'button[data-action=cancel]', '.filters label'])));
    expect(found.filter(([, ratio]) => !(ratio >= 4.5))).toEqual([]);
  }, 90_000);
});

describe('stop board', () => {
  it('shows the stop’s next arrivals, large, and follows a bus’s new GPS within seconds', async () => {
    const bus = await liveBus();
    // A stop a little ahead of the bus, so that it has not passed it before the board opens (the fleet runs at 10×).
    const stops = app!.network.trips.get(bus.tripId)!.stopTimes.map((st) => st.stopId);
    const stopId = stops[Math.min(stops.indexOf(bus.nextStopId) + 2, stops.length - 1)]!;
    const page = await visit(`/board/${stopId}`);
    const row = `.board-table tr[data-trip="${bus.tripId}"]`;
    await page.waitForSelector(row, { timeout: 15_000 });
    expect(await page.getAttribute(row, 'data-source')).toBe('realtime');
    expect(await page.textContent('.board-stop')).toBe((await api(`/v1/stops/${stopId}`)).name);
    const fontPx = Number.parseFloat(await page.evaluate<string>("getComputedStyle(document.querySelector('.board-table')).fontSize"));
    expect(fontPx).toBeGreaterThanOrEqual(32);

    // A new position of the bus is stored; the board's answer is from after it within a few seconds.
    let fix = bus.lastFixAt;
    const deadline = Date.now() + 20_000;
    while (fix === bus.lastFixAt && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      fix = (await api(`/v1/vehicles/${bus.busId}`)).lastFixAt;
    }
    expect(fix).not.toBe(bus.lastFixAt);
    const seen = Date.now();
    await page.waitForFunction(`(document.querySelector('[data-testid=board]')?.dataset.at ?? '') >= ${JSON.stringify(fix)}`, undefined, { timeout: 5000 });
    expect(Date.now() - seen).toBeLessThan(5000);
    await screenshot(page, 'board');

    const phone = await visit(`/board/${stopId}`, WIDTHS.phone);
    await phone.waitForSelector('.board-table tbody tr');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(360);
    await screenshot(phone, 'board');
  }, 60_000);
});

describe('trip orders', () => {
  it('signs the centre in, lists the day’s orders of both operators, and approves the issued one', async () => {
    const page = await visit(`/orders?day=${app!.serviceDay}`);
    await screenshot(page, 'login');
    await signIn(page, 'centre');
    expect(await page.textContent('[data-testid=who]')).toBe('Trung tâm');
    await page.waitForSelector('table.orders tbody tr[data-order]');
    const operators = new Set(await page.$$eval('table.orders tbody tr[data-order] td:nth-child(2)', (tds) => tds.map((td) => td.textContent)));
    expect(operators.size).toBe(2);
    const row = `tr[data-order="${app!.issuedOrderId}"]`;
    expect(await page.getAttribute(row, 'data-status')).toBe('issued');
    await screenshot(page, 'orders');
    await page.click(`${row} button[data-action=approve]`);
    await page.waitForSelector(`${row}[data-status=approved]`);
    expect(await page.textContent('[data-testid=orders-status]')).toContain('Đã duyệt');
    const token = await app!.stack.http!.issuer.sign({ role: 'centre' });
    const stored: any = await (await fetch(`${app!.url}/v1/trip-orders/${app!.issuedOrderId}`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(stored.status).toBe('approved');
  }, 60_000);

  it('signs an operator in, shows its name and only its orders, cancels one and amends another with a reason', async () => {
    const page = await visit(`/orders?day=${app!.serviceDay}`, WIDTHS.phone);
    await signIn(page, 'operator', 'HTX15');
    expect(await page.textContent('[data-testid=who]')).toBe('Hợp tác xã Vận tải số 15');
    await page.waitForSelector('table.orders tbody tr[data-order]');
    const operators = new Set(await page.$$eval('table.orders tbody tr[data-order] td:nth-child(2)', (tds) => tds.map((td) => td.textContent)));
    expect([...operators]).toEqual(['Hợp tác xã Vận tải số 15']);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'orders');

    const id = await page.getAttribute('table.orders tbody tr[data-order]', 'data-order');
    const row = `tr[data-order="${id}"]`;
    await page.click(`${row} button[data-action=cancel]`);
    await page.fill(`${row} input[name=reason]`, 'Xe hỏng máy');
    await page.click(`${row} form button[type=submit]`);
    await page.waitForSelector(`${row}[data-status=cancelled]`);
    const token = await app!.stack.http!.issuer.sign({ role: 'operator', operatorId: 'HTX15' });
    const stored: any = await (await fetch(`${app!.url}/v1/trip-orders/${id}`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(stored.status).toBe('cancelled');
    expect(stored.history.at(-1).reason).toBe('Xe hỏng máy');

    // The operator gives another order a new driver, with a reason.
    const other = await page.getAttribute('table.orders tbody tr[data-order][data-status=approved]', 'data-order');
    const otherRow = `tr[data-order="${other}"]`;
    await page.click(`${otherRow} button[data-action=amend]`);
    await page.fill(`${otherRow} input[id^=driver-name]`, 'Nguyễn Văn Bình');
    await page.fill(`${otherRow} input[id^=reason]`, 'Đổi ca lái xe');
    await page.click(`${otherRow} form button[type=submit]`);
    await page.waitForFunction(`document.querySelector('${otherRow} td:nth-child(5)')?.textContent === 'Nguyễn Văn Bình'`);
    const amended: any = await (await fetch(`${app!.url}/v1/trip-orders/${other}`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(amended.driver.name).toBe('Nguyễn Văn Bình');
    expect(amended.history.at(-1)).toMatchObject({ action: 'amend', reason: 'Đổi ca lái xe' });

    const login = await visit('/login', WIDTHS.phone);
    await login.waitForSelector('form.panel');
    await screenshot(login, 'login');
  }, 60_000);
});

describe('sign-in through a hosted UI (as on AWS)', () => {
  it('sends the browser to the hosted UI with the console as callback, and takes the ID token back from the fragment', async () => {
    // The same stack served as on AWS: config.json says Cognito. The hosted UI is stood in for by answering its
    // address with a redirect back to the console, carrying a token of the local issuer and the state sent.
    const server = await startLocalHttpServer({
      port: 0,
      routes: allApiRoutes,
      handlerFor: localRouteHandlers(app!.stack.http!.api),
      issuer: app!.stack.http!.issuer,
      logger: recordingLogger(),
      console: { dir: app!.webDir, config: { auth: { kind: 'cognito', domain: 'busflow-test.auth.example', clientId: 'console-client' } } },
    });
    try {
      const watched = await watchedPage(browser!, WIDTHS.desktop);
      open.push(watched);
      const { page } = watched;
      const token = await app!.stack.http!.issuer.sign({ role: 'operator', operatorId: 'SGB' });
      let asked: URL | undefined;
      let loggedOut: URL | undefined;
      await page.route('https://busflow-test.auth.example/**', async (route) => {
        const url = new URL(route.request().url());
        if (url.pathname === '/logout') {
          loggedOut = url;
          await route.fulfill({ status: 302, headers: { location: url.searchParams.get('logout_uri')! } });
          return;
        }
        asked = url;
        const back = `${url.searchParams.get('redirect_uri')}#id_token=${token}&token_type=Bearer&state=${url.searchParams.get('state')}`;
        await route.fulfill({ status: 302, headers: { location: back } });
      });
      await page.goto(`${server.url}/orders?day=${app!.serviceDay}`);
      await page.click('section.panel button');
      await page.waitForSelector('table.orders tbody tr[data-order]');
      expect(asked!.pathname).toBe('/oauth2/authorize');
      expect(Object.fromEntries(asked!.searchParams)).toMatchObject({
        client_id: 'console-client',
        response_type: 'token',
        redirect_uri: `${server.url}/login`,
      });
      // Back on the page it started from, signed in as the token says, the fragment gone from the address.
      expect(new URL(page.url()).pathname).toBe('/orders');
      expect(new URL(page.url()).hash).toBe('');
      expect(await page.textContent('[data-testid=who]')).toBe('Công ty TNHH MTV Xe khách Sài Gòn');

      // Signing out ends the hosted UI's session too, and comes back to the map.
      await page.click('header.shell .tools button:last-child');
      await page.waitForSelector('header.shell a.button');
      expect(loggedOut?.searchParams.get('client_id')).toBe('console-client');
      expect(new URL(page.url()).pathname).toBe('/');

      // A token arriving without the state this tab sent is ignored.
      await page.goto(`${server.url}/login#id_token=${token}&state=forged`);
      await page.waitForSelector('section.panel button');
      expect(await page.$('[data-testid=who]')).toBeNull();
    } finally {
      await server.close();
    }
  }, 60_000);
});
