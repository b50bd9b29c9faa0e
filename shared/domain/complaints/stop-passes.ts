/**
 * The evidence of a complaint: every pass of a bus of the route (or of the plate) at the stop within the window,
 * from the journeys' stop visits and the bus's own GPS fixes around the stop. Pure.
 *
 * When the bus was at the stop: its arrival, else its departure (a visit), else its fix nearest the stop (a
 * skipped visit has no arrival), else interpolated along the pattern between the nearest visits with times.
 * A late complaint is about the bus due then: its passes are those *scheduled* in the window.
 */
import type { GpsRecord } from '../../catalogue/index.js';
import { haversineM, type LatLon } from '../../kernel/geo/polyline.js';
import type { JourneyRecord } from '../journeys/journey-record.js';
import type { ComplaintKind, PassedAtSource, PassFinding, StopPassEvidence } from './types.js';

/** How far either side of the complaint's instant a bus's pass counts. */
export const COMPLAINT_WINDOW_MS = 15 * 60_000;
/** A bus arriving later than this after its timetable is late (the punctuality window's default). */
export const LATE_THRESHOLD_S = 300;
/** Fixes this close to the stop are in its zone (the journeys' zone is 40 m before the stop, 25 m after). */
export const STOP_ZONE_RADIUS_M = 40;
/** A fix further than this from the stop does not time the bus's pass. */
const CLOSEST_FIX_REACH_M = 150;
/** The fixes around a pass read for its figures: this far either side of the instant it passed. */
const AROUND_PASS_MS = 5 * 60_000;

export interface ComplaintStop extends LatLon {
  stopId: string;
  name?: string;
}

export interface PassWindow {
  fromMs: number;
  toMs: number;
}

/** The window of a complaint made about the instant `atMs`. */
export function complaintWindow(atMs: number): PassWindow {
  return { fromMs: atMs - COMPLAINT_WINDOW_MS, toMs: atMs + COMPLAINT_WINDOW_MS };
}

type Visit = JourneyRecord['visits'][number];

/** When the journeys alone place the visit (no fixes read yet): arrival, departure, or interpolated. */
function timedByJourney(journey: JourneyRecord, index: number): { ms: number; source: PassedAtSource } | undefined {
  const v = journey.visits[index]!;
  if (v.arrivalMs !== undefined) return { ms: v.arrivalMs, source: 'arrival' };
  if (v.departureMs !== undefined) return { ms: v.departureMs, source: 'departure' };
  const timeOf = (x: Visit) => x.departureMs ?? x.arrivalMs;
  let before: Visit | undefined;
  let after: Visit | undefined;
  for (let i = index - 1; i >= 0 && !before; i--) if (timeOf(journey.visits[i]!) !== undefined) before = journey.visits[i];
  for (let i = index + 1; i < journey.visits.length && !after; i++) if (timeOf(journey.visits[i]!) !== undefined) after = journey.visits[i];
  if (!before || !after) return undefined;
  const t0 = timeOf(before)!;
  const t1 = timeOf(after)!;
  const span = after.distanceM - before.distanceM;
  const share = span > 0 ? (v.distanceM - before.distanceM) / span : 0.5;
  return { ms: Math.round(t0 + share * (t1 - t0)), source: 'interpolated' };
}

/** The instant a complaint about `kind` places a visit in time, before fixes are read. */
function roughInstant(journey: JourneyRecord, index: number, kind: ComplaintKind): number | undefined {
  const scheduled = journey.visits[index]!.scheduledArrivalMs;
  if (kind === 'late' && scheduled !== undefined) return scheduled;
  return timedByJourney(journey, index)?.ms ?? scheduled;
}

/**
 * The buses whose fixes the evidence needs: those with a visit at the stop that the journeys place within the
 * window, give or take the span the fixes are read over.
 */
export function busesToRead(journeys: readonly JourneyRecord[], stopId: string, window: PassWindow, kind: ComplaintKind): string[] {
  const out = new Set<string>();
  for (const j of journeys) {
    j.visits.forEach((v, i) => {
      if (v.stopId !== stopId) return;
      const t = roughInstant(j, i, kind);
      if (t !== undefined && t >= window.fromMs - AROUND_PASS_MS && t <= window.toMs + AROUND_PASS_MS) out.add(j.busId);
    });
  }
  return [...out].sort();
}

/** The span of fixes to read for those buses. */
export function fixesSpan(window: PassWindow): PassWindow {
  return { fromMs: window.fromMs - 2 * AROUND_PASS_MS, toMs: window.toMs + 2 * AROUND_PASS_MS };
}

export interface StopPassInput {
  kind: ComplaintKind;
  stop: ComplaintStop;
  window: PassWindow;
  /** The journeys of the route (or the plate's bus) on the service days the window touches. */
  journeys: readonly JourneyRecord[];
  /** Each bus's GPS fixes over `fixesSpan(window)`, in time order. */
  fixesByBus: ReadonlyMap<string, readonly GpsRecord[]>;
  plates: ReadonlyMap<string, string>;
}

/** Every pass at the stop within the window, in time order (a trip never run, by its timetable). */
export function stopPasses(input: StopPassInput): StopPassEvidence[] {
  const out: StopPassEvidence[] = [];
  for (const journey of input.journeys) {
    journey.visits.forEach((visit, index) => {
      if (visit.stopId !== input.stop.stopId) return;
      const pass = passOf(input, journey, index);
      if (pass) out.push(pass);
    });
  }
  const key = (p: StopPassEvidence) => (p.passedAt ?? p.scheduledArrivalAt ?? '') + p.busId;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function passOf(input: StopPassInput, journey: JourneyRecord, index: number): StopPassEvidence | undefined {
  const { kind, stop, window } = input;
  const visit = journey.visits[index]!;
  const inWindow = (ms: number | undefined) => ms !== undefined && ms >= window.fromMs && ms <= window.toMs;
  const missed = journey.classification === 'missed';
  // A trip never run passed nowhere: only a late complaint (the bus due then never came) takes it, by its timetable.
  if (missed && (kind !== 'late' || !inWindow(visit.scheduledArrivalMs))) return undefined;

  const fixes = input.fixesByBus.get(journey.busId) ?? [];
  let timed = missed ? undefined : timedByJourney(journey, index);
  const closest = closestFix(fixes, stop, timed ? { fromMs: timed.ms - AROUND_PASS_MS, toMs: timed.ms + AROUND_PASS_MS } : window);
  if (!missed && (!timed || timed.source === 'interpolated') && closest && closest.distanceM <= CLOSEST_FIX_REACH_M) {
    timed = { ms: closest.fix.ts, source: 'closest-fix' };
  }
  const selectedBy = kind === 'late' && visit.scheduledArrivalMs !== undefined ? visit.scheduledArrivalMs : timed?.ms;
  if (!inWindow(selectedBy)) return undefined;

  const around = timed ? fixes.filter((f) => Math.abs(f.ts - timed.ms) <= AROUND_PASS_MS) : [];
  const nearest = timed ? closestFix(around, stop, { fromMs: timed.ms - AROUND_PASS_MS, toMs: timed.ms + AROUND_PASS_MS }) : undefined;
  const delayS = delayOf(visit);
  const plate = input.plates.get(journey.busId);
  return {
    busId: journey.busId,
    ...(plate ? { plate } : {}),
    operatorId: journey.operatorId,
    routeId: journey.routeId,
    tripId: journey.tripId,
    ...(journey.tripOrderId ? { tripOrderId: journey.tripOrderId } : {}),
    ...(journey.directionId !== undefined ? { directionId: journey.directionId } : {}),
    stopSequence: visit.stopSequence,
    status: visit.status,
    method: visit.evidence.method,
    finding: findingOf(kind, visit, missed, delayS),
    ...(timed ? { passedAt: iso(timed.ms) } : {}),
    passedAtSource: timed?.source ?? 'scheduled',
    ...(visit.arrivalMs !== undefined ? { arrivalAt: iso(visit.arrivalMs) } : {}),
    ...(visit.departureMs !== undefined ? { departureAt: iso(visit.departureMs) } : {}),
    ...(visit.dwellS !== undefined ? { dwellS: Math.round(visit.dwellS) } : {}),
    ...(visit.doorOpened !== undefined ? { doorOpened: visit.doorOpened } : {}),
    ...(visit.scheduledArrivalMs !== undefined ? { scheduledArrivalAt: iso(visit.scheduledArrivalMs) } : {}),
    ...(delayS !== undefined ? { delayS } : {}),
    zone: zoneFigures(around, fixes, stop),
    ...(nearest ? { closestApproach: { distanceM: Math.round(nearest.distanceM), at: iso(nearest.fix.ts) } } : {}),
  };
}

/** Arrival against the timetable, whole seconds: the journeys' figure, or arrival minus scheduled arrival. */
function delayOf(v: Visit): number | undefined {
  if (v.delayS !== undefined) return Math.round(v.delayS);
  if (v.arrivalMs !== undefined && v.scheduledArrivalMs !== undefined) return Math.round((v.arrivalMs - v.scheduledArrivalMs) / 1000);
  return undefined;
}

function findingOf(kind: ComplaintKind, v: Visit, missed: boolean, delayS: number | undefined): PassFinding {
  if (missed) return 'missed';
  if (kind === 'late' && v.status === 'visited' && delayS !== undefined) return delayS > LATE_THRESHOLD_S ? 'late' : 'on-time';
  if (v.status === 'skipped') return 'skipped';
  if (v.status === 'unobserved') return 'unobserved';
  // Stopped with its doors reported shut all along: nobody got on or off.
  return v.doorOpened === false ? 'no-door' : 'stopped';
}

function closestFix(fixes: readonly GpsRecord[], stop: LatLon, span: PassWindow): { fix: GpsRecord; distanceM: number } | undefined {
  let best: { fix: GpsRecord; distanceM: number } | undefined;
  for (const fix of fixes) {
    if (fix.ts < span.fromMs || fix.ts > span.toMs) continue;
    const distanceM = haversineM(fix, stop);
    if (!best || distanceM < best.distanceM) best = { fix, distanceM };
  }
  return best;
}

/** Speeds through the stop zone: each fix's own, or derived from its neighbours in the bus's track. */
function zoneFigures(around: readonly GpsRecord[], track: readonly GpsRecord[], stop: LatLon): StopPassEvidence['zone'] {
  const inZone = around.filter((f) => haversineM(f, stop) <= STOP_ZONE_RADIUS_M);
  const speeds = inZone.map((f) => f.speedKmh ?? derivedSpeedKmh(track, f)).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const round1 = (x: number) => Math.round(x * 10) / 10;
  return {
    radiusM: STOP_ZONE_RADIUS_M,
    fixes: inZone.length,
    ...(speeds.length ? { minSpeedKmh: round1(Math.min(...speeds)), meanSpeedKmh: round1(speeds.reduce((a, b) => a + b, 0) / speeds.length) } : {}),
    doorOpenFixes: inZone.filter((f) => f.doorOpen === true).length,
  };
}

function derivedSpeedKmh(track: readonly GpsRecord[], fix: GpsRecord): number | undefined {
  const i = track.indexOf(fix);
  const prev = track[i - 1] ?? fix;
  const next = track[i + 1] ?? fix;
  const dtS = (next.ts - prev.ts) / 1000;
  if (i < 0 || dtS <= 0) return undefined;
  return ((haversineM(prev, fix) + haversineM(fix, next)) / dtS) * 3.6;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
