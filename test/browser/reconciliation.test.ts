/**
 * The reconciliation and settlement pages in a real Chromium against a real local stack holding the issue's
 * worked example (its contract, trip order and journeys stored as the integration test stores them, then
 * reconciled through the API): the statement shows subsidy payable 1.835.000 ₫ and each line's class and amount,
 * a line's evidence names its skipped stop; the centre resolves a needs-review line of another operator and
 * approves its day, downloads the CSV and opens the acceptance record; the month's settlement counts the
 * approved day; an operator signed in sees its own statement and never another's; a re-run after late telemetry
 * shows what changed; the app's script stays under 300 KB gzipped. Pictured at 1280 and 360 px; any console or
 * page error fails the test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoJourneyRepository } from '../../shared/adapters/dynamodb/journey-repository.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { buildConsole } from '../../web/build.js';
import { closeCheckingErrors, launchChromium, screenshot, signIn, WIDTHS, watchedPage, type WatchedPage } from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { OTHER, seedWorkedExample, storeJourneys } from '../support/worked-example-stack.js';
import { DAY, OPERATOR, WORKED_TIMES, journey, stops, workedExample } from '../unit/reconciliation/fixtures.js';

const MONTH = DAY.slice(0, 7);

let browser: Browser | undefined;
let stack: TestStack | undefined;
let webDir: string | undefined;
let appGzipBytes = 0;
let journeys: DynamoJourneyRepository;
let centre: string;
let sgb: string;
const open: WatchedPage[] = [];

async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${stack!.http!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  browser = await launchChromium();
  webDir = mkdtempSync(join(tmpdir(), 'busflow-console-'));
  const web = buildConsole(webDir);
  appGzipBytes = web.appGzipBytes;
  const { network } = await loadGtfs(SAMPLE_NETWORK_DIR);
  stack = await startTestStack({ http: true, network, stack: { console: { dir: web.outDir, config: { auth: { kind: 'dev' } } } } });
  ({ journeys } = await seedWorkedExample(stack));
  centre = await stack.http!.issuer.sign({ role: 'centre' });
  sgb = await stack.http!.issuer.sign({ role: 'operator', operatorId: OPERATOR });
  const run = await call('POST', '/v1/reconciliations', centre, { serviceDay: DAY });
  expect(run.status, JSON.stringify(run.json)).toBe(200);
}, 180_000);

afterEach(async () => {
  expect(await closeCheckingErrors(open)).toEqual([]);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
}, 60_000);

/** A page signed in with `token` (the session the login page would keep), at `path`. */
async function visitAs(token: string, path: string, size: { width: number; height: number } = WIDTHS.desktop): Promise<Page> {
  const watched = await watchedPage(browser!, size);
  open.push(watched);
  await signIn(watched, token);
  await watched.page.goto(`${stack!.http!.url}${path}`);
  return watched.page;
}

/** Text with its non-breaking spaces as plain spaces. */
const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').replace(/\u00a0/g, ' ').trim();

function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

describe('reconciliation page', () => {
  it('shows the worked example: subsidy payable 1.835.000 ₫, the lines’ classes and amounts, a line’s evidence naming its skipped stop', async () => {
    const page = await visitAs(centre, `/reconciliation?day=${DAY}&operator=${OPERATOR}`);
    await page.waitForSelector('[data-testid=total-subsidy]');
    expect(await text(page, '[data-testid=total-subsidy]')).toBe('1.835.000 ₫');
    expect(await text(page, '[data-testid=total-planned]')).toBe('4');
    expect(await text(page, '[data-testid=total-accepted]')).toBe('3');
    expect(await text(page, '[data-testid=total-penalties]')).toBe('250.000 ₫');
    expect(await text(page, '[data-testid=total-fares]')).toBe('1.040.000 ₫');
    const lines = await page.$$eval('tr[data-line^="O1#"]', (rows) =>
      rows.map((r) => [
        r.getAttribute('data-line'),
        r.getAttribute('data-class'),
        r.querySelector('[data-testid=line-amount]')?.textContent?.replace(/\u00a0/g, ' '),
      ]),
    );
    expect(lines).toEqual([
      ['O1#1', 'completed', '1.250.000 ₫'],
      ['O1#2', 'late', '1.250.000 ₫'],
      ['O1#3', 'partial', '625.000 ₫'],
      ['O1#4', 'missed', '0 ₫'],
    ]);
    expect(await page.textContent('tr[data-line="O1#3"] .badge')).toBe('Một phần');
    await screenshot(page, 'reconciliation');

    // The first trip's evidence: stop S10 passed without stopping, named, and in the timeline between S9 and S11.
    await page.click('tr[data-line="O1#1"] button[data-action=evidence]');
    await page.waitForSelector('tr.line-evidence:not([hidden]) [data-testid=skipped-stops]');
    expect(await text(page, 'tr.line-evidence:not([hidden]) [data-testid=skipped-stops]')).toBe('S10');
    await page.waitForSelector('tr.line-evidence:not([hidden]) ol.visits li');
    const visits = await page.$$eval('tr.line-evidence:not([hidden]) ol.visits li', (lis) => lis.map((li) => li.getAttribute('data-status')));
    expect(visits).toHaveLength(20);
    expect(visits.map((s, i) => (s === 'skipped' ? i : -1)).filter((i) => i >= 0)).toEqual([9]);
    expect(await page.textContent('tr.line-evidence:not([hidden]) ol.visits li[data-status=skipped]')).toContain('S10');
    // Its reason in Vietnamese, as the city writes it.
    expect(await text(page, 'tr.line-evidence:not([hidden]) [data-testid=line-reason]')).toBe(
      'hoàn thành: xuất bến đúng giờ, trong dung sai -1/+5 phút (giới hạn trễ 30 phút); đã ghé 19/20 trạm, bỏ 1 trạm (S10)',
    );
    await screenshot(page, 'reconciliation-evidence');

    // Filtered by class: only the partial trip.
    await page.selectOption('#rc-class', 'partial');
    await page.waitForFunction("location.search.includes('class=partial')");
    await page.waitForSelector('tr[data-line]');
    expect(await page.$$eval('tr[data-line]', (rows) => rows.map((r) => r.getAttribute('data-line')))).toEqual(['O1#3']);

    const phone = await visitAs(centre, `/reconciliation?day=${DAY}&operator=${OPERATOR}`, WIDTHS.phone);
    await phone.waitForSelector('[data-testid=total-subsidy]');
    expect(await text(phone, '[data-testid=total-subsidy]')).toBe('1.835.000 ₫');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(360);
    await screenshot(phone, 'reconciliation');
  }, 60_000);

  it('writes the amounts the English way once English is chosen', async () => {
    const page = await visitAs(centre, `/reconciliation?day=${DAY}&operator=${OPERATOR}`);
    await page.waitForSelector('[data-testid=total-subsidy]');
    await page.click('button.lang');
    await page.waitForFunction("document.querySelector('.recon h1')?.textContent === 'Reconciliation'");
    await page.waitForSelector('[data-testid=total-subsidy]');
    expect(await text(page, '[data-testid=total-subsidy]')).toBe('1,835,000 ₫');
    await page.click('tr[data-line="O1#1"] button[data-action=evidence]');
    await page.waitForSelector('tr.line-evidence:not([hidden]) [data-testid=line-reason]');
    expect(await text(page, 'tr.line-evidence:not([hidden]) [data-testid=line-reason]')).toBe(
      'completed: departed on the minute, within the tolerance -1/+5 min, late limit 30 min; 19/20 stops visited, 1 skipped (S10)',
    );
  }, 30_000);

  it('lets the centre resolve a needs-review line, approve the day, download its CSV and open its acceptance record', async () => {
    const page = await visitAs(centre, `/reconciliation?day=${DAY}&operator=${OTHER}`);
    const row = 'tr[data-line="P1#2"]';
    await page.waitForSelector(row);
    expect(await page.getAttribute(row, 'data-class')).toBe('needs-review');
    // Approval waits for the decision.
    expect(await page.$('button[data-action=approve]')).toBeNull();
    await page.click(`${row} button[data-action=evidence]`);
    const form = 'tr.line-evidence:not([hidden]) form.resolve';
    await page.waitForSelector(form);
    await page.selectOption(`${form} select`, 'completed');
    await page.fill(`${form} input[name=reason]`, 'Sổ bến và báo cáo của lái xe khớp nhau');
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector(`tr[data-line="P1#2"][data-class=completed]`);
    expect(await text(page, '[data-testid=total-subsidy]')).toBe('2.400.000 ₫');

    // The CSV of the version, with its byte-order mark and the trip's line.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-action=csv]')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('LVC-P1');
    expect(csv.split('\r\n')[0]).toMatch(/^\uFEFFLệnh vận chuyển,/);

    // The printable acceptance record opens in a new tab.
    const [record] = await Promise.all([page.context().waitForEvent('page'), page.click('button[data-action=record]')]);
    await record.waitForLoadState();
    await record.waitForFunction("document.body && document.body.textContent.includes('OTH')");
    await record.close();

    await page.click('button[data-action=approve]');
    await page.waitForSelector('.badge.rs-approved');
    expect(await text(page, '[data-testid=recon-status]')).toBe('Đã duyệt: 2.400.000 ₫ trợ giá.');
    const stored = await call('GET', `/v1/reconciliations/${DAY}/${OTHER}`, centre);
    expect(stored.json.head.status).toBe('approved');
    expect(stored.json.resolutions.map((r: any) => [r.lineId, r.decision, r.reason])).toEqual([
      ['P1#2', 'completed', 'Sổ bến và báo cáo của lái xe khớp nhau'],
    ]);
  }, 60_000);

  it('shows an operator its own statement and never another operator’s', async () => {
    // The API refuses the other operator's statement to SGB…
    expect((await call('GET', `/v1/reconciliations/${DAY}/${OTHER}`, sgb)).status).toBe(403);
    // …and the page, asked for it, shows SGB's own and offers no other operator.
    const page = await visitAs(sgb, `/reconciliation?day=${DAY}&operator=${OTHER}`, WIDTHS.phone);
    await page.waitForSelector('[data-testid=total-subsidy]');
    expect(await text(page, '[data-testid=statement] h2')).toBe(`${OPERATOR} · ${DAY}`);
    expect(await text(page, '[data-testid=total-subsidy]')).toBe('1.835.000 ₫');
    expect(await page.$('#rc-operator')).toBeNull();
    expect(await page.$('button[data-action=run]')).toBeNull();
    expect(await page.$('button[data-action=approve]')).toBeNull();
    expect(await page.$$('tr[data-line^="P1#"]')).toEqual([]);
    expect(await page.textContent('main')).not.toContain(OTHER);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'reconciliation-operator');

    const month = await visitAs(sgb, `/settlement?operator=${OTHER}&month=${MONTH}`);
    await month.waitForSelector('[data-testid=settlement] h2');
    expect(await text(month, '[data-testid=settlement] h2')).toBe(`${OPERATOR} · ${MONTH}`);
    expect(await month.textContent('main')).not.toContain(OTHER);
  }, 60_000);
});

describe('monthly settlement page', () => {
  it('counts the approved day, and lists the days not yet approved', async () => {
    const page = await visitAs(centre, `/settlement?operator=${OTHER}&month=${MONTH}`);
    await page.waitForSelector('[data-testid=settlement-approved-total]');
    expect(await text(page, '[data-testid=settlement-approved-total]')).toBe('2.400.000 ₫');
    expect(await text(page, '[data-testid=settlement-balance]')).toBe('2.400.000 ₫');
    expect(await text(page, '[data-testid=approved-days]')).toBe('26/11/2026');
    expect(await page.$$eval('ul.outstanding li', (lis) => lis.length)).toBeGreaterThan(0);
    await screenshot(page, 'settlement');

    const phone = await visitAs(centre, `/settlement?operator=${OTHER}&month=${MONTH}`, WIDTHS.phone);
    await phone.waitForSelector('[data-testid=settlement-approved-total]');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(360);
    await screenshot(phone, 'settlement');
  }, 30_000);
});

describe('a new version of a statement', () => {
  it('shows what changed since the previous version', async () => {
    // Late telemetry: the fourth trip did run. A re-run makes version 2 of SGB's day.
    const worked = workedExample();
    await storeJourneys(journeys, [
      ...worked.journeys.filter((j) => j.busId === 'B1'),
      journey({ busId: 'B1', tripId: 'trip-4', departMs: WORKED_TIMES.T4, directionId: 1, stops: stops('v', 20), revenueVnd: 200_000 }),
    ]);
    const run = await call('POST', '/v1/reconciliations', centre, { serviceDay: DAY, operatorId: OPERATOR });
    expect(run.json.runs.map((r: any) => [r.outcome, r.version])).toEqual([['created', 2]]);
    const page = await visitAs(centre, `/reconciliation?day=${DAY}&operator=${OPERATOR}`);
    await page.waitForSelector('details.diff');
    expect(await text(page, '[data-testid=recon-version]')).toBe('Phiên bản 2 · Chờ duyệt');
    expect(await page.getAttribute('tr[data-line="O1#4"]', 'data-class')).toBe('completed');
    await page.click('details.diff summary');
    const changes = await text(page, 'details.diff');
    expect(changes).toContain('O1#4');
    expect(changes).toContain('missed → completed');
  }, 30_000);
});

describe('the console build', () => {
  it('keeps the app’s own script under 300 KB gzipped (the map library apart)', () => {
    expect(appGzipBytes).toBeGreaterThan(10_000);
    expect(appGzipBytes).toBeLessThan(300 * 1024);
  });
});
