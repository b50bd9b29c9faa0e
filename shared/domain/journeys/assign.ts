/**
 * Stage 1, trip assignment: which trip is the bus running when? From its duty events (`trip_start` names the
 * trip and its order) when they arrived; for planned trips whose start event is missing, from the approved trip
 * order's planned departures. The result is a list of time windows, each to be matched on its trip's pattern.
 */

export interface DutyEventLike {
  ts: number;
  event: 'sign_on' | 'sign_off' | 'trip_start' | 'trip_end';
  tripId?: string;
  tripOrderId?: string;
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
}

export interface AssignConfig {
  /** A trip without a trip_end runs at most this long. Default 3 h. */
  maxTripMs: number;
  /** An inferred trip may start this early before its planned departure. Default 10 min. */
  earlyMs: number;
}

const DEFAULTS: AssignConfig = { maxTripMs: 3 * 3_600_000, earlyMs: 10 * 60_000 };

/** Trip windows of one bus's service day, in time order, non-overlapping. */
export function assignTrips(duty: readonly DutyEventLike[], planned: readonly PlannedTripLike[], cfg: Partial<AssignConfig> = {}): TripWindow[] {
  const c = { ...DEFAULTS, ...cfg };
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
    windows.push({ tripId: e.tripId, ...(e.tripOrderId ? { tripOrderId: e.tripOrderId } : {}), fromMs: e.ts - 90_000, toMs, source: 'duty', ended });
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
