/**
 * The quality and complaints pages in a real Chromium against a real local stack after a simulated morning with
 * harsh faults (journeys computed as at the day's end): the quality page draws its three charts with the API's
 * figures; a complaint about a stop the simulator's ground truth says a bus skipped, recorded in the form, comes
 * back confirmed with that bus's visit as evidence, and the quality page then counts it against the operator.
 * The complaints test runs once the complaints API is in the route catalogue. Pictured at 1280 and 360 px; any
 * console or page error fails the test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/domain/ports/clock.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import type { Network } from '../../shared/gtfs/model.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import type { TruthRecord } from '../../simulator/core/events.js';
import { faultProfiles } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { buildConsole } from '../../web/build.js';
import { closeCheckingErrors, launchChromium, screenshot, signIn, WIDTHS, watchedPage, type WatchedPage } from '../support/browser.js';
import { simulateSampleMorning } from '../support/simulated-day.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

type StopVisitTruth = Extract<TruthRecord, { type: 'stop_visit' }>;

const DAY = '2026-11-26';
const BUSES = 6;
const SEED = 5;
const MIN = 60_000;

let browser: Browser | undefined;
let stack: TestStack | undefined;
let network: Network;
let webDir: string | undefined;
let centre: string;
const truth: TruthRecord[] = [];
const open: WatchedPage[] = [];
const clock = fixedClock(0);
const local = (hours: number) => serviceTimeToEpochMs(DAY, hours * 3600, network.timezone);

beforeAll(async () => {
  browser = await launchChromium();
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  clock.set(local(8));
  webDir = mkdtempSync(join(tmpdir(), 'busflow-console-'));
  const web = buildConsole(webDir);
  stack = await startTestStack({ http: true, network, clock, stack: { console: { dir: web.outDir, config: { auth: { kind: 'dev' } } } } });
  centre = await stack.http!.issuer.sign({ role: 'centre' });
  truth.push(
    ...(await simulateSampleMorning(stack, network, DAY, { seed: SEED, buses: BUSES, profile: faultProfiles.harsh, fromMs: local(6), toMs: local(8), clock })),
  );
}, 240_000);

afterEach(async () => {
  expect(await closeCheckingErrors(open)).toEqual([]);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
}, 60_000);

async function api(path: string): Promise<any> {
  const res = await fetch(`${stack!.http!.url}${path}`, { headers: { authorization: `Bearer ${centre}` } });
  expect(res.status, path).toBe(200);
  return res.json();
}

/** A page signed in as the centre (the session the login page would keep), at `path`. */
async function visit(path: string, size: { width: number; height: number } = WIDTHS.desktop): Promise<Page> {
  const watched = await watchedPage(browser!, size);
  open.push(watched);
  await signIn(watched, centre);
  await watched.page.goto(`${stack!.http!.url}${path}`);
  return watched.page;
}

function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

/** The last row of a chart's figures table, cell by cell. */
function lastFigures(page: Page, chart: string): Promise<string[]> {
  return page.$$eval(`figure[data-chart=${chart}] details tbody tr:last-child td`, (tds) => tds.map((td) => td.textContent ?? ''));
}

describe('quality page', () => {
  it('draws punctuality, skipped stops and ridership by route and day with the API’s figures', async () => {
    const q = await api(`/v1/quality?serviceDay=${DAY}`);
    expect(q.trips).toBeGreaterThan(0);
    const page = await visit(`/quality?day=${DAY}`);
    await page.waitForSelector('figure[data-chart=ridership] canvas');
    for (const chart of ['punctuality', 'skipped', 'ridership']) expect(await page.$$(`figure[data-chart=${chart}] .chart-plot canvas`)).not.toEqual([]);
    // The figures of the day (the last row) are the API's.
    expect((await lastFigures(page, 'punctuality'))[1]).toBe(String(Math.round(q.onTimeShare * 1000) / 10));
    const routes = new Map<string, string>((await api('/v1/routes')).items.map((r: any) => [r.routeId, r.shortName]));
    const riderHeads = await page.$$eval('figure[data-chart=ridership] details thead th', (ths) => ths.map((th) => th.textContent));
    const riders = await lastFigures(page, 'ridership');
    for (const [routeId, n] of Object.entries(q.ridership.byRoute as Record<string, number>)) {
      const col = riderHeads.indexOf(routes.get(routeId) ?? routeId);
      if (col > 0) expect(riders[col]).toBe(String(n));
    }
    expect(riderHeads.length - 1).toBe(Math.min(6, Object.keys(q.ridership.byRoute).length));
    const skippedHeads = await page.$$eval('figure[data-chart=skipped] details thead th', (ths) => ths.map((th) => th.textContent));
    const skipped = await lastFigures(page, 'skipped');
    const shown = skippedHeads.slice(1).reduce((sum, _h, i) => sum + Number(skipped[i + 1]), 0);
    expect(shown).toBe(
      Object.values(q.skippedByRoute as Record<string, number>)
        .sort((a, b) => b - a)
        .slice(0, 6)
        .reduce((a, b) => a + b, 0),
    );
    await screenshot(page, 'quality');

    const phone = await visit(`/quality?day=${DAY}`, WIDTHS.phone);
    await phone.waitForSelector('figure[data-chart=ridership] canvas');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(360);
    await screenshot(phone, 'quality');
  }, 60_000);
});

describe('complaints page', () => {
  it('records a complaint about a stop a bus skipped and shows it confirmed with that visit as evidence; quality counts it', async () => {
    // A skip of the ground truth that the journeys judged skipped too, with no other pass of its route there within 20 min.
    const visits = truth.filter((r): r is StopVisitTruth => r.type === 'stop_visit');
    const alone = visits.filter(
      (v) =>
        v.skipped &&
        v.passedMs > local(6.25) &&
        v.passedMs < local(7.75) &&
        !visits.some((o) => o !== v && o.routeId === v.routeId && o.stopId === v.stopId && Math.abs(o.passedMs - v.passedMs) <= 20 * MIN),
    );
    let skip: StopVisitTruth | undefined;
    for (const v of alone) {
      const { items } = await api(`/v1/journeys?serviceDay=${DAY}&busId=${v.busId}&limit=200`);
      const judged = items.find((j: any) => j.tripId === v.tripId)?.visits.find((x: any) => x.stopSequence === v.stopSequence);
      if (judged?.status === 'skipped') {
        skip = v;
        break;
      }
    }
    expect(skip, 'a skipped stop the journeys found').toBeDefined();
    const stop = await api(`/v1/stops/${skip!.stopId}`);
    // The passenger reports the time a few minutes off, as people do.
    const reported = new Date(skip!.passedMs + 4 * MIN + 7 * 3600_000).toISOString().slice(0, 16);

    const page = await visit(`/complaints?day=${DAY}`);
    await page.waitForSelector('[data-testid=complaint-form]');
    await page.selectOption('#c-kind', 'skipped-stop');
    await page.selectOption('#c-route', skip!.routeId);
    await page.fill('#c-stop-q', stop.name);
    await page.waitForSelector(`#c-stop option[value="${skip!.stopId}"]`, { state: 'attached' });
    await page.selectOption('#c-stop', skip!.stopId);
    await page.fill('#c-at', reported);
    await page.fill('#c-desc', 'Xe chạy qua trạm không dừng đón khách');
    await page.click('[data-testid=complaint-form] button[type=submit]');
    const pass = `[data-testid=complaint-detail] li[data-bus="${skip!.busId}"][data-finding=skipped]`;
    await page.waitForSelector(pass, { timeout: 15_000 });
    expect(await page.textContent('[data-testid=complaint-status]')).toBe('Đã ghi nhận: Xác nhận bỏ trạm.');
    expect(await page.getAttribute('tr[data-complaint]', 'data-verdict')).toBe('confirmed-skipped');
    expect(await page.textContent('[data-testid=complaint-detail] .summary')).toContain('mà không dừng');
    // The pass names the bus by its plate.
    const plate = (await api(`/v1/vehicles/${skip!.busId}`)).plate as string | undefined;
    expect(await page.textContent(pass)).toContain(plate ?? skip!.busId);
    await screenshot(page, 'complaints');

    const phone = await visit(`/complaints?day=${DAY}`, WIDTHS.phone);
    await phone.waitForSelector('tr[data-complaint]');
    await phone.click('tr[data-complaint] button[data-action=evidence]');
    await phone.waitForSelector(pass);
    expect(await pageWidth(phone)).toBeLessThanOrEqual(360);
    await screenshot(phone, 'complaints');

    // The quality view counts the upheld complaint against the bus's operator.
    const q = await api(`/v1/quality?serviceDay=${DAY}`);
    const [operatorId, count] = Object.entries(q.confirmedComplaintsByOperator as Record<string, number>)[0]!;
    expect(count).toBe(1);
    const quality = await visit(`/quality?day=${DAY}`);
    await quality.waitForSelector('[data-testid=confirmed-complaints] td');
    const name = (await api('/v1/routes')).items.find((r: any) => r.operator.operatorId === operatorId).operator.name;
    expect(await quality.$$eval('[data-testid=confirmed-complaints] tbody td', (tds) => tds.map((td) => td.textContent))).toEqual([name, '1']);
  }, 90_000);
});
