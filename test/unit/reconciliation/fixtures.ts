/**
 * Builders for reconciliation tests: a contract, trip orders and journey records with stop visits, at fixed
 * instants of a fixed service day (never today's date).
 */
import { type RouteContract, type RouteContractInput, routeContractSchema } from '../../../shared/domain/contracts/schemas.js';
import type { JourneyRecord } from '../../../shared/domain/journeys/journey-record.js';
import type { ReconciliationInput, ReconciliationOrder } from '../../../shared/domain/reconciliation/types.js';

export const DAY = '2026-11-26';
export const OPERATOR = 'SGB';
const ROUTE = 'R1';

/** The instant of local time `hhmm[:ss]` (Asia/Ho_Chi_Minh, UTC+7) on `day`; `24:30` is 00:30 of the next date. */
export function at(hhmm: string, day = DAY): number {
  const [h, m, s] = hhmm.split(':').map(Number) as [number, number, number?];
  return Date.parse(`${day}T00:00:00+07:00`) + ((h * 60 + m) * 60 + (s ?? 0)) * 1000;
}

/** The worked example's contract: net-cost, 1,250,000 a trip, −1/+5 min, late limit 30, 90 % / 50 % paid at 50 %. */
const workedContractInput: RouteContractInput = {
  routeId: ROUTE,
  operatorId: OPERATOR,
  subsidised: true,
  type: 'net-cost',
  unitCostVnd: 1_250_000,
  departureToleranceMin: { earlyMin: -1, lateMin: 5 },
  lateLimitMin: 30,
  minStopShareComplete: 0.9,
  minStopSharePartial: 0.5,
  partialPaidShare: 0.5,
  penaltyPerSkippedStopVnd: 50_000,
  penaltyPerLateTripVnd: 200_000,
  effectiveFrom: '2026-01-01',
};

export function contract(over: Partial<RouteContractInput> = {}): RouteContract {
  return routeContractSchema.parse({ ...workedContractInput, ...over });
}

export interface PlannedSpec {
  sequence: number;
  at: number;
  directionId?: 0 | 1;
  tripId?: string;
}

export function order(id: string, busId: string, trips: PlannedSpec[], over: Partial<ReconciliationOrder> = {}): ReconciliationOrder {
  return {
    id,
    orderNumber: `LVC-${id}`,
    serviceDay: DAY,
    operatorId: OPERATOR,
    routeId: ROUTE,
    vehicle: { busId, plate: `51B-${busId}` },
    driver: { driverId: `D-${busId}` },
    trips: trips.map((t) => ({
      sequence: t.sequence,
      plannedDeparture: new Date(t.at).toISOString(),
      ...(t.directionId !== undefined ? { directionId: t.directionId } : {}),
      ...(t.tripId !== undefined ? { tripId: t.tripId } : {}),
    })),
    status: 'approved',
    revision: 1,
    confirmations: [],
    ...over,
  };
}

/** Stop statuses of a trip, one letter a stop: v visited, s skipped, u unobserved (gap), n no fixes (never reached). */
export interface JourneySpec {
  busId: string;
  tripId: string;
  departMs: number;
  stops: string;
  revenueVnd?: number;
  directionId?: 0 | 1;
  tripOrderId?: string;
  plannedDepartureMs?: number;
  routeId?: string;
  operatorId?: string;
  ended?: boolean;
}

const STOP_GAP_MS = 120_000;

/** A journey record as the journeys stage stores it, without its computation time. */
export type FixtureJourney = Omit<JourneyRecord, 'computedAt' | 'wifi'>;

export function journey(spec: JourneySpec): FixtureJourney {
  const letters = [...spec.stops];
  const visits = letters.map((c, i) => {
    const sched = (spec.plannedDepartureMs ?? spec.departMs) + i * STOP_GAP_MS;
    const t = spec.departMs + i * STOP_GAP_MS;
    const status = c === 'v' ? ('visited' as const) : c === 's' ? ('skipped' as const) : ('unobserved' as const);
    return {
      stopId: `S${i + 1}`,
      stopSequence: i + 1,
      status,
      ...(status === 'visited' ? { arrivalMs: t - 20_000, departureMs: t } : {}),
      evidence: { method: c === 'u' ? ('gap' as const) : c === 'n' ? ('no-fixes' as const) : ('slow-fixes' as const), fixesInZone: 2, slowFixesInZone: 1 },
      scheduledArrivalMs: sched,
      scheduledDepartureMs: sched,
      distanceM: i * 500,
      boardings: 0,
      revenueVnd: i === 0 ? (spec.revenueVnd ?? 0) : 0,
      transactions: 0,
    };
  });
  const visited = letters.filter((c) => c === 'v').length;
  const skipped = letters.filter((c) => c === 's').length;
  const visitedTimes = visits.flatMap((v) => (v.departureMs !== undefined ? [v.departureMs] : []));
  return {
    serviceDay: DAY,
    tripId: spec.tripId,
    busId: spec.busId,
    operatorId: spec.operatorId ?? OPERATOR,
    routeId: spec.routeId ?? ROUTE,
    ...(spec.directionId !== undefined ? { directionId: spec.directionId } : {}),
    ...(spec.tripOrderId !== undefined ? { tripOrderId: spec.tripOrderId } : {}),
    classification: spec.tripOrderId ? 'completed' : 'unscheduled',
    source: spec.tripOrderId ? 'order' : 'duty',
    ...(spec.plannedDepartureMs !== undefined ? { plannedDepartureMs: spec.plannedDepartureMs } : {}),
    performed: {
      status: spec.ended === false ? 'in_progress' : visited / letters.length >= 0.9 ? 'completed' : 'partial',
      performed: visited / letters.length >= 0.5,
      stopsVisited: visited,
      stopsSkipped: skipped,
      stopsUnobserved: letters.length - visited - skipped,
      ...(visitedTimes.length > 0 ? { startMs: Math.min(...visitedTimes), endMs: Math.max(...visitedTimes) } : {}),
      distanceM: letters.length * 500,
    },
    visits,
  };
}

/** `v` repeated n times, and so on: stops('v', 19, 's', 1). */
export function stops(...parts: (string | number)[]): string {
  let out = '';
  for (let i = 0; i < parts.length; i += 2) out += String(parts[i]).repeat(Number(parts[i + 1]));
  return out;
}

export const WORKED_TIMES = { T1: at('06:00'), T2: at('08:00'), T3: at('10:00'), T4: at('12:00') };

/** The worked example: 4 planned trips of 20 stops and one unscheduled run; `over` patches the contract. */
export function workedExample(over: Parameters<typeof contract>[0] = {}): Omit<ReconciliationInput, 'journeys'> & { journeys: FixtureJourney[] } {
  return {
    serviceDay: DAY,
    operatorId: OPERATOR,
    orders: [
      order('O1', 'B1', [
        { sequence: 1, at: WORKED_TIMES.T1, directionId: 0 },
        { sequence: 2, at: WORKED_TIMES.T2, directionId: 1 },
        { sequence: 3, at: WORKED_TIMES.T3, directionId: 0 },
        { sequence: 4, at: WORKED_TIMES.T4, directionId: 1 },
      ]),
    ],
    journeys: [
      // T1 on time, 19 visited and stop 10 passed without stopping.
      journey({ busId: 'B1', tripId: 'trip-1', departMs: WORKED_TIMES.T1, directionId: 0, stops: stops('v', 9, 's', 1, 'v', 10), revenueVnd: 420_000 }),
      // T2 8 minutes late, all visited.
      journey({ busId: 'B1', tripId: 'trip-2', departMs: WORKED_TIMES.T2 + 8 * 60_000, directionId: 1, stops: stops('v', 20), revenueVnd: 380_000 }),
      // T3 short-turned after 12 stops: the other 8 never reached.
      journey({ busId: 'B1', tripId: 'trip-3', departMs: WORKED_TIMES.T3, directionId: 0, stops: stops('v', 12, 'n', 8), revenueVnd: 150_000 }),
      // T4 never runs. An unscheduled run by another bus in the afternoon.
      journey({ busId: 'B9', tripId: 'extra-1', departMs: at('15:00'), directionId: 0, stops: stops('v', 20), revenueVnd: 90_000 }),
    ],
    contracts: [contract(over)],
  };
}
