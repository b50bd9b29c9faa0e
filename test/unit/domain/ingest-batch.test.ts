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
  return { id: String(seq).padStart(8, '0'), partitionKey: busId, data: Buffer.from(JSON.stringify(buildRuleEnvelope(`bus/${busId}/gps`, Buffer.from(payload), receivedAt))), arrivalMs: receivedAt };
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

function deps(stores: MemoryStores): IngestDeps {
  return {
    vehicles: stores,
    telemetry: stores,
    rejects: { put: async (r) => (stores.rejects.push(...r), new Set()) },
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
    d.journeys = { busDay: async () => void (asked++, (() => { throw new Error('journeys table unavailable'); })()) };
    const payload = JSON.stringify({ v: 1, msgId: 'e', busId: 'B1', ts: now - 1000, event: 'trip_end', tripId: 'T1' });
    const record = { id: '99', partitionKey: 'B1', data: Buffer.from(JSON.stringify(buildRuleEnvelope('bus/B1/duty', Buffer.from(payload), now))), arrivalMs: now };
    const { failures } = await ingestBatch([record, gpsRecord('B1', [now - 500])], d);
    expect(asked).toBe(1);
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
