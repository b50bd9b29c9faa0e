/** The batch orchestration with in-memory stores: failure isolation per bus, write order, idempotent replays. */
import { describe, expect, it } from 'vitest';
import { buildRuleEnvelope, type GpsRecord } from '../../../shared/catalogue/index.js';
import { ingestBatch, type IngestDeps, type StreamRecord } from '../../../shared/domain/telemetry/ingest-batch.js';
import { defaultPlausibility } from '../../../shared/domain/telemetry/plausibility.js';
import type { BusTelemetry, TelemetryStore, VehicleAdvance, VehicleStateStore } from '../../../shared/domain/telemetry/ports.js';
import type { Reject } from '../../../shared/domain/telemetry/reject.js';
import type { VehicleState } from '../../../shared/domain/vehicles/vehicle-state.js';
import { silentLogger } from '../../../shared/domain/ports/logger.js';

const now = 1_790_000_000_000;
let seq = 0;
function gpsRecord(busId: string, ts: number[], body: object = {}, receivedAt = now): StreamRecord {
  const payload = JSON.stringify({ v: 1, msgId: `m${seq}`, busId, records: ts.map((t) => ({ ts: t, lat: 10.7, lon: 106.7 })), ...body });
  seq++;
  return {
    id: String(seq).padStart(8, '0'),
    partitionKey: busId,
    data: Buffer.from(JSON.stringify(buildRuleEnvelope(`bus/${busId}/gps`, Buffer.from(payload), receivedAt))),
    arrivalMs: receivedAt,
  };
}

class MemoryStores implements VehicleStateStore, TelemetryStore {
  states = new Map<string, VehicleState>();
  points = new Map<string, Map<number, GpsRecord>>();
  /** Device ts of the stored positions, per bus. */
  deviceTs = new Map<string, Set<number>>();
  chunkOffsets: number[] = [];
  writes: string[] = [];
  failWritesFor = new Set<string>();
  conflictFor = new Set<string>();
  rejects: Reject[] = [];

  async getMany(busIds: readonly string[]) {
    return new Map(busIds.flatMap((b) => (this.states.has(b) ? [[b, structuredClone(this.states.get(b)!)] as const] : [])));
  }
  async advance(advances: readonly VehicleAdvance[]) {
    const failures = new Map<string, Error>();
    for (const a of advances) {
      const current = this.states.get(a.busId);
      if (this.conflictFor.has(a.busId) || (current?.version ?? 0) !== a.expectedVersion) {
        failures.set(a.busId, new Error('version conflict'));
        continue;
      }
      this.writes.push(`vehicle:${a.busId}`);
      this.states.set(a.busId, {
        busId: a.busId,
        version: a.expectedVersion + 1,
        ...(a.position ? { position: a.position } : current?.position ? { position: current.position } : {}),
        ...(a.clock ? { clock: a.clock } : current?.clock ? { clock: current.clock } : {}),
      });
    }
    return failures;
  }
  async storedGpsTimestamps(busId: string, from: number, to: number) {
    return new Set([...(this.deviceTs.get(busId) ?? [])].filter((t) => t >= from && t <= to));
  }
  async readGps(busId: string) {
    return [...(this.points.get(busId)?.values() ?? [])].sort((a, b) => a.ts - b.ts);
  }
  async write(telemetry: readonly BusTelemetry[]) {
    const failures = new Map<string, Error>();
    for (const t of telemetry) {
      if (this.failWritesFor.has(t.busId)) {
        failures.set(t.busId, new Error('throttled'));
        continue;
      }
      this.writes.push(`telemetry:${t.busId}`);
      const m = this.points.get(t.busId) ?? new Map<number, GpsRecord>();
      const device = this.deviceTs.get(t.busId) ?? new Set<number>();
      for (const c of t.gpsChunks) {
        this.chunkOffsets.push(c.clockOffsetMs);
        for (const p of c.points) {
          m.set(p.ts, p);
          device.add(p.ts + c.clockOffsetMs);
        }
      }
      this.points.set(t.busId, m);
      this.deviceTs.set(t.busId, device);
    }
    return failures;
  }
}

function dutyRecord(busId: string, ts: number, body: Record<string, string>): StreamRecord {
  const payload = JSON.stringify({ v: 1, msgId: `d${seq}`, busId, ts, ...body });
  seq++;
  return {
    id: String(seq).padStart(8, '0'),
    partitionKey: busId,
    data: Buffer.from(JSON.stringify(buildRuleEnvelope(`bus/${busId}/duty`, Buffer.from(payload), now))),
    arrivalMs: now,
  };
}

/** Trip orders that record what they are told, failing for the ids in `failFor`. */
function tripOrderDesk(failFor: readonly string[] = []) {
  const told: { tripOrderId: string; evidence: string }[] = [];
  return {
    told,
    events: {
      tripStarted: async (tripOrderId: string, evidence: string) => {
        told.push({ tripOrderId, evidence });
        if (failFor.includes(tripOrderId)) throw new Error('trip orders table unavailable');
      },
    },
  };
}

function deps(stores: MemoryStores): IngestDeps {
  return {
    vehicles: stores,
    telemetry: stores,
    rejects: {
      put: async (r) => {
        stores.rejects.push(...r);
        return new Set();
      },
    },
    pseudonymise: (c) => `h${c}`,
    plausibility: defaultPlausibility,
    logger: silentLogger,
  };
}

describe('ingestBatch', () => {
  it('fails only the records of the bus whose write failed', async () => {
    const stores = new MemoryStores();
    stores.failWritesFor.add('B2');
    const records = [gpsRecord('B1', [now - 2000]), gpsRecord('B2', [now - 2000]), gpsRecord('B1', [now - 1000]), gpsRecord('B2', [now - 1000])];
    const { failures, stats } = await ingestBatch(records, deps(stores));
    expect([...failures.keys()]).toEqual([records[1]!.id, records[3]!.id]);
    expect(stores.states.get('B1')?.position?.ts).toBe(now - 1000);
    expect(stores.states.has('B2')).toBe(false);
    expect(stats).toMatchObject({ gpsStored: 2, failedBuses: 1 });
  });

  it('writes telemetry before the vehicle state', async () => {
    const stores = new MemoryStores();
    await ingestBatch([gpsRecord('B1', [now - 1000])], deps(stores));
    expect(stores.writes).toEqual(['telemetry:B1', 'vehicle:B1']);
  });

  it('fails a bus whose state changed under it, and succeeds on the retry', async () => {
    const stores = new MemoryStores();
    stores.conflictFor.add('B1');
    const records = [gpsRecord('B1', [now - 1000])];
    const first = await ingestBatch(records, deps(stores));
    expect([...first.failures.keys()]).toEqual([records[0]!.id]);
    stores.conflictFor.clear();
    const retry = await ingestBatch(records, deps(stores));
    expect(retry.failures.size).toBe(0);
    expect(stores.states.get('B1')?.position?.ts).toBe(now - 1000);
    expect(stores.points.get('B1')?.size).toBe(1);
  });

  it('is idempotent: replaying a batch stores nothing twice', async () => {
    const stores = new MemoryStores();
    const records = [gpsRecord('B1', [now - 3000, now - 2000]), gpsRecord('B1', [now - 1000])];
    await ingestBatch(records, deps(stores));
    const replay = await ingestBatch(records, deps(stores));
    expect(replay.stats).toMatchObject({ gpsStored: 0, gpsDuplicates: 3 });
    expect(stores.points.get('B1')?.size).toBe(3);
    expect(stores.states.get('B1')?.version).toBe(1);
  });

  it('stores rejects and keeps the good records of the batch', async () => {
    const stores = new MemoryStores();
    const bad = { ...gpsRecord('B1', [now]), data: Buffer.from('not an envelope') };
    const mismatch = gpsRecord('B1', [now - 500], { busId: 'B9' });
    const good = gpsRecord('B1', [now - 1000]);
    const { failures } = await ingestBatch([bad, mismatch, good], deps(stores));
    expect(failures.size).toBe(0);
    expect(stores.rejects.map((r) => r.code)).toEqual(['malformed-envelope', 'busid-mismatch']);
    expect(stores.points.get('B1')?.size).toBe(1);
  });

  it('retries the record whose reject could not be stored', async () => {
    const stores = new MemoryStores();
    const d = deps(stores);
    d.rejects = { put: async (r) => new Set(r.map((_, i) => i)) };
    const bad = { ...gpsRecord('B1', [now]), data: Buffer.from('{}') };
    const { failures } = await ingestBatch([bad, gpsRecord('B1', [now - 1000])], d);
    expect([...failures.keys()]).toEqual([bad.id]);
  });
});

describe('ingestBatch and derived data', () => {
  it('keeps telemetry stored and the batch successful when journeys cannot be recomputed', async () => {
    const stores = new MemoryStores();
    const d = deps(stores);
    let asked = 0;
    d.journeys = {
      busDaysAt: async () => {
        asked++;
        throw new Error('journeys table unavailable');
      },
    };
    const payload = JSON.stringify({ v: 1, msgId: 'e', busId: 'B1', ts: now - 1000, event: 'trip_end', tripId: 'T1' });
    const record = {
      id: '99',
      partitionKey: 'B1',
      data: Buffer.from(JSON.stringify(buildRuleEnvelope('bus/B1/duty', Buffer.from(payload), now))),
      arrivalMs: now,
    };
    const { failures } = await ingestBatch([record, gpsRecord('B1', [now - 500])], d);
    expect(asked).toBe(1);
    expect(failures.size).toBe(0);
    expect(stores.points.get('B1')?.size).toBe(1);
  });
});

describe('ingestBatch and arrival predictions', () => {
  it('hands the arrivals port the buses that moved, after their vehicle is stored', async () => {
    const stores = new MemoryStores();
    const asked: string[][] = [];
    const d: IngestDeps = { ...deps(stores), arrivals: { busesMoved: async (busIds) => void asked.push([...busIds].sort()) } };
    await ingestBatch([gpsRecord('B1', [now - 1000]), gpsRecord('B2', [now - 900])], d);
    expect(asked).toEqual([['B1', 'B2']]);
    expect(stores.writes).toContain('vehicle:B1');
  });

  it('keeps telemetry stored and the batch successful when arrivals cannot be predicted', async () => {
    const stores = new MemoryStores();
    const d: IngestDeps = {
      ...deps(stores),
      arrivals: {
        busesMoved: async () => {
          throw new Error('arrivals table unavailable');
        },
      },
    };
    const { failures } = await ingestBatch([gpsRecord('B1', [now - 500])], d);
    expect(failures.size).toBe(0);
    expect(stores.points.get('B1')?.size).toBe(1);
  });
});

describe('ingestBatch and the device clock', () => {
  /** One live position a message, every 10 s, from a device whose clock is `aheadMs` fast, received 300 ms later. */
  const liveFixes = (busId: string, n: number, aheadMs: number, from: number) =>
    Array.from({ length: n }, (_, i) => gpsRecord(busId, [from + i * 10_000 + aheadMs], {}, from + i * 10_000 + 300));

  it('stores positions in corrected time, keeps the device offset on the chunk and the estimator on the vehicle', async () => {
    const stores = new MemoryStores();
    const from = now - 600_000;
    await ingestBatch(liveFixes('B1', 8, 30_000, from), deps(stores));
    const clock = stores.states.get('B1')?.clock;
    expect(clock?.offsetMs).toBe(29_700);
    expect(clock?.samples).toHaveLength(8);
    const stored = [...stores.points.get('B1')!.keys()];
    expect(stored[0]).toBe(from + 300);
    expect(stores.chunkOffsets).toEqual([29_700]);
    // The vehicle's position stays in device time: it is the watermark the device's own order is judged by.
    expect(stores.states.get('B1')?.position?.ts).toBe(from + 70_000 + 30_000);
  });

  it('carries the estimate between batches, one vehicle write per batch, and stores a replay once', async () => {
    const stores = new MemoryStores();
    const from = now - 600_000;
    const records = liveFixes('B1', 12, -30_000, from);
    for (const r of records) await ingestBatch([r], deps(stores));
    expect(stores.writes.filter((w) => w.startsWith('vehicle:'))).toHaveLength(12);
    expect(stores.states.get('B1')?.clock?.offsetMs).toBe(-30_300);
    // The first four fixes came before the estimate was trusted and are stored as received; a replay of all of
    // them, judged under the estimate now in force, is still recognised by device time.
    const replay = await ingestBatch(records, deps(stores));
    expect(replay.stats).toMatchObject({ gpsStored: 0, gpsDuplicates: 12 });
    expect(stores.points.get('B1')?.size).toBe(12);
  });
});

describe('ingestBatch and trip orders (trip_start)', () => {
  it('puts each trip order named by a trip_start into service once, with the evidence', async () => {
    const stores = new MemoryStores();
    const desk = tripOrderDesk();
    const d = { ...deps(stores), tripOrders: desk.events };
    const records = [
      dutyRecord('B1', now - 3000, { event: 'trip_start', tripId: 'T1', tripOrderId: 'O1' }),
      dutyRecord('B1', now - 2000, { event: 'trip_start', tripId: 'T2', tripOrderId: 'O1' }),
      dutyRecord('B2', now - 2500, { event: 'trip_start', tripOrderId: 'O2' }),
    ];
    const { failures } = await ingestBatch(records, d);
    expect(failures.size).toBe(0);
    expect(desk.told).toEqual([
      { tripOrderId: 'O1', evidence: `B1 started trip T1 at ${new Date(now - 3000).toISOString()}` },
      { tripOrderId: 'O2', evidence: `B2 started trip ? at ${new Date(now - 2500).toISOString()}` },
    ]);
  });

  it('tells nothing for other duty events, a trip_start without an order, or positions', async () => {
    const stores = new MemoryStores();
    const desk = tripOrderDesk();
    const d = { ...deps(stores), tripOrders: desk.events };
    await ingestBatch(
      [
        dutyRecord('B1', now - 4000, { event: 'sign_on', tripOrderId: 'O1', driverId: 'D1' }),
        dutyRecord('B1', now - 3000, { event: 'trip_start', tripId: 'T1' }),
        dutyRecord('B1', now - 2000, { event: 'trip_end', tripId: 'T1', tripOrderId: 'O1' }),
        dutyRecord('B1', now - 1500, { event: 'sign_off', tripOrderId: 'O1' }),
        gpsRecord('B1', [now - 1000]),
      ],
      d,
    );
    expect(desk.told).toEqual([]);
  });

  it('does not tell of a trip_start whose bus failed to store its telemetry', async () => {
    const stores = new MemoryStores();
    stores.failWritesFor.add('B1');
    const desk = tripOrderDesk();
    await ingestBatch([dutyRecord('B1', now - 3000, { event: 'trip_start', tripId: 'T1', tripOrderId: 'O1' })], { ...deps(stores), tripOrders: desk.events });
    expect(desk.told).toEqual([]);
  });

  it("keeps the telemetry stored but retries the starting bus's records when the order cannot be told; other buses are unaffected", async () => {
    const stores = new MemoryStores();
    const desk = tripOrderDesk(['O1']);
    const d = { ...deps(stores), tripOrders: desk.events };
    const start = dutyRecord('B1', now - 3000, { event: 'trip_start', tripId: 'T1', tripOrderId: 'O1' });
    const b1Gps = gpsRecord('B1', [now - 1000]);
    const b2 = dutyRecord('B2', now - 3000, { event: 'trip_start', tripId: 'T9', tripOrderId: 'O2' });
    const { failures, stats } = await ingestBatch([start, b1Gps, b2], d);
    expect([...failures.keys()].sort()).toEqual([start.id, b1Gps.id].sort());
    expect(failures.get(start.id)?.message).toBe('trip orders table unavailable');
    expect(stats.failedBuses).toBe(1);
    // Already written: the retry rewrites the same keys.
    expect(stores.points.get('B1')?.size).toBe(1);
    expect(stores.writes).toContain('vehicle:B1');
    expect(desk.told.map((t) => t.tripOrderId).sort()).toEqual(['O1', 'O2']);
  });

  it('skips journeys of a bus whose trip order could not be told (they come with the retry)', async () => {
    const stores = new MemoryStores();
    const desk = tripOrderDesk(['O1']);
    const asked: string[] = [];
    const d: IngestDeps = { ...deps(stores), tripOrders: desk.events, journeys: { busDaysAt: async (busId) => void asked.push(busId) } };
    await ingestBatch(
      [
        dutyRecord('B1', now - 3000, { event: 'trip_start', tripId: 'T1', tripOrderId: 'O1' }),
        dutyRecord('B1', now - 2000, { event: 'trip_end', tripId: 'T1', tripOrderId: 'O1' }),
      ],
      d,
    );
    expect(asked).toEqual([]);
  });
});

describe('ingestBatch and due journeys', () => {
  it('hands the journeys port the bus and the instant of each trip_end, not a service day', async () => {
    const stores = new MemoryStores();
    const asked: [string, readonly number[]][] = [];
    const d: IngestDeps = { ...deps(stores), journeys: { busDaysAt: async (busId, instants) => void asked.push([busId, instants]) } };
    // Which service day the instant falls on is the network's to say (its time zone): the port gets the instant.
    const endTs = now - 1000;
    await ingestBatch(
      [
        dutyRecord('B1', endTs - 60_000, { event: 'trip_start', tripId: 'T1' }),
        dutyRecord('B1', endTs, { event: 'trip_end', tripId: 'T1' }),
        dutyRecord('B2', endTs, { event: 'sign_off' }),
      ],
      d,
    );
    expect(asked).toEqual([['B1', [endTs]]]);
  });

  it('hands the span of late positions that were stored', async () => {
    const stores = new MemoryStores();
    await ingestBatch([gpsRecord('B1', [now - 1000])], deps(stores));
    const asked: [string, readonly number[]][] = [];
    const d: IngestDeps = { ...deps(stores), journeys: { busDaysAt: async (busId, instants) => void asked.push([busId, instants]) } };
    await ingestBatch([gpsRecord('B1', [now - 9000, now - 5000, now - 1000])], d);
    expect(asked).toEqual([['B1', [now - 9000, now - 5000]]]);
  });
});
