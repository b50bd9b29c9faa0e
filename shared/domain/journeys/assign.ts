/**
 * Stage 1, trip assignment: which trip is the bus running when? From its duty events (`trip_start` names the
 * trip and its order) when they arrived; for planned trips whose start event is missing, from the approved trip
 * order's planned departures. The result is a list of time windows, each to be matched on its trip's pattern.
 *
 * A bus names the GTFS trip_id it runs, as AVL units and GTFS-Realtime do. For a frequencies.txt trip that is
 * the template's id, which the network replaced by one trip per run: the run is the one starting at the
 * announced `startTime`, or without one the run whose departure is nearest the announcement. An id the network
 * does not know at all is kept, marked unknown, to be reconstructed as an unscheduled trip.
 */
import { parseGtfsTime } from '../../gtfs/time.js';

export interface DutyEventLike {
  ts: number;
  event: 'sign_on' | 'sign_off' | 'trip_start' | 'trip_end';
  tripId?: string;
  tripOrderId?: string;
  /** GTFS service time `HH:MM:SS` of the trip's scheduled start (GTFS-Realtime start_time). */
  startTime?: string;
}

/** A run of a frequencies.txt template: the network's trip for it, its start and its departure instant. */
export interface TripRun {
  tripId: string;
  /** Service-day seconds of the run's first departure. */
  startS: number;
  departureMs: number;
}

/** What trip assignment needs to know of the network's trips on the bus's service day. */
export interface TripCatalogue {
  /** Whether the network has a trip of this id. */
  has(tripId: string): boolean;
  /** The runs of a frequencies.txt template trip, in any order; none when the id is not a template. */
  runsOf(templateTripId: string): readonly TripRun[];
}

/** An announced trip id as the network knows it. */
export interface ResolvedTrip {
  tripId: string;
  /** The id the bus announced, when it is a template resolved to one of its runs. */
  announcedTripId?: string;
  /** The network has no trip (nor template) of that id. */
  unknown?: true;
}

/**
 * The network's trip for a `trip_start`: the trip itself when the network has it; for a frequency template, the
 * run starting at `startTime` (the nearest start when none is exact, as for exact_times = 0), else the run
 * departing nearest the event, preferring runs not `taken` by earlier announcements; otherwise unknown.
 */
export function resolveAnnouncedTrip(
  e: { ts: number; tripId: string; startTime?: string },
  catalogue: TripCatalogue,
  taken: ReadonlySet<string> = new Set(),
): ResolvedTrip {
  if (catalogue.has(e.tripId)) return { tripId: e.tripId };
  const runs = catalogue.runsOf(e.tripId);
  if (runs.length === 0) return { tripId: e.tripId, unknown: true };
  const startS = e.startTime === undefined ? undefined : parseGtfsTime(e.startTime);
  const free = runs.filter((r) => !taken.has(r.tripId));
  const pool = startS === undefined && free.length > 0 ? free : runs;
  const gap = (r: TripRun) => (startS === undefined ? Math.abs(r.departureMs - e.ts) : Math.abs(r.startS - startS) * 1000);
  let best = pool[0]!;
  for (const r of pool) if (gap(r) < gap(best) || (gap(r) === gap(best) && r.startS < best.startS)) best = r;
  return { tripId: best.tripId, announcedTripId: e.tripId };
}

export interface PlannedTripLike {
  tripId?: string;
  plannedDepartureMs: number;
}

export interface TripWindow {
  tripId: string;
  tripOrderId?: string;
  fromMs: number;
  toMs: number;
  /** `duty`: the bus said so; `order`: inferred from the order's planned departure. */
  source: 'duty' | 'order';
  /** The bus said the trip ended (trip_end seen) or the next trip began: the trip is over. */
  ended: boolean;
  /** The trip_id the bus announced, when it is a frequency template resolved to `tripId`. */
  announcedTripId?: string;
  /** The network has no trip of the announced id: the trip can only be reconstructed as unscheduled. */
  unknownTrip?: true;
}

export interface AssignConfig {
  /** A trip without a trip_end runs at most this long. Default 3 h. */
  maxTripMs: number;
  /** An inferred trip may start this early before its planned departure. Default 10 min. */
  earlyMs: number;
}

const DEFAULTS: AssignConfig = { maxTripMs: 3 * 3_600_000, earlyMs: 10 * 60_000 };

/**
 * Trip windows of one bus's service day, in time order, non-overlapping. With a catalogue, announced ids are
 * resolved against the network (frequency runs, unknown trips); without one they are taken as they are.
 */
export function assignTrips(
  duty: readonly DutyEventLike[],
  planned: readonly PlannedTripLike[],
  cfg: Partial<AssignConfig> = {},
  catalogue?: TripCatalogue,
): TripWindow[] {
  const c = { ...DEFAULTS, ...cfg };
  const taken = new Set<string>();
  const events = [...duty].sort((a, b) => a.ts - b.ts);
  const windows: TripWindow[] = [];
  const plannedDeparture = new Map(planned.filter((p) => p.tripId).map((p) => [p.tripId!, p.plannedDepartureMs]));
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.event !== 'trip_start' || !e.tripId) continue;
    let toMs = e.ts + c.maxTripMs;
    let ended = false;
    for (let j = i + 1; j < events.length; j++) {
      const n = events[j]!;
      if (n.event === 'trip_end' || n.event === 'trip_start' || n.event === 'sign_off') {
        // A trip_end's departure from the last stop is a few seconds after its arrival: keep a margin.
        toMs = n.event === 'trip_end' ? n.ts + 60_000 : n.ts;
        // The end of another planned trip: this trip's end and that one's start were lost. This one was over
        // by the time that one was due to leave.
        const otherMs = n.event === 'trip_end' && n.tripId && n.tripId !== e.tripId ? plannedDeparture.get(n.tripId) : undefined;
        if (otherMs !== undefined && otherMs - c.earlyMs > e.ts) toMs = Math.min(toMs, otherMs - c.earlyMs);
        ended = true;
        break;
      }
    }
    const { unknown, ...trip }: ResolvedTrip = catalogue
      ? resolveAnnouncedTrip({ ts: e.ts, tripId: e.tripId, ...(e.startTime ? { startTime: e.startTime } : {}) }, catalogue, taken)
      : { tripId: e.tripId };
    taken.add(trip.tripId);
    windows.push({
      ...trip,
      ...(e.tripOrderId ? { tripOrderId: e.tripOrderId } : {}),
      fromMs: e.ts - 90_000,
      toMs,
      source: 'duty',
      ended,
      ...(unknown ? { unknownTrip: true as const } : {}),
    });
  }
  // Planned trips the bus never announced (a lost duty message): infer from the plan, between known windows.
  const announced = new Set(windows.map((w) => w.tripId));
  const sortedPlan = [...planned].sort((a, b) => a.plannedDepartureMs - b.plannedDepartureMs);
  sortedPlan.forEach((p, k) => {
    if (!p.tripId || announced.has(p.tripId)) return;
    const next = sortedPlan[k + 1];
    let fromMs = p.plannedDepartureMs - c.earlyMs;
    let toMs = next ? next.plannedDepartureMs - c.earlyMs : p.plannedDepartureMs + c.maxTripMs;
    for (const w of windows) {
      if (w.toMs > fromMs && w.fromMs <= p.plannedDepartureMs) fromMs = w.toMs;
      if (w.fromMs < toMs && w.fromMs > p.plannedDepartureMs) toMs = w.fromMs;
    }
    if (toMs > fromMs) windows.push({ tripId: p.tripId, fromMs, toMs, source: 'order', ended: true });
  });
  return windows.sort((a, b) => a.fromMs - b.fromMs);
}
