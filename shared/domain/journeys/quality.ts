/**
 * Service quality from trips performed, for the centre and operators: punctuality, skipped stops, missed trips,
 * headway regularity, ridership, and the watch list of routes whose ridership or punctuality keeps falling and
 * of the operators with the most violations. Pure.
 */
import { localHhmm, SERVICE_TIMEZONE } from '../../kernel/time/service-day.js';
import { isJudged, type JourneyRecord } from './journey-record.js';

export interface PunctualityWindow {
  /** Earliest acceptable departure relative to plan, seconds (negative). */
  earlyS: number;
  /** Latest acceptable departure relative to plan, seconds. */
  lateS: number;
}

const DEFAULT_WINDOW: PunctualityWindow = { earlyS: -60, lateS: 300 };

export interface QualitySummary {
  /** Trips judged: every trip but the scheduled ones. */
  trips: number;
  /** Planned trips judged (run, late, partial or missed). */
  planned: number;
  /** Planned trips not due yet: not judged, counted in no other figure. */
  scheduled: number;
  missed: number;
  partial: number;
  unscheduled: number;
  /** Share of planned trips run that departed inside the window. */
  onTimeShare: number | null;
  skippedStops: number;
  skippedByRoute: Record<string, number>;
  skippedByOperator: Record<string, number>;
  skippedByDriver: Record<string, number>;
  ridership: { byRoute: Record<string, number>; byStop: Record<string, number>; byHour: Record<string, number> };
  revenueVnd: number;
  /** Share of wifi samples taken during trips that found the on-board wifi up (null without samples). */
  wifiAvailability: number | null;
  /** Coefficient of variation of the gaps between departures from each route's first stop (lower is more regular). */
  headwayCvByRoute: Record<string, number>;
}

const add = (m: Record<string, number>, k: string, n = 1): void => {
  m[k] = (m[k] ?? 0) + n;
};

/**
 * Quality of a set of trips (a day, a route, an operator…); hours are local hours in `timeZone`. Trips not due
 * yet (scheduled) count in no figure but their own: live, the day's later trips are neither missed nor on time.
 */
export function summariseQuality(
  all: readonly JourneyRecord[],
  window: PunctualityWindow = DEFAULT_WINDOW,
  timeZone: string = SERVICE_TIMEZONE,
): QualitySummary {
  const trips = all.filter(isJudged);
  const s: QualitySummary = {
    trips: trips.length,
    planned: 0,
    scheduled: all.length - trips.length,
    missed: 0,
    partial: 0,
    unscheduled: 0,
    onTimeShare: null,
    skippedStops: 0,
    skippedByRoute: {},
    skippedByOperator: {},
    skippedByDriver: {},
    ridership: { byRoute: {}, byStop: {}, byHour: {} },
    revenueVnd: 0,
    headwayCvByRoute: {},
    wifiAvailability: null,
  };
  let wifiSamples = 0;
  let wifiUp = 0;
  let judged = 0;
  let onTime = 0;
  const departures = new Map<string, number[]>();
  for (const t of trips) {
    if (t.wifi) {
      wifiSamples += t.wifi.samples;
      wifiUp += t.wifi.upShare * t.wifi.samples;
    }
    if (t.classification === 'unscheduled') s.unscheduled++;
    else s.planned++;
    if (t.classification === 'missed') s.missed++;
    if (t.classification === 'partial') s.partial++;
    if (t.plannedDepartureMs !== undefined && t.performed.startMs !== undefined && t.classification !== 'missed') {
      judged++;
      const d = (t.performed.startMs - t.plannedDepartureMs) / 1000;
      if (d >= window.earlyS && d <= window.lateS) onTime++;
      const key = `${t.routeId}|${t.directionId ?? ''}`;
      (departures.get(key) ?? departures.set(key, []).get(key)!).push(t.performed.startMs);
    }
    for (const v of t.visits) {
      if (v.status === 'skipped') {
        s.skippedStops++;
        add(s.skippedByRoute, t.routeId);
        add(s.skippedByOperator, t.operatorId);
        if (t.driverId) add(s.skippedByDriver, t.driverId);
      }
      if (v.status === 'visited' && v.boardings) {
        add(s.ridership.byRoute, t.routeId, v.boardings);
        add(s.ridership.byStop, v.stopId, v.boardings);
        if (v.arrivalMs !== undefined) add(s.ridership.byHour, localHhmm(v.arrivalMs, timeZone).slice(0, 2), v.boardings);
        s.revenueVnd += v.revenueVnd;
      }
    }
  }
  s.onTimeShare = judged ? Math.round((onTime / judged) * 1000) / 1000 : null;
  s.wifiAvailability = wifiSamples ? Math.round((wifiUp / wifiSamples) * 1000) / 1000 : null;
  for (const [key, times] of departures) {
    const sorted = [...times].sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((t, i) => t - sorted[i]!);
    if (gaps.length < 2) continue;
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    const route = key.split('|')[0]!;
    s.headwayCvByRoute[route] = Math.max(s.headwayCvByRoute[route] ?? 0, Math.round((sd / mean) * 1000) / 1000);
  }
  return s;
}

export interface WatchList {
  days: string[];
  /** Routes whose daily ridership fell day after day (a negative trend every step, or a slope below −5 % a day). */
  fallingRidership: { routeId: string; ridership: number[] }[];
  /** Routes whose on-time share fell in the same way. */
  fallingPunctuality: { routeId: string; onTimeShare: (number | null)[] }[];
  /** Operators ranked by violations (skipped stops + missed trips + late trips), most first. */
  operatorsByViolations: { operatorId: string; violations: number; skippedStops: number; missedTrips: number; lateTrips: number }[];
}

/** The city's watch list over consecutive days (oldest first). */
export function watchList(byDay: readonly { day: string; trips: readonly JourneyRecord[] }[], window: PunctualityWindow = DEFAULT_WINDOW): WatchList {
  const routes = new Set(byDay.flatMap((d) => d.trips.map((t) => t.routeId)));
  const fallingRidership: WatchList['fallingRidership'] = [];
  const fallingPunctuality: WatchList['fallingPunctuality'] = [];
  for (const routeId of [...routes].sort()) {
    const summaries = byDay.map((d) =>
      summariseQuality(
        d.trips.filter((t) => t.routeId === routeId),
        window,
      ),
    );
    const ridership = summaries.map((q) => q.ridership.byRoute[routeId] ?? 0);
    const punctuality = summaries.map((q) => q.onTimeShare);
    if (falling(ridership)) fallingRidership.push({ routeId, ridership });
    if (punctuality.every((x) => x !== null) && falling(punctuality as number[])) fallingPunctuality.push({ routeId, onTimeShare: punctuality });
  }
  const ops = new Map<string, { skippedStops: number; missedTrips: number; lateTrips: number }>();
  for (const d of byDay) {
    for (const t of d.trips.filter(isJudged)) {
      const o = ops.get(t.operatorId) ?? { skippedStops: 0, missedTrips: 0, lateTrips: 0 };
      o.skippedStops += t.visits.filter((v) => v.status === 'skipped').length;
      if (t.classification === 'missed') o.missedTrips++;
      if (t.classification === 'late') o.lateTrips++;
      ops.set(t.operatorId, o);
    }
  }
  return {
    days: byDay.map((d) => d.day),
    fallingRidership,
    fallingPunctuality,
    operatorsByViolations: [...ops]
      .map(([operatorId, o]) => ({ operatorId, ...o, violations: o.skippedStops + o.missedTrips + o.lateTrips }))
      .sort((a, b) => b.violations - a.violations || a.operatorId.localeCompare(b.operatorId)),
  };
}

/** Falling continuously (every step down), or by more than 5 % a day on a least-squares line, over ≥ 3 days. */
export function falling(series: readonly number[]): boolean {
  if (series.length < 3) return false;
  if (series.every((x, i) => i === 0 || x < series[i - 1]!)) return true;
  const n = series.length;
  const mx = (n - 1) / 2;
  const my = series.reduce((a, b) => a + b, 0) / n;
  if (my <= 0) return false;
  let num = 0;
  let den = 0;
  series.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den / my < -0.05;
}
