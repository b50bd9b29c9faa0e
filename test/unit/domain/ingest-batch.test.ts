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
function gpsRecord(busId: string, ts: number[], body: object = {}): StreamRecord {
  const payload = JSON.stringify({ v: 1, msgId: `m${seq}`, busId, records: ts.map((t) => ({ ts: t, lat: 10.7, lon: 106.7 })), ...body });
  seq++;
  return { id: String(seq).padStart(8, '0'), partitionKey: busId, data: Buffer.from(JSON.stringify(buildRuleEnvelope(`bus/${busId}/gps`, Buffer.from(payload), now))), arrivalMs: now };
}

class MemoryStores implements VehicleStateStore, TelemetryStore {
  states = new Map<string, VehicleState>();
  points = new Map<string, Map<number, GpsRecord>>();
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
      this.states.set(a.busId, { busId: a.busId, version: a.expectedVersion + 1, ...(a.position ? { position: a.position } : current?.position ? { position: current.position } : {}) });
    }
    return failures;
  }
  async storedGpsTimestamps(busId: string, from: number, to: number) {
    return new Set([...(this.points.get(busId)?.keys() ?? [])].filter((t) => t >= from && t <= to));
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
      for (const c of t.gpsChunks) for (const p of c.points) m.set(p.ts, p);
      this.points.set(t.busId, m);
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
