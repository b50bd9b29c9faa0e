/**
 * Monthly performance terms of a route contract: the on-time departure share, and excess wait time (EWT) at the
 * route's timing points for a high-frequency route — each with its deduction when the term is not met.
 *
 * Average wait for headways h is Σh²/(2Σh) (= h̄/2·(1+cv²)): scheduled from the timetable's times at the timing
 * points, actual from the buses' actual arrivals there; EWT = actual − scheduled. Headways are taken per service
 * day, direction and stop, and pooled over the month. The route is high-frequency when its timing points are
 * scheduled at least `minBusesPerHour` an hour (the number of scheduled headways over their total length).
 */
import type { RouteContract } from '../contracts/schemas.js';
import { roundHalfUp } from './amounts.js';
import type { ExcessWaitTime, OnTimePerformance, ReconciliationJourney, StatementLine } from './types.js';

type Terms = NonNullable<RouteContract['performanceTerms']>;
type EwtTerms = NonNullable<Terms['excessWaitTime']>;

const MIN_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Average wait (minutes) of passengers arriving at random for headways `headwaysMs`: Σh²/(2Σh); 0 without headways. */
export function averageWaitMin(headwaysMs: readonly number[]): number {
  let sum = 0;
  let sumSq = 0;
  for (const h of headwaysMs) {
    sum += h;
    sumSq += h * h;
  }
  return sum > 0 ? sumSq / (2 * sum) / MIN_MS : 0;
}

/** The headways between consecutive distinct times (any order in, sorted first). */
export function headwaysOf(timesMs: readonly number[]): number[] {
  const sorted = [...new Set(timesMs)].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - sorted[i]!);
}

/** The on-time departure share of a route's planned trips with an observed departure, and its deduction. */
export function onTimePerformance(
  lines: readonly StatementLine[],
  terms: NonNullable<Terms['onTimeDeparture']>,
  approvedPayableVnd: number,
): OnTimePerformance {
  const observed = lines.filter((l) => l.kind === 'planned' && l.evidence.departureClass !== undefined);
  const onTime = observed.filter((l) => l.evidence.departureClass === 'on-time').length;
  const onTimeShare = observed.length > 0 ? onTime / observed.length : 1;
  const met = onTimeShare >= terms.minShare - 1e-9;
  return {
    departuresObserved: observed.length,
    departuresOnTime: onTime,
    onTimeShare,
    minShare: terms.minShare,
    met,
    deductionShare: terms.deductionShare,
    deductionVnd: met ? 0 : roundHalfUp(approvedPayableVnd * terms.deductionShare),
  };
}

/** The timing stops of a journey's pattern: the named ones it serves, or those the rule picks. */
function timingStopIdsOf(journey: ReconciliationJourney, timingPoints: EwtTerms['timingPoints']): string[] {
  const visits = [...journey.visits].sort((a, b) => a.stopSequence - b.stopSequence);
  if ('stopIds' in timingPoints) {
    const named = new Set(timingPoints.stopIds);
    return visits.filter((v) => named.has(v.stopId)).map((v) => v.stopId);
  }
  // quartiles: the first stop and those at a quarter, half and three quarters of the pattern (never the last).
  const n = visits.length;
  const picks = new Set([0, Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4)].filter((i) => i < n - 1 || n === 1));
  return [...picks].sort((a, b) => a - b).map((i) => visits[i]!.stopId);
}

/** Excess wait time of a route over the journeys of its approved days, against the terms, and its deduction. */
export function excessWaitTime(journeys: readonly ReconciliationJourney[], terms: EwtTerms, approvedPayableVnd: number): ExcessWaitTime {
  const scheduled = new Map<string, number[]>();
  const actual = new Map<string, number[]>();
  const stopIds = new Set<string>();
  const push = (m: Map<string, number[]>, k: string, t: number) => {
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  };
  for (const j of journeys) {
    const timing = new Set(timingStopIdsOf(j, terms.timingPoints));
    for (const v of j.visits) {
      if (!timing.has(v.stopId)) continue;
      stopIds.add(v.stopId);
      const key = `${j.serviceDay}|${j.directionId ?? '-'}|${v.stopId}`;
      const sched = v.scheduledDepartureMs ?? v.scheduledArrivalMs;
      if (sched !== undefined) push(scheduled, key, sched);
      const arrived = v.status === 'visited' ? (v.arrivalMs ?? v.departureMs) : undefined;
      if (arrived !== undefined) push(actual, key, arrived);
    }
  }
  const scheduledHeadways = [...scheduled.values()].flatMap(headwaysOf);
  const actualHeadways = [...actual.values()].flatMap(headwaysOf);
  const spanH = scheduledHeadways.reduce((a, h) => a + h, 0) / HOUR_MS;
  const scheduledBusesPerHour = spanH > 0 ? scheduledHeadways.length / spanH : 0;
  const highFrequency = scheduledBusesPerHour >= terms.minBusesPerHour;
  const scheduledWaitMin = averageWaitMin(scheduledHeadways);
  const actualWaitMin = averageWaitMin(actualHeadways);
  const ewtMin = actualWaitMin - scheduledWaitMin;
  const met = !highFrequency || ewtMin <= terms.thresholdMin + 1e-9;
  return {
    timingStopIds: [...stopIds].sort(),
    scheduledBusesPerHour,
    highFrequency,
    scheduledWaitMin,
    actualWaitMin,
    ewtMin,
    thresholdMin: terms.thresholdMin,
    met,
    deductionShare: terms.deductionShare,
    deductionVnd: met ? 0 : roundHalfUp(approvedPayableVnd * terms.deductionShare),
  };
}
