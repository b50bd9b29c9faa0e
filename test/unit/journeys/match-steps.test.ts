/** Stage 2's steps alone: the search window, candidates, discard reasons, rewind and revoke, held progress, and a linear cost. */
import { describe, expect, it } from 'vitest';
import type { GpsRecord } from '../../../shared/catalogue/messages.js';
import { destinationPoint, measurePolyline, pointAtDistance } from '../../../shared/kernel/geo/polyline.js';
import {
  DEFAULT_MATCH_CONFIG,
  emptyTrack,
  heldProgress,
  type KeptFix,
  matchFix,
  matchTrack,
  orderFixes,
  revokeLastKept,
  rewindWrongFirstMatch,
  searchWindow,
  type TrackState,
  unmatchedReason,
} from '../../../shared/domain/journeys/match.js';
import { chooseCandidate, headingDiffDeg, reachFromSpeedsM } from '../../../shared/domain/journeys/match-candidates.js';
import { deriveSpeeds } from '../../../shared/domain/journeys/match-smoothing.js';
import type { JourneyPattern, MatchedPosition } from '../../../shared/domain/journeys/types.js';

const c = DEFAULT_MATCH_CONFIG;
const ORIGIN = { lat: 10.7769, lon: 106.7009 };
const EAST = destinationPoint(ORIGIN, 90, 1000);
const line = measurePolyline([ORIGIN, EAST]);
/** Out along a street and back along its other side, 20 m north: every place on it is passed twice. */
const outAndBack = measurePolyline([ORIGIN, EAST, destinationPoint(EAST, 0, 20), destinationPoint(ORIGIN, 0, 20)]);
/** A place 400 m along the street, `northM` north of its outward side. */
const besideStreet = (northM: number) => destinationPoint(pointAtDistance(line, 400), 0, northM);
const pattern: JourneyPattern = { lengthM: line.lengthM, stops: [] };
const T0 = Date.UTC(2025, 0, 6, 0, 30);

const fixAt = (tS: number, m: number, extra: Partial<GpsRecord> = {}, on = line): GpsRecord => ({ ts: T0 + tS * 1000, ...pointAtDistance(on, m), ...extra });
const kept = (distanceM: number, tS = 0, index = 0, stationary = false): KeptFix => ({ fix: fixAt(tS, distanceM), distanceM, stationary, index });
const position = (distanceM: number, isKept = true): MatchedPosition => ({ ts: T0, distanceM, offsetM: 0, speedKmh: 0, speedSource: 'derived', kept: isKept });
const keptInOutput = (s: TrackState) => s.out.filter((m) => m.kept).length;

describe('orderFixes', () => {
  it('sorts by time and keeps the first fix received of a timestamp', () => {
    const a = fixAt(10, 100);
    const b = fixAt(5, 50);
    const a2 = fixAt(10, 900);
    expect(orderFixes([a, b, a2])).toEqual([b, a]);
  });
});

describe('searchWindow', () => {
  it.each<[string, Partial<TrackState>, number, { fromM: number; toM: number; reanchor: boolean; rewind: boolean }]>([
    ['no kept fix yet: the whole shape', {}, 0, { fromM: 0, toM: 1000, reanchor: false, rewind: false }],
    [
      'after a kept fix: a little behind it to as far as 120 km/h allows',
      { last: kept(300), keptCount: 1 },
      3,
      { fromM: 270, toM: 300 + 100 + 50, reanchor: false, rewind: false },
    ],
    [
      'after discards early in the track: the whole shape, to rewind',
      { last: kept(300), keptCount: 4, rejectedInRow: 3 },
      3,
      { fromM: 0, toM: 1000, reanchor: true, rewind: true },
    ],
    [
      'after discards later: ahead of the fix before the last',
      { last: kept(600, 60, 20), beforeLast: kept(500, 50, 19), keptCount: 20, rejectedInRow: 3 },
      3,
      { fromM: 470, toM: 1000, reanchor: true, rewind: false },
    ],
  ])('%s', (_, partial, dtS, expected) => {
    const w = searchWindow({ ...emptyTrack(), ...partial }, dtS, 1000, c);
    expect({ fromM: w.fromM, toM: w.toM, reanchor: w.reanchor, rewind: w.rewind }).toEqual(expected);
  });
});

describe('unmatchedReason', () => {
  it.each<[string, number, number, string]>([
    ['too far from the shape', 500, 80, 'offset'],
    ['behind the window', 100, 10, 'backwards'],
    ['ahead of the window', 900, 10, 'jump'],
  ])('%s', (_, distanceAlongM, offsetM, reason) => {
    expect(unmatchedReason({ distanceAlongM, offsetM }, 200, 60)).toBe(reason);
  });
});

describe('chooseCandidate', () => {
  it('takes the pass of the window on a street driven out and back, the earliest on a near-tie', () => {
    const fix = { ...besideStreet(10), ts: T0 };
    expect(chooseCandidate(outAndBack, fix, 0, 2020, c)?.distanceAlongM).toBeCloseTo(400, 0);
    expect(chooseCandidate(outAndBack, fix, 1010, 2020, c)?.distanceAlongM).toBeCloseTo(1620, 0);
  });

  it('passes over the pass driven the other way when the fix reports its heading', () => {
    expect(chooseCandidate(outAndBack, { ...besideStreet(8), ts: T0, heading: 270, speedKmh: 30 }, 0, 2020, c)?.distanceAlongM).toBeCloseTo(1620, 0);
    expect(chooseCandidate(outAndBack, { ...besideStreet(8), ts: T0, heading: 90, speedKmh: 30 }, 0, 2020, c)?.distanceAlongM).toBeCloseTo(400, 0);
    // Standing still, the heading says nothing.
    expect(chooseCandidate(outAndBack, { ...besideStreet(12), ts: T0, heading: 270, speedKmh: 0 }, 0, 2020, c)?.distanceAlongM).toBeCloseTo(400, 0);
  });

  it('finds nothing when the window holds no part of the shape', () => {
    expect(chooseCandidate(line, fixAt(0, 100), 2000, 3000, c)).toBeUndefined();
  });
});

describe('headingDiffDeg and reachFromSpeedsM', () => {
  it.each([
    [10, 350, 20],
    [90, 270, 180],
    [0, 0, 0],
    [720, 45, 45],
  ])('%d° and %d° are %d° apart', (a, b, d) => {
    expect(headingDiffDeg(a, b)).toBe(d);
  });

  it('has no bound without both speeds, and grows with speed and time', () => {
    expect(reachFromSpeedsM(fixAt(0, 0), fixAt(10, 0, { speedKmh: 30 }), 10, c)).toBe(Number.POSITIVE_INFINITY);
    const slow = reachFromSpeedsM(fixAt(0, 0, { speedKmh: 18 }), fixAt(10, 0, { speedKmh: 0 }), 10, c);
    expect(slow).toBeCloseTo(5 * 10 + (1.5 * 100) / 2 + c.jumpToleranceM + 10, 6);
  });
});

describe('rewindWrongFirstMatch and revokeLastKept', () => {
  it('a rewind discards the kept fixes ahead of where the track resumes, and counts them out', () => {
    const state: TrackState = {
      ...emptyTrack(),
      out: [position(700), position(720), position(730, false), position(90)],
      keptCount: 3,
      last: kept(720, 0, 1),
      beforeLast: kept(700),
    };
    rewindWrongFirstMatch(state, 100, c);
    expect(state.out.map((m) => [m.kept, m.reason])).toEqual([
      [false, 'jump'],
      [false, 'jump'],
      [false, undefined],
      [true, undefined],
    ]);
    expect(state.keptCount).toBe(1);
    expect(state.last).toBeUndefined();
    expect(state.beforeLast).toBeUndefined();
  });

  it('a revoke discards the last kept fix and follows the one before', () => {
    const before = kept(400, 40, 0);
    const state: TrackState = { ...emptyTrack(), out: [position(400), position(900)], keptCount: 2, last: kept(900, 50, 1), beforeLast: before };
    revokeLastKept(state);
    expect(state.out.map((m) => m.kept)).toEqual([true, false]);
    expect(state.keptCount).toBe(1);
    expect(state.last).toBe(before);
    expect(state.beforeLast).toBeUndefined();
  });
});

describe('heldProgress', () => {
  it.each<[string, KeptFix | undefined, number, boolean, number]>([
    ['the first fix is where it projects', undefined, 120, false, 120],
    ['noise never moves the bus backwards', kept(300), 290, false, 300],
    ['a bus standing still does not creep forwards', kept(300, 0, 0, true), 320, true, 300],
    ['beyond the hold it moves', kept(300, 0, 0, true), 340, true, 340],
    ['a moving bus moves', kept(300), 320, false, 320],
  ])('%s', (_, last, distanceM, stationary, expected) => {
    expect(heldProgress(last, distanceM, stationary, 30)).toBe(expected);
  });
});

describe('deriveSpeeds', () => {
  it('gives a fix without speed the slower of its progress rates, and leaves reported speeds', () => {
    const ps: MatchedPosition[] = [
      { ...position(0), ts: T0 },
      { ...position(100), ts: T0 + 10_000 },
      { ...position(100), ts: T0 + 20_000 },
      { ...position(150), ts: T0 + 30_000, speedSource: 'fix', speedKmh: 17 },
    ];
    deriveSpeeds(ps);
    expect(ps.map((p) => p.speedKmh)).toEqual([36, 0, 0, 17]);
  });
});

/** A drive along the street, 10 m/s, a fix a second, with every `outlierEvery`th fix thrown 400 m off the street. */
function drive(n: number, outlierEvery = 0): GpsRecord[] {
  return Array.from({ length: n }, (_, i) =>
    outlierEvery && i % outlierEvery === outlierEvery - 1
      ? { ts: T0 + i * 1000, ...destinationPoint(pointAtDistance(line, Math.min(990, i * 10)), 0, 400), speedKmh: 36 }
      : fixAt(i, Math.min(990, i * 10) * 0.999, { speedKmh: 36, heading: 90 }),
  );
}

describe('matchFix bookkeeping', () => {
  it.each([
    ['a clean drive', drive(90)],
    ['a drive with outliers', drive(90, 4)],
    [
      'a track that starts on a wrong match',
      [fixAt(0, 800, { speedKmh: 36 }), fixAt(1, 810, { speedKmh: 36 }), ...drive(60).map((f) => ({ ...f, ts: f.ts + 30_000 }))],
    ],
  ])('counts its kept fixes as it goes: %s', (_, track) => {
    const state = emptyTrack();
    for (const fix of orderFixes(track)) {
      matchFix(state, fix, line, line.lengthM, c);
      expect(state.keptCount).toBe(keptInOutput(state));
    }
    expect(state.keptCount).toBeGreaterThan(0);
  });

  it('reads back no earlier position while following a clean track: each fix costs the same however long the track', () => {
    // Every read of an earlier output position is counted: a recount of the kept fixes per fix would read them all.
    let reads = 0;
    const counted = new Proxy<MatchedPosition[]>([], {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const state: TrackState = { ...emptyTrack(), out: counted };
    const track = drive(400).map((f, i) => ({ ...f, ...pointAtDistance(line, (i * 2.4) % 990), ts: T0 + i * 1000, speedKmh: 9 }));
    for (const fix of orderFixes(track)) matchFix(state, fix, line, line.lengthM, c);
    expect(state.out).toHaveLength(400);
    expect(state.keptCount).toBeGreaterThan(300);
    expect(reads).toBeLessThan(400);
  });

  it('matchTrack gives the same positions as the steps run one by one, then smoothed', () => {
    const positions = matchTrack(pattern, line, drive(60, 5));
    expect(positions).toHaveLength(60);
    expect(positions.filter((p) => !p.kept).every((p) => p.reason !== undefined)).toBe(true);
    const keptM = positions.filter((p) => p.kept).map((p) => p.distanceM);
    expect(keptM).toEqual([...keptM].sort((a, b) => a - b));
  });
});
