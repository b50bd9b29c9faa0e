/** The rules added for accuracy: smoothing of progress, traversal timing, stray door runs, short-turn classification. */
import { describe, expect, it } from 'vitest';
import type { GpsRecord } from '../../../shared/catalogue/messages.js';
import { destinationPoint, measurePolyline, pointAtDistance } from '../../../shared/kernel/geo/polyline.js';
import { classify } from '../../../shared/domain/journeys/bus-journeys.js';
import { matchTrack } from '../../../shared/domain/journeys/match.js';
import { detectStopVisits } from '../../../shared/domain/journeys/stop-visits.js';
import { summariseTripPerformed } from '../../../shared/domain/journeys/trip-performed.js';
import type { JourneyPattern, StopVisit, StopVisitStatus } from '../../../shared/domain/journeys/types.js';

const ORIGIN = { lat: 10.7769, lon: 106.7009 };
const line = measurePolyline([ORIGIN, destinationPoint(ORIGIN, 90, 2000)]);
const pattern: JourneyPattern = { lengthM: line.lengthM, stops: [0, 400, 800, 1200, 1600].map((m, i) => ({ stopId: `S${i + 1}`, distanceM: m })) };
const T0 = Date.UTC(2025, 0, 6, 0, 30);

/** A fix at `m` along the street at `tS` seconds, with a reported speed and door state; `aheadM` moves it along the street (noise). */
function fix(tS: number, m: number, speedKmh: number, extra: Partial<GpsRecord> & { aheadM?: number } = {}): GpsRecord {
  const { aheadM = 0, ...rest } = extra;
  return { ts: T0 + tS * 1000, ...pointAtDistance(line, m + aheadM), speedKmh, heading: 90, doorOpen: speedKmh === 0, ...rest };
}

/**
 * A drive past stop S3 (800 m) at `beforeKmh`, then on at `afterKmh`, standing `dwellS` at the stop (0: passed),
 * with a fix every `stepS` seconds, starting 300 m before it (phase `phaseS`).
 */
function passS3(beforeKmh: number, afterKmh: number, dwellS: number, stepS: number, phaseS = 0): GpsRecord[] {
  const v1 = beforeKmh / 3.6;
  const v2 = afterKmh / 3.6;
  const arriveS = 300 / v1;
  const out: GpsRecord[] = [];
  for (let t = phaseS; t < arriveS + dwellS + 300 / v2; t += stepS) {
    if (t < arriveS) out.push(fix(t, 500 + v1 * t, beforeKmh));
    else if (t < arriveS + dwellS) out.push(fix(t, 800, 0));
    else out.push(fix(t, 800 + v2 * (t - arriveS - dwellS), afterKmh));
  }
  return out;
}

const visitsOf = (track: GpsRecord[]) => detectStopVisits(pattern, matchTrack(pattern, line, track));

describe('progress smoothing (isotonic)', () => {
  it('does not let one fix thrown ahead drag the fixes after it forwards', () => {
    // Moving at 20 km/h; the fix at 740 m is reported 50 m ahead, past the next fix (770 m).
    const track = [fix(0, 700, 20), fix(6, 740, 20, { aheadM: 50 }), fix(12, 770, 20), fix(18, 800, 20), fix(24, 830, 20)];
    const isotonic = matchTrack(pattern, line, track).map((m) => m.distanceM);
    const hold = matchTrack(pattern, line, track, { smoothing: 'hold' }).map((m) => m.distanceM);
    for (let i = 1; i < isotonic.length; i++) expect(isotonic[i]!).toBeGreaterThanOrEqual(isotonic[i - 1]!);
    // The outlier and the fix after it are pooled at their mean; the running maximum holds the next fix at the outlier.
    expect(isotonic[1]!).toBeCloseTo(780, 0);
    expect(isotonic[2]!).toBeCloseTo(780, 0);
    expect(hold[2]!).toBeCloseTo(790, 0);
    expect(isotonic[3]!).toBeCloseTo(800, 0);
  });

  it('lets a fix with a poor reported accuracy weigh less than accurate ones', () => {
    const track = [fix(0, 700, 20), fix(6, 760, 20, { aheadM: 60, accuracyM: 60 }), fix(12, 780, 20, { accuracyM: 5 }), fix(18, 840, 20)];
    const weighted = matchTrack(pattern, line, track).map((m) => m.distanceM);
    // Pooled 820 (bad) with 780 (good): the good fix wins almost entirely.
    expect(weighted[2]!).toBeLessThan(785);
    expect(weighted[1]!).toBe(weighted[2]!);
  });
});

describe('anchoring the start of a track', () => {
  it("on a loop, starts a bus standing at the terminal at the start of the shape, within the fix's accuracy", () => {
    const legs: [number, number][] = [
      [90, 700],
      [0, 700],
      [270, 700],
      [180, 700],
    ];
    const points = [ORIGIN];
    for (const [b, l] of legs) points.push(destinationPoint(points[points.length - 1]!, b, l));
    const loop = measurePolyline(points);
    const loopPattern: JourneyPattern = { lengthM: loop.lengthM, stops: [0, 700, 1400, 2100, loop.lengthM].map((m, i) => ({ stopId: `L${i}`, distanceM: m })) };
    // Noise puts the standing bus 30 m back along the loop's last leg: nearer its end than its start.
    const at = pointAtDistance(loop, loop.lengthM - 30);
    const track: GpsRecord[] = [0, 10, 20].map((t) => ({ ts: T0 + t * 1000, ...at, speedKmh: 0, accuracyM: 20 }));
    track.push({ ts: T0 + 30_000, ...pointAtDistance(loop, 60), speedKmh: 25, heading: 90, accuracyM: 5 });
    const matched = matchTrack(loopPattern, loop, track);
    expect(matched.every((m) => m.kept)).toBe(true);
    expect(matched[0]!.distanceM).toBeLessThan(50);
    expect(detectStopVisits(loopPattern, matched)[0]!.status).toBe('visited');
  });

  it('does not anchor a track on a bus still driving the other way along the pattern', () => {
    const against = { ...pointAtDistance(line, 1000), ts: T0, speedKmh: 25, heading: 270 };
    const track = [against, fix(20, 500, 25), fix(27, 550, 25)];
    const matched = matchTrack(pattern, line, track);
    expect(matched[0]).toMatchObject({ kept: false, reason: 'backwards' });
    expect(matched[1]!.kept && matched[2]!.kept).toBe(true);
    expect(matched[1]!.distanceM).toBeCloseTo(500, -1);
  });
});

describe('traversal timing between fixes', () => {
  it('passes a stop without stopping where the speed changes at the stop: skipped, judged on each side at its own speed', () => {
    // 15 km/h before the stop, 45 km/h after: a single mean speed would see ~10 s lost.
    for (const phaseS of [0, 3, 6]) {
      const visits = visitsOf(passS3(15, 45, 0, 10, phaseS));
      expect(visits[2]).toMatchObject({ status: 'skipped', evidence: { method: 'bracket' } });
      expect(Math.abs(visits[2]!.evidence.excessS!)).toBeLessThan(2);
    }
  });

  it('finds a 6 s stop between two fixes 10 s apart, with its arrival from the approach speed', () => {
    const arriveS = 300 / (20 / 3.6);
    // Fixes at 52 s and 62 s bracket the dwell [54, 60] s.
    const visits = visitsOf(passS3(20, 30, 6, 10, 2).filter((f) => f.speedKmh! > 0));
    expect(visits[2]).toMatchObject({ status: 'visited', evidence: { method: 'bracket' } });
    expect(Math.abs((visits[2]!.arrivalMs! - T0) / 1000 - arriveS)).toBeLessThan(1);
    expect(visits[2]!.dwellS!).toBeCloseTo(6, 0);
  });

  it('judges a bracket longer than maxGapS when moving fixes inside the zone split it into short intervals', () => {
    // Slow approach (8 km/h), fixes every 14 s: three moving fixes in the 65 m zone, ≥ 40 s across it.
    const visits = detectStopVisits(pattern, matchTrack(pattern, line, passS3(8, 8, 0, 14)), { maxGapS: 30 });
    expect(visits[2]!.evidence.gapS!).toBeGreaterThan(30);
    expect(visits[2]).toMatchObject({ status: 'skipped', evidence: { method: 'bracket' } });
  });
});

describe('door runs outside the zone', () => {
  it('gives a run of door-open fixes that noise put past the zone to the nearest stop', () => {
    // Standing at S3 (800 m), every standing fix reported 40-50 m ahead: past the zone's 25 m.
    const track = passS3(20, 20, 30, 7).map((f, i) => (f.doorOpen ? { ...f, ...pointAtDistance(line, 840 + (i % 2) * 10) } : f));
    const visits = visitsOf(track);
    expect(visits[2]).toMatchObject({ status: 'visited', doorOpened: true, evidence: { method: 'slow-fixes' } });
    expect(visits[3]!.status).not.toBe('visited');
  });

  it('leaves a door-open run further than doorReachM from every stop to none', () => {
    const track = [fix(0, 500, 20), fix(7, 540, 20), fix(14, 600, 0), fix(21, 600, 0), fix(28, 640, 20), fix(35, 680, 20)];
    const visits = visitsOf(track);
    expect(visits.every((v) => v.status !== 'visited')).toBe(true);
  });
});

describe('classify', () => {
  const tenStops: JourneyPattern = { lengthM: 3600, stops: Array.from({ length: 10 }, (_, i) => ({ stopId: `S${i + 1}`, distanceM: i * 400 })) };
  const planned = T0;
  function visits(statuses: string): StopVisit[] {
    const code: Record<string, StopVisitStatus> = { v: 'visited', s: 'skipped', u: 'unobserved' };
    return [...statuses].map((ch, i) => {
      const status = code[ch]!;
      const base = { stopId: `S${i + 1}`, stopSequence: i + 1, status, evidence: { method: 'slow-fixes' as const, fixesInZone: 1, slowFixesInZone: 1 } };
      return status === 'visited' ? { ...base, arrivalMs: T0 + i * 100_000, departureMs: T0 + i * 100_000 + 20_000 } : base;
    });
  }
  const window = (ended: boolean, source: 'duty' | 'order', toMs = 0) => ({ tripId: 'A', tripOrderId: 'O', fromMs: 0, toMs, source, ended });
  const afterTheDay = planned + 24 * 3_600_000;
  const cls = (s: string, ended = true, source: 'duty' | 'order' = 'duty') =>
    classify(summariseTripPerformed(tenStops, visits(s), { ended }), visits(s), planned, 5 * 60_000, window(ended, source), afterTheDay);

  it.each([
    { s: 'vvsssvvvvv', want: 'completed', why: 'a detour passes three stops mid-trip' },
    { s: 'vvuuvvvvvv', want: 'completed', why: 'a data gap mid-trip counts neither way' },
    { s: 'vvvvvvvvvu', want: 'completed', why: 'only the last stop unobserved (may be data)' },
    { s: 'vvvvvvvssu', want: 'partial', why: 'short turn: the last stops passed' },
    { s: 'vvvvvvuuuu', want: 'partial', why: 'short turn: the trip ended before its last stops' },
    { s: 'vsssvsssvv', want: 'partial', why: 'most observed stops passed' },
    { s: 'vvvvvvvssv', want: 'partial', why: 'short turn run out of service to the terminal: the tail passed, then the last stop' },
    { s: 'vvvvvvvvsv', want: 'completed', why: 'one stop passed before the last is no short turn' },
    { s: 'vuuuuuuuuu', want: 'missed', why: 'too little observed' },
  ])('$s → $want ($why)', ({ s, want }) => {
    expect(cls(s)).toBe(want);
  });

  it('does not call a trip still running with its last stops ahead a short turn', () => {
    expect(cls('vvvvvvvuuu', false)).toBe('completed');
  });

  it('leaves a planned trip not due yet scheduled, and calls it missed once its departure plus the late limit passed', () => {
    const at = (nowMs: number, s = 'uuuuuuuuuu') =>
      classify(summariseTripPerformed(tenStops, visits(s), { ended: true }), visits(s), planned, 5 * 60_000, window(true, 'order'), nowMs);
    expect(at(planned - 3_600_000)).toBe('scheduled');
    expect(at(planned + 5 * 60_000 - 1)).toBe('scheduled');
    expect(at(planned + 5 * 60_000)).toBe('missed');
    // A trip already run is judged whatever the clock says.
    expect(at(planned + 60_000, 'vvvvvvvvvv')).toBe('completed');
  });

  it('does not call a trip the bus is still running missed before its window closes', () => {
    const running = (nowMs: number) =>
      classify(
        summariseTripPerformed(tenStops, visits('vvuuuuuuuu'), { ended: false }),
        visits('vvuuuuuuuu'),
        planned,
        5 * 60_000,
        window(false, 'duty', planned + 3_600_000),
        nowMs,
      );
    expect(running(planned + 10 * 60_000)).toBe('scheduled');
    expect(running(planned + 3_600_000)).toBe('missed');
  });

  it('does not call a trip short-turned from the unobserved tail of a window guessed from the order', () => {
    expect(cls('vvvvvvvvuu', true, 'order')).toBe('completed');
    expect(cls('vvvvvvvssu', true, 'order')).toBe('partial');
  });
});
