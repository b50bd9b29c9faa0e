/**
 * Complaints checked against the journeys: the evidence of the passes at the stop within ±15 min, the verdict
 * (skipped, stopped, no bus, late, on time; the window's edges; by plate or by route) and the desk's rules
 * (what it refuses, who may read what), on hand-made journeys and GPS fixes around one stop.
 */
import { describe, expect, it } from 'vitest';
import type { GpsRecord } from '../../../shared/catalogue/index.js';
import { ComplaintDesk } from '../../../shared/domain/complaints/desk.js';
import type { BusRegistryEntry, ComplaintEvidenceSource, ComplaintFilter, ComplaintStore } from '../../../shared/domain/complaints/ports.js';
import { COMPLAINT_WINDOW_MS, LATE_THRESHOLD_S, STOP_ZONE_RADIUS_M, complaintWindow, stopPasses } from '../../../shared/domain/complaints/stop-passes.js';
import type { Complaint, ComplaintInput, ComplaintKind } from '../../../shared/domain/complaints/types.js';
import { summarise } from '../../../shared/domain/complaints/summary.js';
import { confirmedComplaintsByOperator, verdictOf } from '../../../shared/domain/complaints/verdict.js';
import { NotFound, ValidationError } from '../../../shared/domain/errors.js';
import type { JourneyRecord } from '../../../shared/domain/journeys/journey-record.js';
import { fixedClock } from '../../../shared/domain/ports/clock.js';
import { TEST_NOW, TEST_SERVICE_DAY } from '../../support/test-clock.js';

const MIN = 60_000;
/** The complaint is about 09:30 local; the stack's clock says 10:00. */
const AT = TEST_NOW - 30 * MIN;
/** Stops A, B, C along a street running north, 500 m apart; the complaints are about B. */
const LAT0 = 10.77;
const LON = 106.7;
const M_PER_DEG = 111_195;
const latAt = (distanceM: number) => LAT0 + distanceM / M_PER_DEG;
const STOP_B = { stopId: 'B', name: 'Chợ Bến Thành', lat: latAt(500), lon: LON };

type VisitSpec = { status: 'visited' | 'skipped' | 'unobserved'; arrivalMs?: number; departureMs?: number; doorOpened?: boolean; scheduledMs?: number };

/** A trip through A, B, C: A and C visited 2 min either side of B's instant, B as given. */
function journey(busId: string, operatorId: string, b: VisitSpec & { atMs: number }, extra: Partial<JourneyRecord> = {}): JourneyRecord {
  const visit = (stopId: string, seq: number, distanceM: number, v: VisitSpec, scheduledMs?: number) => ({
    stopId,
    stopSequence: seq,
    status: v.status,
    ...(v.arrivalMs !== undefined ? { arrivalMs: v.arrivalMs } : {}),
    ...(v.departureMs !== undefined ? { departureMs: v.departureMs, dwellS: (v.departureMs - (v.arrivalMs ?? v.departureMs)) / 1000 } : {}),
    ...(v.doorOpened !== undefined ? { doorOpened: v.doorOpened } : {}),
    ...(scheduledMs !== undefined
      ? { scheduledArrivalMs: scheduledMs, ...(v.arrivalMs !== undefined ? { delayS: (v.arrivalMs - scheduledMs) / 1000 } : {}) }
      : {}),
    evidence: {
      method: v.status === 'visited' ? ('slow-fixes' as const) : v.status === 'skipped' ? ('bracket' as const) : ('gap' as const),
      fixesInZone: 2,
      slowFixesInZone: 0,
    },
    distanceM,
    boardings: 0,
    revenueVnd: 0,
    transactions: 0,
  });
  const scheduledB = b.scheduledMs;
  return {
    serviceDay: TEST_SERVICE_DAY,
    tripId: `${busId}-T1`,
    busId,
    operatorId,
    routeId: 'R1',
    classification: 'completed',
    source: 'order',
    performed: { status: 'completed', performed: true, stopsVisited: 2, stopsSkipped: 0, stopsUnobserved: 0, distanceM: 1000 },
    visits: [
      visit('A', 1, 0, { status: 'visited', arrivalMs: b.atMs - 2 * MIN, departureMs: b.atMs - 2 * MIN + 20_000 }, scheduledB && scheduledB - 2 * MIN),
      visit('B', 2, 500, b, scheduledB),
      visit('C', 3, 1000, { status: 'visited', arrivalMs: b.atMs + 2 * MIN, departureMs: b.atMs + 2 * MIN + 20_000 }, scheduledB && scheduledB + 2 * MIN),
    ],
    computedAt: new Date(TEST_NOW).toISOString(),
    ...extra,
  };
}

/** Fixes every 5 s of a bus driving north through B at `speedKmh`, at B at `atMs`, standing there `standS` seconds. */
function track(atMs: number, speedKmh: number, standS = 0, doorOpen?: boolean): GpsRecord[] {
  const v = speedKmh / 3.6;
  const out: GpsRecord[] = [];
  for (let t = atMs - 120_000; t <= atMs + standS * 1000 + 120_000; t += 5000) {
    const moving = t < atMs ? (t - atMs) * v : t > atMs + standS * 1000 ? (t - atMs - standS * 1000) * v : 0;
    const standing = standS > 0 && t >= atMs && t <= atMs + standS * 1000;
    out.push({
      ts: t,
      lat: latAt(500 + moving / 1000),
      lon: LON,
      speedKmh: standing ? 0 : speedKmh,
      ...(doorOpen !== undefined ? { doorOpen: standing && doorOpen } : {}),
    });
  }
  return out;
}

const complaint = (over: Partial<ComplaintInput> = {}): ComplaintInput => ({
  kind: 'skipped-stop',
  routeId: 'R1',
  stopId: 'B',
  at: new Date(AT).toISOString(),
  ...over,
});

function check(kind: ComplaintKind, journeys: JourneyRecord[], fixes: Record<string, GpsRecord[]> = {}, atMs = AT) {
  const evidence = stopPasses({
    kind,
    stop: STOP_B,
    window: complaintWindow(atMs),
    journeys,
    fixesByBus: new Map(Object.entries(fixes)),
    plates: new Map([['BUS1', '51B-111.11']]),
  });
  return { evidence, ...verdictOf(kind, evidence) };
}

describe('the verdict on a skipped-stop complaint', () => {
  it('confirms a skipped visit, timed by the fix nearest the stop, with the speed through the stop zone', () => {
    const passMs = AT + 4 * MIN;
    const { verdict, evidence } = check('skipped-stop', [journey('BUS1', 'OP1', { status: 'skipped', atMs: passMs })], { BUS1: track(passMs, 30) });
    expect(verdict).toBe('confirmed-skipped');
    expect(evidence).toHaveLength(1);
    const [pass] = evidence;
    expect(pass).toMatchObject({ busId: 'BUS1', plate: '51B-111.11', operatorId: 'OP1', tripId: 'BUS1-T1', status: 'skipped', finding: 'skipped' });
    expect(pass!.passedAtSource).toBe('closest-fix');
    expect(pass!.passedAt).toBe(new Date(passMs).toISOString());
    expect(pass!.closestApproach).toEqual({ distanceM: 0, at: new Date(passMs).toISOString() });
    // 30 km/h is 41.7 m per 5 s: the fixes within 40 m of the stop are the one at it and none either side.
    expect(pass!.zone).toEqual({ radiusM: STOP_ZONE_RADIUS_M, fixes: 1, minSpeedKmh: 30, meanSpeedKmh: 30, doorOpenFixes: 0 });
    expect(pass!.arrivalAt).toBeUndefined();
  });

  it('answers bus-stopped when the bus stopped and dwelled, with its dwell, doors and standing speed', () => {
    const passMs = AT - 5 * MIN;
    const j = journey('BUS1', 'OP1', { status: 'visited', atMs: passMs, arrivalMs: passMs, departureMs: passMs + 30_000, doorOpened: true });
    const { verdict, evidence } = check('skipped-stop', [j], { BUS1: track(passMs, 20, 30, true) });
    expect(verdict).toBe('bus-stopped');
    expect(evidence[0]).toMatchObject({ status: 'visited', finding: 'stopped', dwellS: 30, doorOpened: true, passedAtSource: 'arrival' });
    expect(evidence[0]!.arrivalAt).toBe(new Date(passMs).toISOString());
    expect(evidence[0]!.zone.minSpeedKmh).toBe(0);
    expect(evidence[0]!.zone.doorOpenFixes).toBe(7);
  });

  it('confirms a skip when one bus skipped even though another stopped', () => {
    const stopped = journey('BUS2', 'OP1', { status: 'visited', atMs: AT - 8 * MIN, arrivalMs: AT - 8 * MIN, departureMs: AT - 8 * MIN + 20_000 });
    const skipped = journey('BUS1', 'OP2', { status: 'skipped', atMs: AT + 6 * MIN });
    const { verdict, decisive, evidence } = check('skipped-stop', [stopped, skipped]);
    expect(verdict).toBe('confirmed-skipped');
    expect(evidence.map((p) => p.busId)).toEqual(['BUS2', 'BUS1']);
    expect(decisive.map((p) => p.operatorId)).toEqual(['OP2']);
    // No fixes read: the skipped visit is placed between its neighbours' times.
    expect(evidence[1]!.passedAtSource).toBe('interpolated');
  });

  it('answers no-data when no bus passed in the window, or the fixes cannot tell', () => {
    expect(check('skipped-stop', []).verdict).toBe('no-data');
    const later = journey('BUS1', 'OP1', { status: 'skipped', atMs: AT + 40 * MIN });
    expect(check('skipped-stop', [later])).toMatchObject({ verdict: 'no-data', evidence: [] });
    const gap = journey('BUS1', 'OP1', { status: 'unobserved', atMs: AT });
    const { verdict, evidence } = check('skipped-stop', [gap]);
    expect(verdict).toBe('no-data');
    expect(evidence.map((p) => p.finding)).toEqual(['unobserved']);
  });

  it('takes a pass exactly 15 min either side of the complaint, and none a second further', () => {
    const at = (ms: number) => journey('BUS1', 'OP1', { status: 'skipped', atMs: ms, arrivalMs: ms });
    // A skipped visit has no arrival in the journeys; these carry one only to pin the instant the window sees.
    expect(check('skipped-stop', [at(AT + COMPLAINT_WINDOW_MS)]).verdict).toBe('confirmed-skipped');
    expect(check('skipped-stop', [at(AT - COMPLAINT_WINDOW_MS)]).verdict).toBe('confirmed-skipped');
    expect(check('skipped-stop', [at(AT + COMPLAINT_WINDOW_MS + 1000)]).verdict).toBe('no-data');
    expect(check('skipped-stop', [at(AT - COMPLAINT_WINDOW_MS - 1000)]).verdict).toBe('no-data');
  });

  it('confirms a no-alighting complaint when the bus stopped with its doors shut', () => {
    const j = journey('BUS1', 'OP1', { status: 'visited', atMs: AT, arrivalMs: AT, departureMs: AT + 15_000, doorOpened: false });
    const { verdict, evidence } = check('no-alighting', [j], { BUS1: track(AT, 20, 15, false) });
    expect(verdict).toBe('confirmed-skipped');
    expect(evidence[0]).toMatchObject({ finding: 'no-door', doorOpened: false });
  });
});

describe('the verdict on a late complaint', () => {
  const due = AT;
  it('confirms a bus that arrived more than 5 min after its timetable', () => {
    const arrival = due + LATE_THRESHOLD_S * 1000 + 60_000;
    const j = journey('BUS1', 'OP1', { status: 'visited', atMs: arrival, arrivalMs: arrival, departureMs: arrival + 20_000, scheduledMs: due });
    const { verdict, evidence } = check('late', [j]);
    expect(verdict).toBe('confirmed-late');
    expect(evidence[0]).toMatchObject({ finding: 'late', delayS: LATE_THRESHOLD_S + 60, scheduledArrivalAt: new Date(due).toISOString() });
  });

  it('answers on-time within 5 min, and picks the bus by its timetable even when it came outside the window', () => {
    const onTime = journey('BUS1', 'OP1', { status: 'visited', atMs: due + 4 * MIN, arrivalMs: due + 4 * MIN, departureMs: due + 5 * MIN, scheduledMs: due });
    expect(check('late', [onTime]).verdict).toBe('on-time');
    const veryLate = due + 25 * MIN;
    const j = journey('BUS1', 'OP1', { status: 'visited', atMs: veryLate, arrivalMs: veryLate, departureMs: veryLate + 20_000, scheduledMs: due });
    expect(check('late', [j]).verdict).toBe('confirmed-late');
    // Not due in the window: nothing to judge.
    const other = journey('BUS1', 'OP1', { status: 'visited', atMs: due, arrivalMs: due, departureMs: due + 20_000, scheduledMs: due + 40 * MIN });
    expect(check('late', [other]).verdict).toBe('no-data');
  });

  it('confirms a trip due in the window that never ran', () => {
    const missed = journey('BUS1', 'OP1', { status: 'unobserved', atMs: due, scheduledMs: due + 3 * MIN }, { classification: 'missed' });
    missed.visits = missed.visits.map(({ arrivalMs: _a, departureMs: _d, dwellS: _w, ...v }) => ({ ...v, status: 'unobserved' as const }));
    const { verdict, evidence } = check('late', [missed]);
    expect(verdict).toBe('confirmed-late');
    expect(evidence[0]).toMatchObject({ finding: 'missed', passedAtSource: 'scheduled' });
    expect(evidence[0]!.passedAt).toBeUndefined();
    // A trip never run passed no stop: it is no evidence about a skipped stop.
    expect(check('skipped-stop', [missed]).verdict).toBe('no-data');
  });
});

describe('the summary', () => {
  const say = (kind: ComplaintKind, journeys: JourneyRecord[]) => {
    const { evidence, decisive } = check(kind, journeys);
    return summarise({
      kind,
      decisive,
      evidence,
      stopName: STOP_B.name,
      subject: { routeId: 'R1' },
      window: complaintWindow(AT),
      timeZone: 'Asia/Ho_Chi_Minh',
    });
  };

  it('gives the delay and the timetable of a late bus, and the others that were late too', () => {
    const lateBus = (busId: string, arrival: number) =>
      journey(busId, 'OP1', { status: 'visited', atMs: arrival, arrivalMs: arrival, departureMs: arrival + 20_000, scheduledMs: AT });
    expect(say('late', [lateBus('BUS1', AT + 12 * MIN), lateBus('BUS9', AT + 9 * MIN)])).toEqual({
      vi: 'Xác nhận: xe BUS9 tuyến R1 đến trạm Chợ Bến Thành lúc 09:39, trễ 9 phút so với lịch (09:30) (và 1 xe khác).',
      en: 'Confirmed: bus BUS9 of route R1 reached stop Chợ Bến Thành at 09:39, 9 min behind its timetable (09:30) (and 1 other bus).',
    });
  });

  it('says the data cannot tell when the only passes fell in a data gap', () => {
    expect(say('skipped-stop', [journey('BUS1', 'OP1', { status: 'unobserved', atMs: AT })])).toEqual({
      vi: 'Không đủ dữ liệu: 1 lượt xe qua trạm Chợ Bến Thành trong khoảng 09:15–09:45 nhưng dữ liệu không đủ để xác định xe có dừng hay không.',
      en: 'No data: 1 bus pass at stop Chợ Bến Thành between 09:15–09:45, but the data cannot tell whether the bus stopped.',
    });
  });
});

describe('the complaint desk', () => {
  const registry: BusRegistryEntry[] = [
    { busId: 'BUS1', operatorId: 'OP1', plate: '51B-111.11' },
    { busId: 'BUS2', operatorId: 'OP2', plate: '51B-222.22' },
  ];
  const mine = journey('BUS1', 'OP1', { status: 'visited', atMs: AT + 2 * MIN, arrivalMs: AT + 2 * MIN, departureMs: AT + 2 * MIN + 25_000 });
  const theirs = journey('BUS2', 'OP2', { status: 'skipped', atMs: AT - 3 * MIN });

  function desk() {
    const stored = new Map<string, Complaint>();
    const store: ComplaintStore = {
      put: async (c) => void stored.set(c.id, c),
      get: async (id) => stored.get(id),
      page: async (f: ComplaintFilter) => ({
        items: [...stored.values()].filter((c) => c.serviceDay === f.serviceDay && (!f.operatorId || c.operatorIds.includes(f.operatorId))),
      }),
    };
    const source: ComplaintEvidenceSource = {
      timeZone: async () => 'Asia/Ho_Chi_Minh',
      stop: async (id) => (id === 'B' ? STOP_B : undefined),
      routeExists: async (id) => id === 'R1',
      bus: async (id) => registry.find((b) => b.busId === id),
      busesOfPlate: async (plate) => registry.filter((b) => b.plate.replace(/\W/g, '') === plate.toUpperCase().replace(/\W/g, '')),
      routeOperators: async () => ['OP1'],
      journeys: async ({ serviceDay, busId }) => (serviceDay === TEST_SERVICE_DAY ? [mine, theirs].filter((j) => !busId || j.busId === busId) : []),
      gps: async () => [],
    };
    let n = 0;
    return new ComplaintDesk({ complaints: store, evidence: source, clock: fixedClock(TEST_NOW), newId: () => `C-${++n}` });
  }
  const centre = { role: 'centre' as const, id: 'centre-1' };

  it('records a complaint about a route with its evidence, verdict, summary and the operators concerned', async () => {
    const c = await desk().record(complaint({ reference: '1022-0042' }), centre);
    expect(c).toMatchObject({ id: 'C-1', serviceDay: TEST_SERVICE_DAY, verdict: 'confirmed-skipped', stopName: 'Chợ Bến Thành', reference: '1022-0042' });
    expect(c.evidence.map((p) => [p.busId, p.finding])).toEqual([
      ['BUS2', 'skipped'],
      ['BUS1', 'stopped'],
    ]);
    expect(c.operatorIds).toEqual(['OP1', 'OP2']);
    expect(c.confirmedOperatorIds).toEqual(['OP2']);
    expect(c.window).toEqual({ from: new Date(AT - 15 * MIN).toISOString(), to: new Date(AT + 15 * MIN).toISOString() });
    expect(c.summary.vi).toBe('Xác nhận: xe 51B-222.22 tuyến R1 đi qua trạm Chợ Bến Thành lúc 09:27 mà không dừng.');
    expect(c.summary.en).toBe('Confirmed: bus 51B-222.22 of route R1 passed stop Chợ Bến Thành at 09:27 without stopping.');
    expect(c.recordedBy).toEqual(centre);
  });

  it('looks only at the named plate’s bus: the same complaint by plate finds the bus stopped', async () => {
    const c = await desk().record(complaint({ routeId: undefined, plate: '51b 111 11' }), centre);
    expect(c.verdict).toBe('bus-stopped');
    expect(c.evidence.map((p) => p.busId)).toEqual(['BUS1']);
    expect(c.operatorIds).toEqual(['OP1']);
    expect(c.summary.vi).toBe('Xe 51B-111.11 tuyến R1 đã dừng tại trạm Chợ Bến Thành lúc 09:32 trong 25 giây.');
  });

  it('says in both languages when no bus of the route passed', async () => {
    const c = await desk().record(complaint({ at: new Date(AT - 3 * 3600_000).toISOString() }), centre);
    expect(c.verdict).toBe('no-data');
    expect(c.summary).toEqual({
      vi: 'Không có dữ liệu: không có xe nào của tuyến R1 đi qua trạm Chợ Bến Thành trong khoảng 06:15–06:45.',
      en: 'No data: no bus of route R1 passed stop Chợ Bến Thành between 06:15–06:45.',
    });
  });

  it('refuses a complaint in the future, about an unknown stop, route or plate, or naming nobody, with the field', async () => {
    const refused = async (input: ComplaintInput) => {
      const err = await desk()
        .record(input, centre)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).issues.map((i) => i.field);
    };
    expect(await refused(complaint({ at: new Date(TEST_NOW + 5 * MIN).toISOString() }))).toEqual(['at']);
    expect(await refused(complaint({ stopId: 'NOWHERE' }))).toEqual(['stopId']);
    expect(await refused(complaint({ routeId: 'R9' }))).toEqual(['routeId']);
    expect(await refused(complaint({ routeId: undefined, plate: '99A-000.00' }))).toEqual(['plate']);
    expect(await refused(complaint({ busId: 'BUS1', plate: '51B-222.22' }))).toEqual(['plate']);
    expect(await refused(complaint({ routeId: undefined }))).toEqual(['routeId']);
  });

  it('shows an operator only the complaints that concern it, and hides the others as not found', async () => {
    const d = desk();
    const byPlate = await d.record(complaint({ routeId: undefined, plate: '51B-222.22', at: new Date(AT - 3 * 3600_000).toISOString() }), centre);
    expect(byPlate.operatorIds).toEqual(['OP2']);
    const op1 = { role: 'operator' as const, id: 'op1-user', operatorId: 'OP1' };
    await expect(d.get(byPlate.id, op1)).rejects.toBeInstanceOf(NotFound);
    expect((await d.get(byPlate.id, { role: 'operator', operatorId: 'OP2' })).id).toBe(byPlate.id);
    expect((await d.get(byPlate.id, centre)).id).toBe(byPlate.id);
    await d.record(complaint(), centre);
    expect((await d.page({ serviceDay: TEST_SERVICE_DAY }, 50, undefined, op1)).items.map((c) => c.id)).toEqual(['C-2']);
    expect((await d.page({ serviceDay: TEST_SERVICE_DAY }, 50, undefined, centre)).items).toHaveLength(2);
  });
});

describe('upheld complaints per operator', () => {
  const c = (verdict: Complaint['verdict'], confirmedOperatorIds: string[], routeId = 'R1') =>
    ({ verdict, confirmedOperatorIds, routeId, evidence: [] }) as unknown as Complaint;
  it('counts each upheld complaint once per operator whose bus upheld it, by route and operator when asked', () => {
    const day = [
      c('confirmed-skipped', ['OP1']),
      c('confirmed-late', ['OP1', 'OP2']),
      c('bus-stopped', []),
      c('no-data', []),
      c('confirmed-skipped', ['OP2'], 'R2'),
    ];
    expect(confirmedComplaintsByOperator(day)).toEqual({ OP1: 2, OP2: 2 });
    expect(confirmedComplaintsByOperator(day, { routeId: 'R1' })).toEqual({ OP1: 2, OP2: 1 });
    expect(confirmedComplaintsByOperator(day, { operatorId: 'OP2' })).toEqual({ OP2: 2 });
  });
});
