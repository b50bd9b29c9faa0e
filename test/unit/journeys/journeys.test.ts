import { describe, expect, it } from 'vitest';
import type { GpsRecord } from '../../../shared/catalogue/messages.js';
import { bearingDeg, destinationPoint, type LatLon, type MeasuredPolyline, measurePolyline, pointAtDistance } from '../../../shared/kernel/geo/polyline.js';
import { matchTrack } from '../../../shared/domain/journeys/match.js';
import { detectStopVisits } from '../../../shared/domain/journeys/stop-visits.js';
import type { JourneyPattern, StopVisit } from '../../../shared/domain/journeys/types.js';

// ---- synthetic network ---------------------------------------------------------------------------------------

const ORIGIN: LatLon = { lat: 10.7769, lon: 106.7009 }; // Bến Thành

interface Route {
  line: MeasuredPolyline;
  pattern: JourneyPattern;
}

/** A shape drawn leg by leg (bearing, length) from the origin, with stops at the given distances. */
function route(legs: [bearing: number, lengthM: number][], stopsM: number[]): Route {
  const points = [ORIGIN];
  for (const [bearing, lengthM] of legs) points.push(destinationPoint(points[points.length - 1]!, bearing, lengthM));
  const line = measurePolyline(points);
  return { line, pattern: { lengthM: line.lengthM, stops: stopsM.map((m, i) => ({ stopId: `S${i + 1}`, distanceM: Math.min(m, line.lengthM) })) } };
}

const every = (stepM: number, toM: number) => Array.from({ length: Math.floor(toM / stepM + 1e-9) + 1 }, (_, i) => i * stepM);

/** Straight street, 2.8 km east, a stop every 400 m. */
const straight = () => route([[90, 2800]], every(400, 2800));
/** A 700 m square that returns to its start: first and last stop are the same place. */
const loop = () =>
  route(
    [
      [90, 700],
      [0, 700],
      [270, 700],
      [180, 700],
    ],
    every(400, 2800),
  );
/** Out 1.6 km east and back west along the same street, 10 m apart; stops on both sides of the street. */
const outAndBack = () =>
  route(
    [
      [90, 1600],
      [0, 10],
      [270, 1600],
    ],
    [0, 400, 800, 1200, 1600, 2010, 2410, 2810, 3210],
  );

// ---- synthetic drives ----------------------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so every noisy case is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const gaussian = (rand: () => number) => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

interface Drive {
  speedKmh?: number;
  /** Dwell (s) per stop index; default 20 s at every stop. */
  dwellS?: (stopIndex: number) => number;
  noiseM?: number;
  seed?: number;
  intervalS?: [number, number];
  /** Report speed, heading and doors as a bus device does. */
  speeds?: boolean;
  headings?: boolean;
  doors?: boolean;
}

interface Truth {
  arrivalMs: number[];
  departureMs: number[];
}

const T0 = Date.UTC(2025, 0, 6, 0, 30); // 07:30 in Ho Chi Minh City

/** Drives the pattern at constant speed, standing at stops, and reports fixes every 5–10 s. */
function drive(r: Route, d: Drive = {}): { track: GpsRecord[]; truth: Truth } {
  const v = (d.speedKmh ?? 30) / 3.6;
  const dwell = d.dwellS ?? (() => 20);
  const rand = prng(d.seed ?? 1);
  const [minI, maxI] = d.intervalS ?? [5, 10];
  // Knots (time, progress): the bus moves linearly between them.
  const knots: [number, number][] = [];
  const truth: Truth = { arrivalMs: [], departureMs: [] };
  let t = T0;
  let at = 0;
  r.pattern.stops.forEach((stop, i) => {
    t += ((stop.distanceM - at) / v) * 1000;
    at = stop.distanceM;
    knots.push([t, at]);
    truth.arrivalMs.push(t);
    t += dwell(i) * 1000;
    knots.push([t, at]);
    truth.departureMs.push(t);
  });
  const end = t;
  const track: GpsRecord[] = [];
  for (let ts = T0; ts <= end; ts += Math.round((minI + rand() * (maxI - minI)) * 1000)) {
    const k = knots.findIndex(([kt]) => kt >= ts);
    const [t1, m1] = knots[k]!;
    const [t0, m0] = knots[Math.max(0, k - 1)]!;
    const moving = m1 > m0;
    const m = t1 === t0 ? m1 : m0 + ((m1 - m0) * (ts - t0)) / (t1 - t0);
    const p = pointAtDistance(r.line, m);
    const noise = d.noiseM ?? 0;
    const lat = p.lat + (gaussian(rand) * noise) / 111_320;
    const lon = p.lon + (gaussian(rand) * noise) / (111_320 * Math.cos((p.lat * Math.PI) / 180));
    const fix: GpsRecord = { ts, lat, lon };
    if (d.speeds) fix.speedKmh = Math.abs((moving ? v * 3.6 : 0) + gaussian(rand) * (noise > 0 ? 1 : 0));
    if (d.headings) fix.heading = bearingDeg(pointAtDistance(r.line, m), pointAtDistance(r.line, m + 1));
    if (d.doors) fix.doorOpen = !moving;
    track.push(fix);
  }
  return { track, truth };
}

function run(r: Route, track: GpsRecord[]): StopVisit[] {
  return detectStopVisits(r.pattern, matchTrack(r.pattern, r.line, track));
}

const arrivalErrorsS = (visits: StopVisit[], truth: Truth) => visits.map((v, i) => Math.abs((v.arrivalMs ?? Number.NaN) - truth.arrivalMs[i]!) / 1000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const device = { speeds: true, headings: true, doors: true };

// ---- stage 2: matching ---------------------------------------------------------------------------------------

describe('matchTrack', () => {
  it('returns nothing for an empty track', () => {
    const r = straight();
    expect(matchTrack(r.pattern, r.line, [])).toEqual([]);
  });

  it('sorts out-of-order fixes and drops duplicates by timestamp', () => {
    const r = straight();
    const { track } = drive(r, { speeds: true });
    const rand = prng(7);
    const shuffled = [...track, ...track.slice(10, 20)]
      .map((f) => ({ f, k: rand() }))
      .sort((a, b) => a.k - b.k)
      .map(({ f }) => f);
    const matched = matchTrack(r.pattern, r.line, shuffled);
    expect(matched.map((m) => m.ts)).toEqual(track.map((f) => f.ts));
    expect(run(r, shuffled)).toEqual(run(r, track));
  });

  it.each([
    { name: 'clean', noiseM: 0 },
    { name: 'noisy σ 10 m', noiseM: 10 },
  ])('keeps progress non-decreasing over kept fixes ($name)', ({ noiseM }) => {
    const r = loop();
    const matched = matchTrack(r.pattern, r.line, drive(r, { ...device, noiseM, seed: 3 }).track);
    const kept = matched.filter((m) => m.kept);
    expect(kept.length).toBe(matched.length);
    for (let i = 1; i < kept.length; i++) expect(kept[i]!.distanceM).toBeGreaterThanOrEqual(kept[i - 1]!.distanceM);
    expect(kept[kept.length - 1]!.distanceM).toBeGreaterThan(r.line.lengthM - 40);
  });

  it.each([
    { name: 'a point 1 km away 5 s later', reason: 'jump', offsetFromM: 1000, bearing: 0, dtMs: 5000 },
    { name: 'a point 150 m off the street', reason: 'offset', offsetFromM: 150, bearing: 0, dtMs: 6000 },
    { name: 'a point 100 m behind on the street', reason: 'backwards', offsetFromM: 100, bearing: 270, dtMs: 5000 },
  ])('discards $name with reason $reason', ({ reason, offsetFromM, bearing, dtMs }) => {
    const r = straight();
    const { track } = drive(r, { speeds: true });
    const i = 60;
    const bad: GpsRecord = { ...destinationPoint(track[i]!, bearing, offsetFromM), ts: track[i]!.ts + dtMs - 1 };
    const matched = matchTrack(r.pattern, r.line, [...track, bad]);
    const m = matched.find((x) => x.ts === bad.ts)!;
    expect(m).toMatchObject({ kept: false, reason });
    expect(matched.filter((x) => !x.kept)).toHaveLength(1);
  });

  it('derives speed from progress when fixes carry none', () => {
    const r = straight();
    const matched = matchTrack(r.pattern, r.line, drive(r, { dwellS: () => 0, speedKmh: 36 }).track);
    for (const m of matched.slice(1, -1)) expect(m).toMatchObject({ speedSource: 'derived', speedKmh: expect.closeTo(36, 0) });
  });

  it('recovers after the first fixes were matched to the wrong place', () => {
    const r = straight();
    const { track } = drive(r, { speeds: true });
    // A bogus first fix far along the street: later fixes are behind it and must not be lost for the whole trip.
    const bogus: GpsRecord = { ...pointAtDistance(r.line, 2500), ts: track[0]!.ts - 60_000 };
    const matched = matchTrack(r.pattern, r.line, [bogus, ...track]);
    expect(matched[0]).toMatchObject({ kept: false, reason: 'jump' });
    expect(matched.filter((m) => m.kept).length).toBeGreaterThan(track.length - 5);
    const kept = matched.filter((m) => m.kept);
    for (let i = 1; i < kept.length; i++) expect(kept[i]!.distanceM).toBeGreaterThanOrEqual(kept[i - 1]!.distanceM);
  });

  it('discards a fix thrown along the street further than the reported speeds allow, keeping the fixes after it', () => {
    const r = straight();
    const { track } = drive(r, { ...device, intervalS: [10, 10] });
    // A canyon jump that lands on the street 250 m ahead of a bus reporting 30 km/h (within 120 km/h as the crow flies).
    const i = 20;
    const m = matchTrack(r.pattern, r.line, track).filter((x) => x.kept)[i - 1]!.distanceM;
    const jumped = track.map((f, k) => (k === i ? { ...f, ...pointAtDistance(r.line, m + 250) } : f));
    const matched = matchTrack(r.pattern, r.line, jumped);
    expect(matched[i]).toMatchObject({ kept: false, reason: 'jump' });
    expect(matched.filter((x) => !x.kept)).toHaveLength(1);
  });

  it('keeps a bus standing at a loop terminal at the start of the loop, whatever a noisy fix suggests', () => {
    const r = loop();
    const stand = Array.from(
      { length: 30 },
      (_, k): GpsRecord => ({ ...pointAtDistance(r.line, 5), ts: T0 - 300_000 + k * 10_000, speedKmh: 0, heading: 90, accuracyM: 8 }),
    );
    // One fix thrown 150 m up the first street while standing, then the fixes at the terminal again.
    stand[10] = { ...stand[10]!, ...pointAtDistance(r.line, 150), accuracyM: 40 };
    const { track } = drive(r, device);
    const matched = matchTrack(r.pattern, r.line, [...stand, ...track]);
    const kept = matched.filter((x) => x.kept);
    expect(kept.filter((x) => x.ts < T0).every((x) => x.distanceM < 100)).toBe(true);
    expect(detectStopVisits(r.pattern, matched).map((v) => v.status)).toEqual(r.pattern.stops.map(() => 'visited'));
  });
});

// ---- stage 3: stop visits ------------------------------------------------------------------------------------

describe('detectStopVisits', () => {
  it('marks every stop unobserved for an empty track', () => {
    const r = straight();
    const visits = detectStopVisits(r.pattern, []);
    expect(visits.map((v) => v.status)).toEqual(r.pattern.stops.map(() => 'unobserved'));
    expect(visits.map((v) => v.stopSequence)).toEqual(r.pattern.stops.map((_, i) => i + 1));
  });

  it.each([
    { name: 'straight street, full device', r: straight, d: device },
    { name: 'straight street, position and speed only', r: straight, d: { speeds: true } },
    { name: 'straight street, position only (speed derived)', r: straight, d: {} },
    { name: 'straight street, 10 s reporting', r: straight, d: { ...device, intervalS: [10, 10] as [number, number] } },
    { name: 'loop', r: loop, d: device },
    { name: 'out and back on one street', r: outAndBack, d: device },
    { name: 'out and back on one street, no heading', r: outAndBack, d: { speeds: true } },
  ])('visits every stop of a clean track with arrival within 5 s: $name', ({ r: make, d }) => {
    const r = make();
    const { track, truth } = drive(r, d);
    const visits = run(r, track);
    expect(visits.map((v) => v.status)).toEqual(r.pattern.stops.map(() => 'visited'));
    for (const e of arrivalErrorsS(visits, truth)) expect(e).toBeLessThanOrEqual(5);
    for (const [i, v] of visits.slice(0, -1).entries()) expect(Math.abs(v.departureMs! - truth.departureMs[i]!) / 1000).toBeLessThanOrEqual(5);
  });

  it.each(
    [1, 2, 3, 4, 5].flatMap((seed) => [
      { name: 'straight', r: straight, seed },
      { name: 'loop', r: loop, seed },
      { name: 'out and back', r: outAndBack, seed },
    ]),
  )('visits every stop under GPS noise σ 10 m, median arrival error ≤ 10 s: $name, seed $seed', ({ r: make, seed }) => {
    const r = make();
    const { track, truth } = drive(r, { ...device, noiseM: 10, seed });
    const visits = run(r, track);
    expect(visits.map((v) => v.status)).toEqual(r.pattern.stops.map(() => 'visited'));
    expect(median(arrivalErrorsS(visits, truth))).toBeLessThanOrEqual(10);
  });

  it('marks a stop hidden by a 2 min data gap unobserved, not skipped', () => {
    const r = straight();
    const { track, truth } = drive(r, device);
    const hidden = 3;
    const mid = truth.arrivalMs[hidden]! + 10_000;
    const visits = run(
      r,
      track.filter((f) => Math.abs(f.ts - mid) > 60_000),
    );
    expect(visits[hidden]).toMatchObject({ status: 'unobserved', evidence: { method: 'gap' } });
    expect(visits[hidden]!.evidence.gapS).toBeGreaterThan(100);
    expect(visits.filter((v) => v.status === 'skipped')).toEqual([]);
    expect(visits[0]!.status).toBe('visited');
    expect(visits[visits.length - 1]!.status).toBe('visited');
  });

  it('marks stops bypassed on a detour skipped: fixes kept coming, off the street', () => {
    const r = straight();
    const { track, truth } = drive(r, device);
    const [from, to] = [truth.departureMs[2]! + 20_000, truth.arrivalMs[5]! - 20_000];
    // Between stops 3 and 6 the bus drives a parallel street 300 m north.
    const detour = track.map((f) => (f.ts > from && f.ts < to ? { ...f, ...destinationPoint(f, 0, 300) } : f));
    const visits = run(r, detour);
    expect(visits.map((v) => v.status)).toEqual(r.pattern.stops.map((_, i) => (i === 3 || i === 4 ? 'skipped' : 'visited')));
    expect(visits[3]!.evidence.method).toBe('off-route');
  });

  it("counts a bus standing just past the zone, within its fixes' reported error, as a visit", () => {
    const r = straight();
    const { track } = drive(r, { speeds: true, intervalS: [10, 10] });
    const stop = r.pattern.stops[3]!.distanceM;
    // Every fix of the dwell at stop 4 placed 45 m past it (20 m beyond the zone), reporting 15 m accuracy.
    const matchedAt = matchTrack(r.pattern, r.line, track);
    const shifted = track.map((f, k) => {
      const m = matchedAt[k]!;
      return m.speedKmh === 0 && Math.abs(m.distanceM - stop) < 5 ? { ...f, ...pointAtDistance(r.line, stop + 45), accuracyM: 15 } : f;
    });
    expect(shifted.filter((f) => f.accuracyM === 15).length).toBeGreaterThan(0);
    const visits = run(r, shifted);
    expect(visits[3]).toMatchObject({ status: 'visited', evidence: { method: 'slow-fixes' } });
  });

  it('judges a stop across a 45 s interval between fixes from the traversal', () => {
    const r = straight();
    const { track, truth } = drive(r, { speeds: true, intervalS: [45, 45], dwellS: () => 20 });
    const visits = run(r, track);
    expect(visits.slice(1, -1).filter((v) => v.status === 'unobserved')).toEqual([]);
    expect(visits.slice(1, -1).filter((v) => v.status === 'visited').length).toBeGreaterThanOrEqual(visits.length - 3);
    expect(
      median(
        arrivalErrorsS(
          visits.filter((v) => v.status === 'visited'),
          { arrivalMs: visits.flatMap((v, i) => (v.status === 'visited' ? [truth.arrivalMs[i]!] : [])), departureMs: [] },
        ),
      ),
    ).toBeLessThanOrEqual(10);
  });

  it.each([
    { name: 'full device', d: device },
    { name: 'speed only', d: { speeds: true } },
    { name: 'position only', d: {} },
    { name: 'full device, noisy', d: { ...device, noiseM: 10, seed: 9 } },
  ])('marks a stop passed at 30 km/h without stopping skipped: $name', ({ d }) => {
    const r = straight();
    const passed = 4;
    const visits = run(r, drive(r, { ...d, speedKmh: 30, dwellS: (i) => (i === passed ? 0 : 20) }).track);
    expect(visits.map((v) => v.status)).toEqual(r.pattern.stops.map((_, i) => (i === passed ? 'skipped' : 'visited')));
    expect(visits[passed]!.arrivalMs).toBeUndefined();
  });

  it('finds a stop where the bus stood between two fixes from the traversal time', () => {
    const r = straight();
    // 12 s dwell, fixes every 15 s: often no fix falls inside the dwell.
    const { track, truth } = drive(r, { speeds: true, intervalS: [15, 15], dwellS: () => 12 });
    const visits = detectStopVisits(r.pattern, matchTrack(r.pattern, r.line, track), { maxGapS: 45 });
    expect(visits.slice(1, -1).map((v) => v.status)).toEqual(r.pattern.stops.slice(1, -1).map(() => 'visited'));
    for (const e of arrivalErrorsS(visits, truth).slice(1, -1)) expect(e).toBeLessThanOrEqual(5);
    expect(visits.some((v) => v.evidence.method === 'bracket')).toBe(true);
  });

  it.each([
    { name: 'clean', noiseM: 0, toleranceS: 5 },
    { name: 'noisy σ 10 m', noiseM: 10, toleranceS: 10 },
  ])('makes one visit of a 10 min layover at the first terminal, departing at its end ($name)', ({ noiseM, toleranceS }) => {
    const r = loop();
    const { track, truth } = drive(r, { ...device, noiseM, seed: 11, dwellS: (i) => (i === 0 ? 600 : 20) });
    const visits = run(r, track);
    const first = visits[0]!;
    expect(first.status).toBe('visited');
    expect(first.arrivalMs).toBe(T0);
    expect(Math.abs(first.departureMs! - truth.departureMs[0]!) / 1000).toBeLessThanOrEqual(toleranceS);
    expect(first.dwellS).toBeGreaterThan(590);
    expect(visits.filter((v) => v.arrivalMs !== undefined && v.arrivalMs < truth.departureMs[0]!)).toHaveLength(1);
  });

  it('matches the last stop of a loop at the end of the trip, not at its start', () => {
    const r = loop();
    const { track, truth } = drive(r, { ...device, dwellS: (i) => (i === 0 ? 300 : 20) });
    const visits = run(r, track);
    const arrivals = visits.map((v) => v.arrivalMs!);
    expect([...arrivals].sort((a, b) => a - b)).toEqual(arrivals);
    const last = visits[visits.length - 1]!;
    expect(Math.abs(last.arrivalMs! - truth.arrivalMs[truth.arrivalMs.length - 1]!) / 1000).toBeLessThanOrEqual(5);
    expect(last.arrivalMs!).toBeGreaterThan(truth.departureMs[visits.length - 2]!);
  });

  it('matches the stops of a street driven twice on the second pass', () => {
    const r = outAndBack();
    const { track, truth } = drive(r, { ...device, noiseM: 10, seed: 21 });
    const visits = run(r, track);
    // Stops 6..9 face stops 4..1 across the street; their visits belong to the way back.
    for (const i of [5, 6, 7, 8]) {
      expect(visits[i]!.status).toBe('visited');
      expect(visits[i]!.arrivalMs!).toBeGreaterThan(truth.departureMs[4]!);
      expect(Math.abs(visits[i]!.arrivalMs! - truth.arrivalMs[i]!) / 1000).toBeLessThanOrEqual(10);
    }
  });

  it('marks stops before the first fix and after the last fix unobserved', () => {
    const r = straight();
    const { track, truth } = drive(r, device);
    const visits = run(
      r,
      track.filter((f) => f.ts > truth.departureMs[2]! + 5000 && f.ts < truth.arrivalMs[6]! - 5000),
    );
    expect(visits.map((v) => v.status)).toEqual(['unobserved', 'unobserved', 'unobserved', 'visited', 'visited', 'visited', 'unobserved', 'unobserved']);
    expect(visits[0]!.evidence.method).toBe('no-fixes');
  });

  it('counts a door opened in the zone as a stop even when the reported speed is not low', () => {
    const r = straight();
    const { track } = drive(r, { speeds: true, dwellS: () => 0, speedKmh: 20 });
    const visits0 = run(r, track);
    expect(visits0[3]!.status).toBe('skipped');
    const stopM = r.pattern.stops[3]!.distanceM;
    const matched = matchTrack(r.pattern, r.line, track);
    const inZone = matched.find((m) => Math.abs(m.distanceM - stopM) < 20)!;
    const withDoor = track.map((f) => (f.ts === inZone.ts ? { ...f, doorOpen: true } : f));
    const visits = run(r, withDoor);
    expect(visits[3]).toMatchObject({ status: 'visited', doorOpened: true });
  });
});
