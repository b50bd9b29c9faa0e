/** Each step of ingesting a batch alone: decoding, failures per bus, vehicle writes, trip order starts, due journeys, figures. */
import { describe, expect, it } from 'vitest';
import { buildRuleEnvelope } from '../../../shared/catalogue/index.js';
import { ingestStats } from '../../../shared/domain/telemetry/ingest-batch.js';
import {
  BatchFailures,
  busTelemetryOf,
  decodeBatch,
  dueJourneyInstants,
  planBuses,
  recomputeDueJourneys,
  startTripOrders,
  storeRejects,
  type StreamRecord,
  tripOrderStarts,
  vehicleAdvances,
} from '../../../shared/domain/telemetry/ingest-steps.js';
import { defaultPlausibility } from '../../../shared/domain/telemetry/plausibility.js';
import type { VehicleState } from '../../../shared/domain/vehicles/vehicle-state.js';
import { silentLogger } from '../../../shared/domain/ports/logger.js';

const now = 1_790_000_000_000;
let seq = 0;
function record(busId: string, kind: string, body: object, topicBusId = busId): StreamRecord {
  const payload = JSON.stringify({ v: 1, msgId: `m${seq}`, busId, ...body });
  seq++;
  const data = Buffer.from(JSON.stringify(buildRuleEnvelope(`bus/${topicBusId}/${kind}`, Buffer.from(payload), now)));
  return { id: `r${seq}`, partitionKey: busId, data, arrivalMs: now };
}
const gps = (busId: string, ts: number[]) => record(busId, 'gps', { records: ts.map((t) => ({ ts: t, lat: 10.7, lon: 106.7 })) });
const duty = (busId: string, ts: number, body: Record<string, string>) => record(busId, 'duty', { ts, ...body });

function plansOf(records: StreamRecord[], states = new Map<string, VehicleState>()) {
  const batch = decodeBatch(records, defaultPlausibility);
  return { batch, plans: planBuses(batch.messagesByBus, states, (c) => `h${c}`), failures: new BatchFailures(batch.recordIdsByBus) };
}

describe('decodeBatch', () => {
  it('groups valid messages by bus in arrival order and keeps each reject with its record', () => {
    const a = gps('B1', [now - 2000]);
    const bad = { ...gps('B1', [now]), data: Buffer.from('not an envelope') };
    const b = gps('B2', [now - 1000]);
    const c = gps('B1', [now - 1000]);
    const batch = decodeBatch([a, bad, b, c], defaultPlausibility);
    expect([...batch.recordIdsByBus]).toEqual([
      ['B1', [a.id, bad.id, c.id]],
      ['B2', [b.id]],
    ]);
    expect([...batch.messagesByBus].map(([bus, ms]) => [bus, ms.length])).toEqual([
      ['B1', 2],
      ['B2', 1],
    ]);
    expect(batch.rejects.map((r) => [r.recordId, r.reject.code])).toEqual([[bad.id, 'malformed-envelope']]);
  });

  it('handles an empty batch', () => {
    expect(decodeBatch([], defaultPlausibility)).toEqual({ recordIdsByBus: new Map(), messagesByBus: new Map(), rejects: [] });
  });
});

describe('BatchFailures', () => {
  it('fails every record of a bus, and a single record alone', () => {
    const failures = new BatchFailures(
      new Map([
        ['B1', ['r1', 'r3']],
        ['B2', ['r2']],
      ]),
    );
    failures.failBus('B1', new Error('throttled'));
    failures.failRecord('r2', new Error('could not store reject'));
    expect([...failures.records.keys()]).toEqual(['r1', 'r3', 'r2']);
    expect(failures.has('B1')).toBe(true);
    expect(failures.has('B2')).toBe(false);
  });
});

describe('storeRejects', () => {
  it('retries the records whose rejects could not be stored, and asks nothing of the store without rejects', async () => {
    const { batch, failures } = plansOf([
      { ...gps('B1', [now]), data: Buffer.from('{}') },
      { ...gps('B1', [now]), data: Buffer.from('x') },
    ]);
    await storeRejects(batch.rejects, { put: async () => new Set([1]) }, failures, silentLogger);
    expect([...failures.records.keys()]).toEqual([batch.rejects[1]!.recordId]);
    let asked = 0;
    const counting = {
      put: async () => {
        asked++;
        return new Set<number>();
      },
    };
    await storeRejects([], counting, failures, silentLogger);
    expect(asked).toBe(0);
  });
});

describe('busTelemetryOf', () => {
  it('chunks the new late positions before the fresh ones, in corrected time', () => {
    const { plans } = plansOf(
      [gps('B1', [now - 3000, now - 1000])],
      new Map([['B1', { busId: 'B1', version: 1, position: { ts: now - 2000, lat: 10.7, lon: 106.7, receivedAt: now } }]]),
    );
    const plan = plans[0]!;
    expect(plan.lateGps.map((p) => p.ts)).toEqual([now - 3000]);
    expect(busTelemetryOf(plan, plan.lateGps).gpsChunks.map((c) => c.points.map((p) => p.ts))).toEqual([[now - 3000], [now - 1000]]);
    expect(busTelemetryOf(plan, []).gpsChunks.map((c) => c.points.map((p) => p.ts))).toEqual([[now - 1000]]);
  });
});

describe('vehicleAdvances', () => {
  it('writes the buses still standing that moved, under the version read', () => {
    const { plans, failures } = plansOf(
      [gps('B1', [now - 1000]), gps('B2', [now - 1000]), record('B3', 'wifi', { ts: now - 1000, up: true, clients: 1, bytesIn: 0, bytesOut: 0 })],
      new Map([['B1', { busId: 'B1', version: 4 }]]),
    );
    failures.failBus('B2', new Error('throttled'));
    const advances = vehicleAdvances(plans, new Map([['B1', { busId: 'B1', version: 4 }]]), failures);
    expect(advances.map((a) => [a.busId, a.expectedVersion, a.position?.ts])).toEqual([['B1', 4, now - 1000]]);
  });
});

describe('tripOrderStarts', () => {
  it('names each order of a trip_start once, with the bus that started it and the first start as evidence', () => {
    const { plans, failures } = plansOf([
      duty('B1', now - 5000, { event: 'trip_start', tripId: 'T1', tripOrderId: 'O1' }),
      duty('B1', now - 4000, { event: 'trip_end', tripId: 'T1', tripOrderId: 'O3' }),
      duty('B2', now - 3000, { event: 'trip_start', tripId: 'T7', tripOrderId: 'O1' }),
      duty('B2', now - 2000, { event: 'trip_start', tripOrderId: 'O2' }),
      duty('B3', now - 2000, { event: 'trip_start', tripId: 'T8' }),
    ]);
    expect(tripOrderStarts(plans, failures)).toEqual([
      { tripOrderId: 'O1', busId: 'B1', evidence: `B1 started trip T1 at ${new Date(now - 5000).toISOString()}` },
      { tripOrderId: 'O2', busId: 'B2', evidence: `B2 started trip ? at ${new Date(now - 2000).toISOString()}` },
    ]);
  });

  it('leaves out the starts of a failed bus', () => {
    const { plans, failures } = plansOf([duty('B1', now - 5000, { event: 'trip_start', tripId: 'T1', tripOrderId: 'O1' })]);
    failures.failBus('B1', new Error('throttled'));
    expect(tripOrderStarts(plans, failures)).toEqual([]);
  });
});

describe('startTripOrders', () => {
  it('fails the starting bus when its order cannot be told, and tells the others', async () => {
    const { plans, failures, batch } = plansOf([
      duty('B1', now - 5000, { event: 'trip_start', tripId: 'T1', tripOrderId: 'O1' }),
      duty('B2', now - 5000, { event: 'trip_start', tripId: 'T2', tripOrderId: 'O2' }),
    ]);
    const told: string[] = [];
    await startTripOrders(
      plans,
      {
        tripStarted: async (id) => {
          told.push(id);
          if (id === 'O1') throw new Error('conflict');
        },
      },
      failures,
      2,
    );
    expect(told.sort()).toEqual(['O1', 'O2']);
    expect([...failures.buses]).toEqual(['B1']);
    expect([...failures.records.keys()]).toEqual(batch.recordIdsByBus.get('B1'));
  });
});

describe('dueJourneyInstants', () => {
  it('names the trip_end instants and the ends of late position chunks, per bus still standing', () => {
    const state: VehicleState = { busId: 'B2', version: 1, position: { ts: now - 1000, lat: 10.7, lon: 106.7, receivedAt: now } };
    const { plans, failures } = plansOf(
      [
        duty('B1', now - 9000, { event: 'trip_start', tripId: 'T1' }),
        duty('B1', now - 4000, { event: 'trip_end', tripId: 'T1' }),
        gps('B2', [now - 8000, now - 6000, now - 500]),
        duty('B3', now - 4000, { event: 'trip_end', tripId: 'T3' }),
        gps('B4', [now - 500]),
      ],
      new Map([['B2', state]]),
    );
    const telemetry = plans.map((p) => busTelemetryOf(p, p.lateGps));
    failures.failBus('B3', new Error('throttled'));
    expect([...dueJourneyInstants(plans, telemetry, failures)]).toEqual([
      ['B1', [now - 4000]],
      ['B2', [now - 8000, now - 6000, now - 500]],
    ]);
  });
});

describe('recomputeDueJourneys', () => {
  it('asks once per bus and logs a failure instead of throwing', async () => {
    const asked: string[] = [];
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (message: string) => void errors.push(message) };
    const recomputed = await recomputeDueJourneys(
      new Map([
        ['B1', [1]],
        ['B2', [2, 3]],
      ]),
      {
        busDaysAt: async (busId) => {
          asked.push(busId);
          if (busId === 'B2') throw new Error('journeys table unavailable');
        },
      },
      logger,
    );
    expect(asked.sort()).toEqual(['B1', 'B2']);
    expect(errors).toEqual(['journeys not recomputed']);
    expect(recomputed).toBe(1);
  });
});

describe('ingestStats', () => {
  it('counts what the standing buses stored', () => {
    const { plans } = plansOf([gps('B1', [now - 2000, now - 1000]), record('B1', 'wifi', { ts: now - 1000, up: true, clients: 1, bytesIn: 0, bytesOut: 0 })]);
    const stored = plans.map((p) => busTelemetryOf(p, p.lateGps));
    expect(ingestStats(3, ['schema'], 2, stored, 0, 1)).toEqual({
      records: 3,
      gpsStored: 2,
      gpsDuplicates: 2,
      taps: 0,
      wifi: 1,
      dutyEvents: 0,
      rejects: 1,
      rejectsByCode: { schema: 1 },
      failedBuses: 0,
      journeysRecomputed: 1,
    });
  });

  it('counts rejects by code', () => {
    expect(ingestStats(4, ['schema', 'implausible', 'schema'], 0, [], 0, 0)).toMatchObject({
      rejects: 3,
      rejectsByCode: { schema: 2, implausible: 1 },
    });
  });
});
