/**
 * Reconciliation on DynamoDB Local, through the API and the desk: the worked example stored and reconciled
 * (1,835,000 VND), who may do what (operator A cannot read B; an operator cannot run, resolve, approve or record
 * advances), concurrent runs that make one version, a re-run after late telemetry and after an amended order
 * (version 2, 3 with their diffs), a conflicting write that leaves the visible version as it was, approval as an
 * immutable payment record that moves the trip orders to `reconciled`, reopening, and advances above a month.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContractRepository } from '../../shared/adapters/dynamodb/contract-repository.js';
import type { DynamoJourneyRepository } from '../../shared/adapters/dynamodb/journey-repository.js';
import { DynamoReconciliationRepository } from '../../shared/adapters/dynamodb/reconciliation-repository.js';
import type { DynamoTripOrderRepository } from '../../shared/adapters/dynamodb/trip-order-repository.js';
import { Conflict } from '../../shared/domain/errors.js';
import { reconciliationJourneyOf } from '../../shared/domain/reconciliation/journey-view.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { OTHER, seedWorkedExample, storeJourneys } from '../support/worked-example-stack.js';
import { DAY, type FixtureJourney, OPERATOR, WORKED_TIMES, at, contract, journey, stops, workedExample } from '../unit/reconciliation/fixtures.js';
import { TEST_NOW } from '../support/test-clock.js';

const MONTH = DAY.slice(0, 7);
const CENTRE_ACTOR = { role: 'centre', id: 'centre-1' } as const;

let stack: TestStack;
let orders: DynamoTripOrderRepository;
let journeys: DynamoJourneyRepository;
let store: DynamoReconciliationRepository;
let centre: string;
let sgb: string;
let oth: string;

const desk = () => stack.http!.api.reconciliations;

async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${stack.http!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

beforeAll(async () => {
  stack = await startTestStack({ http: true });
  ({ orders, journeys } = await seedWorkedExample(stack));
  store = new DynamoReconciliationRepository(stack.doc, stack.config.tableNames.reconciliations);
  const issuer = stack.http!.issuer;
  centre = await issuer.sign({ role: 'centre' });
  sgb = await issuer.sign({ role: 'operator', operatorId: OPERATOR });
  oth = await issuer.sign({ role: 'operator', operatorId: OTHER });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('reconciliation on DynamoDB Local', () => {
  it('stores a reconciliation summary with each bus-day, replaced with its trips and gone with the last of an operator', async () => {
    const day = '2026-11-20';
    const onDay = (j: FixtureJourney) => ({ ...j, serviceDay: day, computedAt: new Date(TEST_NOW).toISOString() });
    const a = journey({ busId: 'X1', tripId: 'x-1', departMs: at('07:00'), stops: stops('v', 5, 's', 1), revenueVnd: 20_000 });
    const b = journey({ busId: 'X1', tripId: 'x-2', departMs: at('08:00'), stops: stops('v', 6), operatorId: OTHER, routeId: 'R2' });
    await journeys.replaceBusDay('X1', day, [onDay(a), onDay(b)]);
    const all = await journeys.reconciliationJourneys(day);
    expect(all?.itemsRead).toBe(2);
    expect(all?.trips.map((t) => t.tripId).sort()).toEqual(['x-1', 'x-2']);
    expect((await journeys.reconciliationJourneys(day, OTHER))?.trips).toEqual([reconciliationJourneyOf(onDay(b))]);
    // Recomputed: the bus ran only the first trip; the other operator's summary goes with its trip.
    await journeys.replaceBusDay('X1', day, [onDay(a)]);
    expect(await journeys.reconciliationJourneys(day, OTHER)).toBeUndefined();
    expect((await journeys.reconciliationJourneys(day))?.trips).toEqual([reconciliationJourneyOf(onDay(a))]);
    await journeys.replaceBusDay('X1', day, []);
    expect(await journeys.reconciliationJourneys(day)).toBeUndefined();
  });

  it('two concurrent runs of the same inputs make one version', async () => {
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => desk().run(DAY, OTHER, CENTRE_ACTOR)));
    const flat = outcomes.flat();
    expect(flat.filter((o) => o.outcome === 'created')).toHaveLength(1);
    expect(flat.every((o) => o.version === 1)).toBe(true);
    expect(await store.version(DAY, OTHER, 2)).toBeUndefined();
    const audit = await store.auditTrail(DAY, OTHER);
    expect(audit.filter((a) => a.action === 'run')).toHaveLength(1);
  });

  it('stores the worked example as version 1: subsidy payable 1,835,000 VND', async () => {
    const run = await call('POST', '/v1/reconciliations', centre, { serviceDay: DAY });
    expect(run.status, JSON.stringify(run.json)).toBe(200);
    expect(run.json.runs.map((r: any) => [r.operatorId, r.outcome, r.version])).toEqual([
      [OTHER, 'unchanged', 1],
      [OPERATOR, 'created', 1],
    ]);
    const view = await call('GET', `/v1/reconciliations/${DAY}/${OPERATOR}`, sgb);
    expect(view.status).toBe(200);
    expect(view.json.version.statement.totals).toMatchObject({
      plannedTrips: 4,
      acceptedTrips: 3,
      penaltiesVnd: 250_000,
      fareRevenueVnd: 1_040_000,
      subsidyPayableVnd: 1_835_000,
    });
    const t1 = view.json.version.statement.lines.find((l: any) => l.lineId === 'O1#1');
    expect(t1.evidence.stops.skippedStopIds).toEqual(['S10']);
    // Stored and served with its reason in both languages; the Vietnamese CSV gives the Vietnamese one.
    expect(t1.reasonVi).toBe('hoàn thành: xuất bến đúng giờ, trong dung sai -1/+5 phút (giới hạn trễ 30 phút); đã ghé 19/20 trạm, bỏ 1 trạm (S10)');
    expect(t1.reason).toMatch(/^completed: departed on the minute/);
    const csv = await call('GET', `/v1/reconciliations/${DAY}/${OPERATOR}/csv`, sgb);
    expect(csv.json).toContain(`"${t1.reasonVi}"`);
    expect(csv.json).not.toContain(t1.reason);
    expect((await call('GET', `/v1/reconciliations/${DAY}/${OPERATOR}/csv?lang=en`, sgb)).json).toContain(`"${t1.reason}"`);
  });

  it('lets an operator read only its own, and only the centre run, resolve, approve, reopen and record advances', async () => {
    expect((await call('GET', `/v1/reconciliations/${DAY}/${OTHER}`, sgb)).status).toBe(403);
    expect((await call('GET', `/v1/reconciliations/${DAY}/${OPERATOR}/csv`, oth)).status).toBe(403);
    expect((await call('GET', `/v1/reconciliations?serviceDay=${DAY}&operatorId=${OTHER}`, sgb)).status).toBe(403);
    expect((await call('GET', `/v1/settlements/${OTHER}/${MONTH}`, sgb)).status).toBe(403);
    expect((await call('GET', `/v1/advances?operatorId=${OTHER}&month=${MONTH}`, sgb)).status).toBe(403);
    const mine = await call('GET', `/v1/reconciliations?serviceDay=${DAY}`, sgb);
    expect(mine.json.items.map((h: any) => h.operatorId)).toEqual([OPERATOR]);
    expect((await call('POST', '/v1/reconciliations', sgb, { serviceDay: DAY, operatorId: OPERATOR })).status).toBe(403);
    expect((await call('POST', `/v1/reconciliations/${DAY}/${OPERATOR}/approve`, sgb, {})).status).toBe(403);
    expect((await call('POST', `/v1/reconciliations/${DAY}/${OTHER}/resolutions`, oth, { lineId: 'P1#2', decision: 'completed', reason: 'mine' })).status).toBe(
      403,
    );
    expect((await call('POST', `/v1/reconciliations/${DAY}/${OPERATOR}/reopen`, sgb, { reason: 'please' })).status).toBe(403);
    expect((await call('POST', '/v1/advances', sgb, { operatorId: OPERATOR, month: MONTH, amountVnd: 1 })).status).toBe(403);
    expect((await call('GET', `/v1/reconciliations/${DAY}/${OPERATOR}`, centre)).status).toBe(200);
  });

  it('refuses approval while a needs-review line is open, and approves once the centre resolved it', async () => {
    const refused = await call('POST', `/v1/reconciliations/${DAY}/${OTHER}/approve`, centre, {});
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toContain('P1#2');
    const resolved = await call('POST', `/v1/reconciliations/${DAY}/${OTHER}/resolutions`, centre, {
      lineId: 'P1#2',
      decision: 'completed',
      reason: 'terminal log and the driver’s report agree',
    });
    expect(resolved.status, JSON.stringify(resolved.json)).toBe(200);
    expect(resolved.json.head.openReviewLines).toBe(0);
    const line = resolved.json.version.statement.lines.find((l: any) => l.lineId === 'P1#2');
    expect(line).toMatchObject({ class: 'completed', resolution: { decision: 'completed', classBefore: 'needs-review' } });
    expect(line.reasonVi).toBe(
      'hoàn thành: trung tâm đã xem xét (chấp nhận hoàn thành): terminal log and the driver’s report agree — trước đó: cần xem xét: không có dữ liệu hành trình của chuyến, nhưng bến đã xác nhận xuất bến',
    );
    const approved = await call('POST', `/v1/reconciliations/${DAY}/${OTHER}/approve`, centre, { version: 1 });
    expect(approved.status).toBe(200);
    expect(approved.json.resolutions.map((r: any) => r.lineId)).toEqual(['P1#2']);
    expect(approved.json.subsidyPayableVnd).toBe(2 * 1_250_000 - 100_000);
  });

  it('makes version 2 with a diff after late telemetry, and version 3 after an amended order', async () => {
    // T4 did run: its telemetry arrives late.
    await storeJourneys(journeys, [
      ...workedExample().journeys.filter((j) => j.busId === 'B1'),
      journey({ busId: 'B1', tripId: 'trip-4', departMs: WORKED_TIMES.T4, directionId: 1, stops: stops('v', 20), revenueVnd: 200_000 }),
    ]);
    const [run2] = await desk().run(DAY, OPERATOR, CENTRE_ACTOR);
    expect(run2).toMatchObject({ outcome: 'created', version: 2 });
    const diff = await call('GET', `/v1/reconciliations/${DAY}/${OPERATOR}/diff?from=1&to=2`, sgb);
    expect(diff.status).toBe(200);
    const t4 = diff.json.changed.find((c: any) => c.lineId === 'O1#4');
    expect(t4.changes).toContainEqual(expect.objectContaining({ field: 'class', from: 'missed', to: 'completed' }));
    expect(diff.json.totals).toContainEqual(expect.objectContaining({ field: 'subsidyPayableVnd', from: 1_835_000 }));

    // The same inputs again: no version 3.
    expect((await desk().run(DAY, OPERATOR, CENTRE_ACTOR))[0]).toMatchObject({ outcome: 'unchanged', version: 2 });

    // The order is amended: its fourth trip planned ten minutes later.
    const current = (await orders.list({ serviceDay: DAY, operatorId: OPERATOR }, 10)).items[0]!;
    const trips = current.trips.map((t) => (t.sequence === 4 ? { ...t, plannedDeparture: new Date(WORKED_TIMES.T4 + 10 * 60_000).toISOString() } : t));
    await orders.update({ ...current, trips, revision: current.revision + 1 }, current.revision);
    const [run3] = await desk().run(DAY, OPERATOR, CENTRE_ACTOR);
    expect(run3).toMatchObject({ outcome: 'created', version: 3 });
    const v3 = await desk().get(DAY, OPERATOR, CENTRE_ACTOR, 3);
    expect(v3.version.diff?.changed.map((c) => c.lineId)).toContain('O1#4');
    // Version 1 is still there as it was run.
    expect((await desk().get(DAY, OPERATOR, CENTRE_ACTOR, 1)).version.statement.totals.subsidyPayableVnd).toBe(1_835_000);
  });

  it('leaves the visible version as it was when a write loses the race', async () => {
    const head = (await store.head(DAY, OPERATOR))!;
    const v = (await store.version(DAY, OPERATOR, head.version))!;
    const audit = { id: 'lost', at: new Date(at('12:00')).toISOString(), actor: CENTRE_ACTOR, action: 'run' as const };
    // A run that read version 2 commits after version 3 exists: refused, nothing of it is visible.
    await expect(
      store.addVersion(
        { ...v, version: head.version + 1, inputHash: 'f'.repeat(64) },
        { ...head, version: head.version + 1, inputHash: 'f'.repeat(64) },
        { version: head.version - 1, status: 'open', approvals: 0 },
        audit,
      ),
    ).rejects.toBeInstanceOf(Conflict);
    expect(await store.head(DAY, OPERATOR)).toEqual(head);
    expect(await store.version(DAY, OPERATOR, head.version + 1)).toBeUndefined();
  });

  it('approves as an immutable payment record, moves the orders to reconciled, and needs a reopen with a reason for a new version', async () => {
    const approved = await call('POST', `/v1/reconciliations/${DAY}/${OPERATOR}/approve`, centre, { version: 3 });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    const record = approved.json;
    expect(record).toMatchObject({ sequence: 1, version: 3, approvedBy: { role: 'centre' } });
    expect((await orders.list({ serviceDay: DAY, operatorId: OPERATOR }, 10)).items.map((o) => o.status)).toEqual(['reconciled']);
    expect((await call('POST', `/v1/reconciliations/${DAY}/${OPERATOR}/approve`, centre, {})).status).toBe(409);

    // An approval that stopped before every order moved: retrying it is refused (already approved) but finishes that step.
    const reconciledOrder = (await orders.list({ serviceDay: DAY, operatorId: OPERATOR }, 10)).items[0]!;
    await orders.update({ ...reconciledOrder, status: 'closed', revision: reconciledOrder.revision + 1 }, reconciledOrder.revision);
    expect((await orders.list({ serviceDay: DAY, operatorId: OPERATOR }, 10)).items.map((o) => o.status)).toEqual(['closed']);
    expect((await call('POST', `/v1/reconciliations/${DAY}/${OPERATOR}/approve`, centre, {})).status).toBe(409);
    expect((await orders.list({ serviceDay: DAY, operatorId: OPERATOR }, 10)).items.map((o) => o.status)).toEqual(['reconciled']);

    // Late data after approval: the run leaves the approved version standing.
    await storeJourneys(journeys, [
      journey({ busId: 'B9', tripId: 'extra-2', departMs: at('17:00'), stops: stops('v', 20), revenueVnd: 10_000 }),
      ...workedExample().journeys.filter((j) => j.busId === 'B9'),
    ]);
    expect((await desk().run(DAY, OPERATOR, CENTRE_ACTOR))[0]).toMatchObject({ outcome: 'approved', version: 3 });

    expect((await call('POST', `/v1/reconciliations/${DAY}/${OPERATOR}/reopen`, centre, { reason: '' })).status).toBe(400);
    const reopened = await call('POST', `/v1/reconciliations/${DAY}/${OPERATOR}/reopen`, centre, { reason: 'a second unscheduled run reported by the depot' });
    expect(reopened.json).toMatchObject({ status: 'open', reopened: { reason: 'a second unscheduled run reported by the depot' } });
    expect((await desk().run(DAY, OPERATOR, CENTRE_ACTOR))[0]).toMatchObject({ outcome: 'created', version: 4 });
    const second = await call('POST', `/v1/reconciliations/${DAY}/${OPERATOR}/approve`, centre, { version: 4 });
    expect(second.json).toMatchObject({ sequence: 2, version: 4 });
    // The orders' own step to reconciled is not a change of the inputs: the next run finds nothing new.
    expect((await desk().run(DAY, undefined, CENTRE_ACTOR)).map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);

    const view = await call('GET', `/v1/reconciliations/${DAY}/${OPERATOR}`, sgb);
    expect(view.json.approvals[0]).toEqual(record);
    expect(view.json.audit.map((a: any) => a.action)).toEqual(expect.arrayContaining(['run', 'run-unchanged', 'approve', 'reopen']));
    expect(view.json.audit.filter((a: any) => a.action === 'approve')).toHaveLength(2);
  });

  it('settles a month with advances larger than the month: owed by the operator, the other days outstanding', async () => {
    const big = await call('POST', '/v1/advances', centre, { operatorId: OPERATOR, month: MONTH, amountVnd: 100_000_000, reference: 'UNC-11' });
    expect(big.status).toBe(201);
    const s = await call('GET', `/v1/settlements/${OPERATOR}/${MONTH}`, sgb);
    expect(s.status, JSON.stringify(s.json)).toBe(200);
    const head = (await store.head(DAY, OPERATOR))!;
    expect(s.json.approvedDays).toEqual([DAY]);
    expect(s.json.approvedTotalVnd).toBe(head.totals.subsidyPayableVnd);
    expect(s.json.advancesVnd).toBe(100_000_000);
    expect(s.json.balanceVnd).toBe(head.totals.subsidyPayableVnd - 100_000_000);
    expect(s.json.balanceStatus).toBe('owed-by-operator');
    expect(s.json.outstandingDays).toHaveLength(29);
    const csv = await call('GET', `/v1/settlements/${OPERATOR}/${MONTH}/csv`, sgb);
    expect(csv.json).toContain('Đã tạm ứng (VND)');
  });

  it("measures excess wait time on the approved days' stop visits when the contract has that term", async () => {
    const withEwt = contract({ performanceTerms: { excessWaitTime: { thresholdMin: 1, deductionShare: 0.05, timingPoints: { stopIds: ['S1', 'S10'] } } } });
    await new DynamoContractRepository(stack.doc, stack.config.tableNames.routeContracts).put([withEwt]);
    const s = await call('GET', `/v1/settlements/${OPERATOR}/${MONTH}`, sgb);
    expect(s.status, JSON.stringify(s.json)).toBe(200);
    const ewt = s.json.routes.find((r: any) => r.routeId === withEwt.routeId).excessWaitTime;
    // The timing points' scheduled and actual arrivals came from the day's trips performed.
    expect(ewt.timingStopIds).toEqual(['S1', 'S10']);
    expect(ewt.scheduledBusesPerHour).toBeGreaterThan(0);
    expect(ewt.actualWaitMin).toBeGreaterThan(0);
    expect(ewt.highFrequency).toBe(false);
    expect(ewt.deductionVnd).toBe(0);
  });
});
