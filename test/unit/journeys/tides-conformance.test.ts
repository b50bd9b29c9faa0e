/**
 * TIDES conformance: every export of journeys reconstructed from simulated bus days (a fault profile with skipped
 * stops, missed, late and unscheduled trips, taps and door openings) validates against the official TIDES table
 * schemas — columns and order, types, required values, enumerations, bounds, keys — after the day and mid-day.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GpsRecord, Tap } from '../../../shared/catalogue/index.js';
import type { AttributedTap, JourneyRecord } from '../../../shared/domain/journeys/journey-record.js';
import { recomputeBusDay, type StoredTap } from '../../../shared/domain/journeys/recompute.js';
import { fareTransactionsCsv, passengerEventsCsv, stopVisitsCsv, tidesDatetime, tripsPerformedCsv } from '../../../shared/domain/journeys/tides.js';
import { createTripOrder } from '../../../shared/domain/trip-orders/lifecycle.js';
import type { Network } from '../../../shared/gtfs/model.js';
import { loadGtfs } from '../../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../../shared/gtfs/time.js';
import { BusDay } from '../../../simulator/core/bus-day.js';
import { planDay, tripOrderOf } from '../../../simulator/core/day-plan.js';
import { faultProfiles } from '../../../simulator/core/faults.js';
import { Rng } from '../../../simulator/core/rng.js';
import { drawTrafficDay } from '../../../simulator/core/traffic.js';
import { SAMPLE_NETWORK_DIR } from '../../../simulator/networks/index.js';
import { describeErrors, parseCsv, tidesSchema, validateCsv, type TidesTable } from '../../support/table-schema.js';
import { dutyMessageSchema, wifiMessageSchema } from '../../../shared/catalogue/messages.js';

const DAY = '2026-11-26';
type DutyEvent = { ts: number; event: 'sign_on' | 'sign_off' | 'trip_start' | 'trip_end'; tripId?: string; tripOrderId?: string };
interface SimulatedBus {
  busId: string;
  operatorId: string;
  track: GpsRecord[];
  duty: DutyEvent[];
  taps: StoredTap[];
  wifi: { ts: number; up: boolean; clients: number }[];
  order: ReturnType<typeof createTripOrder>;
}

let network: Network;
let buses: SimulatedBus[];

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  const plan = planDay(network, DAY, { seed: 5, maxBuses: 4 });
  const profile = { ...faultProfiles.default, skippedStopRate: 0.1, missedTripRate: 0.15, lateDepartureRate: 0.3, unscheduledPerBusDay: 1 };
  buses = plan.duties.map((d) => {
    const bus = new BusDay(network, d, DAY, drawTrafficDay(new Rng(5, 't'), serviceTimeToEpochMs(DAY, 0, network.timezone), []), new Rng(5, d.busId), {
      gpsIntervalS: 5,
      wifiIntervalS: 60,
      singleFareVnd: 7000,
      profile,
    });
    const out: Omit<SimulatedBus, 'order'> = { busId: d.busId, operatorId: d.operatorId, track: [], duty: [], taps: [], wifi: [] };
    for (let t = bus.signOnMs; !bus.done; t += 60_000) {
      for (const item of bus.advance(t + 60_000)) {
        const body = item.message?.body as Record<string, unknown> | undefined;
        if (item.message?.kind === 'gps') out.track.push(...(body!.records as GpsRecord[]));
        if (item.message?.kind === 'duty') out.duty.push(dutyMessageSchema.parse(body));
        if (item.message?.kind === 'wifi') out.wifi.push(wifiMessageSchema.parse(body));
        if (item.message?.kind === 'gate') {
          for (const tap of body!.taps as Tap[]) {
            out.taps.push({
              tapId: tap.tapId,
              ts: tap.ts,
              amountVnd: tap.amountVnd,
              product: tap.product,
              medium: tap.medium,
              cardHash: `h${tap.cardId.length}`,
              ...(tap.stopId ? { stopId: tap.stopId } : {}),
            });
          }
        }
      }
    }
    const order = createTripOrder(
      { ...tripOrderOf(d, DAY), staff: [], issue: true },
      { role: 'operator', id: 'u', operatorId: d.operatorId },
      serviceTimeToEpochMs(DAY, 4 * 3600, network.timezone),
      d.tripOrderId,
    );
    return { ...out, order: { ...order, status: 'approved' as const } };
  });
});

async function journeysAt(nowMs: number): Promise<JourneyRecord[]> {
  const trips: JourneyRecord[] = [];
  for (const b of buses) {
    const seen = <T extends { ts: number }>(xs: T[]) => xs.filter((x) => x.ts < nowMs);
    trips.push(
      ...(await recomputeBusDay(b.busId, DAY, {
        network,
        now: () => nowMs,
        store: { replaceBusDay: async () => undefined },
        inputs: {
          gps: async (_b, from, to) => seen(b.track).filter((f) => f.ts >= from && f.ts < to),
          duty: async () => seen(b.duty),
          taps: async () => seen(b.taps),
          wifi: async () => seen(b.wifi),
          orders: async () => [b.order],
          operatorOf: async () => b.operatorId,
        },
      })),
    );
  }
  return trips;
}

const EXPORTS: Record<TidesTable, (trips: readonly JourneyRecord[]) => string> = {
  trips_performed: tripsPerformedCsv,
  stop_visits: stopVisitsCsv,
  passenger_events: passengerEventsCsv,
  fare_transactions: fareTransactionsCsv,
};

/** The values of one column of a CSV export. */
function column(csv: string, name: string): string[] {
  const [header, ...rows] = parseCsv(csv);
  const i = header!.indexOf(name);
  return rows.map((r) => r[i]!);
}

function expectConforming(trips: readonly JourneyRecord[]): Record<TidesTable, string> {
  const out = {} as Record<TidesTable, string>;
  for (const [table, exportOf] of Object.entries(EXPORTS) as [TidesTable, (t: readonly JourneyRecord[]) => string][]) {
    const csv = exportOf(trips);
    const errors = validateCsv(csv, tidesSchema(table));
    expect(errors, `${table}:\n${describeErrors(errors)}`).toEqual([]);
    out[table] = csv;
  }
  // Every stop visit, passenger event and fare transaction belongs to an exported trip performed.
  const performed = new Set(
    parseCsv(out.trips_performed)
      .slice(1)
      .map((r) => `${r[0]}|${r[1]}`),
  );
  for (const table of ['stop_visits', 'passenger_events', 'fare_transactions'] as const) {
    const days = column(out[table], 'service_date');
    const ids = column(out[table], 'trip_id_performed');
    for (let i = 0; i < ids.length; i++) expect(performed.has(`${days[i]}|${ids[i]}`), `${table} row ${i + 1}`).toBe(true);
  }
  return out;
}

describe('TIDES exports of reconstructed journeys', () => {
  it('conform to the TIDES schemas after the day: every trip judged, missed ones Canceled', async () => {
    const trips = await journeysAt(serviceTimeToEpochMs(DAY, 27 * 3600, network.timezone));
    const csv = expectConforming(trips);
    // The simulated day exercised what the schemas constrain: not vacuous.
    const relationships = new Set(column(csv.trips_performed, 'schedule_relationship'));
    expect(relationships).toContain('Scheduled');
    expect(relationships).toContain('Canceled');
    expect(new Set(column(csv.stop_visits, 'schedule_relationship'))).toEqual(new Set(['Scheduled', 'Skipped', 'Missing']));
    // One door signal: an opening cannot say which doors, so it is "Other configuration".
    expect(column(csv.stop_visits, 'door_status')).toContain('Other configuration');
    expect(column(csv.stop_visits, 'actual_arrival_time').filter(Boolean).length).toBeGreaterThan(100);
    expect(column(csv.passenger_events, 'event_type')).toContain('Passenger boarded');
    expect(column(csv.fare_transactions, 'amount').length).toBeGreaterThan(10);
  });

  it('conform mid-day, leaving out the trips not due yet', async () => {
    const tenAm = serviceTimeToEpochMs(DAY, 10 * 3600, network.timezone);
    const trips = await journeysAt(tenAm);
    const scheduled = trips.filter((t) => t.classification === 'scheduled');
    expect(scheduled.length).toBeGreaterThan(0);
    const csv = expectConforming(trips);
    expect(parseCsv(csv.trips_performed)).toHaveLength(trips.length - scheduled.length + 1);
    const exported = new Set(column(csv.trips_performed, 'trip_id_performed'));
    for (const t of scheduled) expect(exported.has(`${t.busId}:${t.tripId}`)).toBe(false);
  });

  it('writes datetimes in the Table Schema default format, whole seconds in UTC', () => {
    expect(tidesDatetime(Date.parse('2026-11-26T01:02:03.456Z'))).toBe('2026-11-26T01:02:03Z');
    expect(tidesDatetime(Date.parse('2026-11-26T01:02:03.600Z'))).toBe('2026-11-26T01:02:04Z');
  });
});

describe("fare transactions' token across a card key rotation", () => {
  const visit = (stopSequence: number, arrivalMs: number, taps: AttributedTap[]): JourneyRecord['visits'][number] => ({
    stopId: `S${stopSequence}`,
    stopSequence,
    status: 'visited',
    arrivalMs,
    departureMs: arrivalMs + 30_000,
    evidence: { method: 'slow-fixes', fixesInZone: 3, slowFixesInZone: 2 },
    distanceM: stopSequence * 500,
    boardings: taps.length,
    transactions: taps.length,
    revenueVnd: taps.reduce((n, t) => n + t.amountVnd, 0),
    taps,
  });
  const fare = (tapId: string, ts: number, card: Partial<AttributedTap> & { cardHash: string }, medium = 'card'): AttributedTap => ({
    tapId,
    ts,
    amountVnd: 7000,
    product: 'single',
    medium,
    ...card,
  });
  const T = Date.parse('2026-11-26T02:00:00Z');
  // Version 2 took over between the two stops: the tap at the second carries the card's version 1 hash as a link.
  const trip: JourneyRecord = {
    serviceDay: DAY,
    tripId: 'T1',
    busId: 'B1',
    operatorId: 'OP1',
    routeId: 'R1',
    classification: 'completed',
    source: 'duty',
    performed: { status: 'completed', performed: true, stopsVisited: 2, stopsSkipped: 0, stopsUnobserved: 0, startMs: T, endMs: T + 600_000, distanceM: 1000 },
    visits: [
      visit(1, T, [fare('before', T, { cardHash: 'h1-A' }), fare('cash', T + 1000, { cardHash: 'h1-cash' }, 'cash')]),
      visit(2, T + 600_000, [
        fare('after', T + 600_000, { cardHash: 'h2-A', cardKeyVersion: 2, cardLinkHashes: { 1: 'h1-A' } }),
        fare('other', T + 601_000, { cardHash: 'h2-B', cardKeyVersion: 2, cardLinkHashes: { 1: 'h1-B' } }),
        fare('new', T + 602_000, { cardHash: 'h3-C', cardKeyVersion: 3, cardLinkHashes: { 2: 'h2-C', 1: 'h1-C' } }),
      ]),
    ],
    computedAt: new Date(T + 3_600_000).toISOString(),
  };

  it("gives a card one token before and after the rotation: the hash under the oldest version a tap carries, never a cash payer's", () => {
    const csv = fareTransactionsCsv([trip]);
    expect(validateCsv(csv, tidesSchema('fare_transactions'))).toEqual([]);
    expect(Object.fromEntries(column(csv, 'transaction_id').map((id, i) => [id, column(csv, 'token_id')[i]]))).toEqual({
      'B1:before': 'h1-A',
      'B1:cash': '',
      'B1:after': 'h1-A',
      'B1:other': 'h1-B',
      'B1:new': 'h1-C',
    });
  });
});
