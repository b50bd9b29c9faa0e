/**
 * Classification of a planned trip (nghiệm thu chuyến): from its departure against the contract's tolerance and
 * late limit, and from the share of its pattern's stops visited.
 *
 * - departure within the tolerance (both ends included) → on time; outside it but at most the late limit from the
 *   plan → late; beyond the late limit → not accepted. An early departure beyond the tolerance counts as late.
 * - visited share ≥ the complete share → complete; ≥ the partial share → partial; below → not accepted.
 * - class: not accepted on either → missed; partial → partial; complete and late → late; complete and on time →
 *   completed.
 * Stops that are unobserved (a data gap) are counted both ways: when the class differs, the line needs review.
 * A trip whose first stop is unobserved has its departure read at a later stop (or at the terminal's
 * confirmation): a later stop only bounds the delay from above, so every departure class under it stays possible.
 */
import type { RouteContract } from '../contracts/schemas.js';
import type { Confirmation } from '../trip-orders/schemas.js';
import { reasonOfVi, reviewReasonVi } from './reasons-vi.js';
import type { DepartureClass, DepartureSource, LineClass, ReconciliationJourney, StopEvidence } from './types.js';

type StopClass = 'complete' | 'partial' | 'under';

/** A planned trip's classification before pricing. */
export interface TripClassification {
  class: LineClass;
  possibleClasses?: LineClass[];
  departureClass?: DepartureClass;
  actualDepartureMs?: number;
  departureSource?: DepartureSource;
  departureDelayS?: number;
  stops: StopEvidence;
  reason: string;
  reasonVi: string;
}

/** How the stops of the journey's pattern were served: visited, skipped, unobserved (a gap) or not reached. */
export function stopEvidence(journey: ReconciliationJourney, arrivalConfirmed: boolean): StopEvidence {
  const visits = [...journey.visits].sort((a, b) => a.stopSequence - b.stopSequence);
  let lastObserved = -1;
  visits.forEach((v, i) => {
    if (v.status !== 'unobserved') lastObserved = i;
  });
  // Stops after the last observed one of a trip that is over were not reached (a short turn) — unless the
  // terminal confirmed the arrival, which makes them a data gap.
  const ended = journey.performed.status !== 'in_progress';
  const notReachedFrom = lastObserved >= 0 && ended && !arrivalConfirmed ? lastObserved + 1 : visits.length;
  const ev: StopEvidence = {
    total: visits.length,
    visited: 0,
    skipped: 0,
    unobserved: 0,
    notReached: 0,
    skippedStopIds: [],
    unobservedStopIds: [],
    notReachedStopIds: [],
    visitedShare: 0,
  };
  visits.forEach((v, i) => {
    if (v.status === 'visited') ev.visited++;
    else if (v.status === 'skipped') {
      ev.skipped++;
      ev.skippedStopIds.push(v.stopId);
    } else if (i >= notReachedFrom) {
      ev.notReached++;
      ev.notReachedStopIds.push(v.stopId);
    } else {
      ev.unobserved++;
      ev.unobservedStopIds.push(v.stopId);
    }
  });
  ev.visitedShare = ev.total > 0 ? ev.visited / ev.total : 0;
  return ev;
}

/** The departure class of a delay (ms, late positive) under the contract. */
function departureClassOf(delayMs: number, contract: Pick<RouteContract, 'departureToleranceMin' | 'lateLimitMin'>): DepartureClass {
  const earlyMs = contract.departureToleranceMin.earlyMin * 60_000;
  const lateMs = contract.departureToleranceMin.lateMin * 60_000;
  const limitMs = contract.lateLimitMin * 60_000;
  if (delayMs >= earlyMs && delayMs <= lateMs) return 'on-time';
  return Math.abs(delayMs) <= limitMs ? 'late' : 'beyond-limit';
}

/** The stop class of `visited` stops of `total` under the contract's shares (boundaries included). */
function stopClassOf(visited: number, total: number, contract: Pick<RouteContract, 'minStopShareComplete' | 'minStopSharePartial'>): StopClass {
  if (total <= 0) return 'under';
  if (atLeast(visited, total, contract.minStopShareComplete)) return 'complete';
  if (atLeast(visited, total, contract.minStopSharePartial)) return 'partial';
  return 'under';
}

/** The actual departure of a journey: its first stop when visited, else the terminal's confirmation, else a later stop. */
function actualDeparture(
  journey: ReconciliationJourney,
  confirmations: readonly Pick<Confirmation, 'kind' | 'at'>[],
): { ms: number; source: DepartureSource } | undefined {
  const first = [...journey.visits].sort((a, b) => a.stopSequence - b.stopSequence)[0];
  if (first?.status === 'visited') {
    const ms = first.departureMs ?? first.arrivalMs;
    if (ms !== undefined) return { ms, source: 'first-stop' };
  }
  const confirmed = confirmations.find((c) => c.kind === 'departure');
  if (confirmed) return { ms: Date.parse(confirmed.at), source: 'terminal-confirmation' };
  if (journey.performed.startMs !== undefined) return { ms: journey.performed.startMs, source: 'later-stop' };
  return undefined;
}

/** The class of a planned trip run as `journey` (with its confirmations), under the contract. */
export function classifyRun(
  plannedDepartureMs: number,
  journey: ReconciliationJourney,
  confirmations: readonly Pick<Confirmation, 'kind' | 'at'>[],
  contract: RouteContract,
): TripClassification {
  const stops = stopEvidence(
    journey,
    confirmations.some((c) => c.kind === 'arrival'),
  );
  const dep = actualDeparture(journey, confirmations);
  const delayMs = dep === undefined ? undefined : dep.ms - plannedDepartureMs;
  const departureClass = delayMs === undefined ? undefined : departureClassOf(delayMs, contract);
  const departure = dep && delayMs !== undefined ? { actualDepartureMs: dep.ms, departureSource: dep.source, departureDelayS: Math.round(delayMs / 1000) } : {};

  const depClasses = possibleDepartures(departureClass, dep?.source);
  const stopClasses = new Set<StopClass>([
    stopClassOf(stops.visited, stops.total, contract),
    stopClassOf(stops.visited + stops.unobserved, stops.total, contract),
  ]);
  const outcomes = new Set<LineClass>();
  for (const d of depClasses) for (const s of stopClasses) outcomes.add(combine(d, s));

  const base = { ...departure, ...(departureClass !== undefined ? { departureClass } : {}), stops };
  if (outcomes.size > 1) {
    const possibleClasses = LINE_ORDER.filter((c) => outcomes.has(c));
    return {
      ...base,
      class: 'needs-review',
      possibleClasses,
      reason: reviewReason(stops, dep?.source, possibleClasses),
      reasonVi: reviewReasonVi(stops, dep?.source, possibleClasses),
    };
  }
  const cls = [...outcomes][0]!;
  return {
    ...base,
    class: cls,
    reason: reasonOf(cls, departureClass, delayMs, stops, contract),
    reasonVi: reasonOfVi(cls, departureClass, delayMs, stops, contract),
  };
}

/**
 * The departure classes the evidence leaves possible: a departure read at a later stop bounds the delay from
 * above only, so every class of a smaller delay stays possible; an unknown departure could be anything.
 */
function possibleDepartures(measured: DepartureClass | undefined, source: DepartureSource | undefined): DepartureClass[] {
  const all: DepartureClass[] = ['on-time', 'late', 'beyond-limit'];
  if (measured === undefined) return all;
  if (source !== 'later-stop') return [measured];
  return all.slice(0, all.indexOf(measured) + 1);
}

const LINE_ORDER: LineClass[] = ['completed', 'late', 'partial', 'missed'];

function combine(d: DepartureClass, s: StopClass): LineClass {
  if (d === 'beyond-limit' || s === 'under') return 'missed';
  if (s === 'partial') return 'partial';
  return d === 'late' ? 'late' : 'completed';
}

/** visited/total ≥ share, robust to shares like 0.9 that binary floating point cannot hold exactly. */
function atLeast(visited: number, total: number, share: number): boolean {
  return visited / total >= share - 1e-9;
}

function reviewReason(stops: StopEvidence, source: DepartureSource | undefined, possible: LineClass[]): string {
  const parts: string[] = [];
  if (stops.unobserved > 0) parts.push(`${stops.unobserved} unobserved stop(s) (data gap: ${stops.unobservedStopIds.join(', ')})`);
  if (source === 'later-stop') parts.push('the first stop is unobserved, so the departure was read at a later stop');
  if (source === undefined) parts.push('no departure observed');
  return `needs review: ${parts.join('; ')} — the class could be ${possible.join(' or ')}`;
}

function reasonOf(cls: LineClass, d: DepartureClass | undefined, delayMs: number | undefined, stops: StopEvidence, c: RouteContract): string {
  const delay = delayMs === undefined ? 'departure not observed' : `departed ${formatDelay(delayMs)}`;
  const share = `${stops.visited}/${stops.total} stops visited`;
  const skipped = stops.skipped > 0 ? `, ${stops.skipped} skipped (${stops.skippedStopIds.join(', ')})` : '';
  const notReached = stops.notReached > 0 ? `, ${stops.notReached} not reached` : '';
  const window = `tolerance ${c.departureToleranceMin.earlyMin}/+${c.departureToleranceMin.lateMin} min, late limit ${c.lateLimitMin} min`;
  switch (cls) {
    case 'completed':
      return `completed: ${delay}, within the ${window}; ${share}${skipped}`;
    case 'late':
      return `late: ${delay}, outside the tolerance but within the late limit (${window}); ${share}${skipped}`;
    case 'partial':
      return `partial: ${share}${notReached}${skipped}, below ${pct(c.minStopShareComplete)} but at least ${pct(c.minStopSharePartial)}; ${delay}${d === 'late' ? ' (late)' : ''}`;
    default:
      return d === 'beyond-limit' ? `missed: ${delay}, after the late limit (${window})` : `missed: ${share}${notReached}, below ${pct(c.minStopSharePartial)}`;
  }
}

/** `8:00 late`, `1:30 early`, `on the minute`. */
function formatDelay(delayMs: number): string {
  const s = Math.round(Math.abs(delayMs) / 1000);
  if (s === 0) return 'on the minute';
  const text = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return delayMs > 0 ? `${text} late` : `${text} early`;
}

function pct(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}
