/**
 * The DynamoDB adapters on DynamoDB Local: conditional vehicle writes, buses by plate, GPS chunks across days,
 * replayed events, complaints by day, the arrivals cache by stop and trip, the registry of stop boards.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRuleEnvelope } from '../../shared/catalogue/index.js';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { VersionConflict } from '../../shared/adapters/dynamodb/vehicle-repository.js';
import { DynamoComplaintRepository } from '../../shared/adapters/dynamodb/complaint-repository.js';
import type { Complaint } from '../../shared/domain/complaints/types.js';
import { queryAll } from '../../shared/adapters/dynamodb/query-all.js';
import { createIngestDeps } from '../../functions/ingest-telemetry/deps.js';
import { createIngestHandler } from '../../functions/ingest-telemetry/ingest-handler.js';
import { chunkGpsPoints } from '../../shared/domain/telemetry/gps-chunks.js';
import { silentLogger } from '../../shared/domain/ports/logger.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { TEST_NOW } from '../support/test-clock.js';
import { DynamoTravelTimeRepository } from '../../shared/adapters/dynamodb/travel-time-repository.js';
import { emptyHistory, learnFromVisits } from '../../shared/domain/predictions/travel-time-history.js';
import type { StopVisit } from '../../shared/domain/journeys/types.js';
import { DynamoArrivalsRepository } from '../../shared/adapters/dynamodb/arrivals-repository.js';
import { DynamoBoardRegistry } from '../../shared/adapters/dynamodb/board-registry.js';
import type { CachedArrival } from '../../shared/domain/predictions/serving.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('queries', () => {
  it('reads every page of a query, in key order, and leaves the caller’s input as it was', async () => {
    const table = stack.config.tableNames.rejects;
    for (let i = 0; i < 23; i++) await stack.doc.send(new PutCommand({ TableName: table, Item: { pk: 'QUERY-ALL', sk: `s${String(i).padStart(2, '0')}` } }));
    const input = { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'QUERY-ALL' }, Limit: 5 };
    const items = await queryAll(stack.doc, input);
    expect(items.map((i) => i.sk)).toEqual(Array.from({ length: 23 }, (_, i) => `s${String(i).padStart(2, '0')}`));
    expect(input).not.toHaveProperty('ExclusiveStartKey');
  });
});

const pos = (ts: number) => ({ ts, lat: 10.7, lon: 106.7, receivedAt: ts });

describe('vehicle repository', () => {
  it('advances vehicles whose version is current and reports the one that changed', async () => {
    for (const busId of ['V1', 'V2', 'V3']) await stack.vehicles.register({ busId, operatorId: 'OP1', plate: '51B-000.01' });
    const failures = await stack.vehicles.advance([
      { busId: 'V1', expectedVersion: 0, position: pos(1000) },
      { busId: 'V2', expectedVersion: 5, position: pos(1000) },
      { busId: 'V3', expectedVersion: 0, position: pos(2000), duty: { tsMs: 2000, onDuty: true, driverId: 'D1' } },
    ]);
    expect([...failures.keys()]).toEqual(['V2']);
    expect(failures.get('V2')).toBeInstanceOf(VersionConflict);
    expect(await stack.vehicles.get('V1')).toMatchObject({ version: 1, operatorId: 'OP1', plate: '51B-000.01', position: { ts: 1000 } });
    expect(await stack.vehicles.get('V2')).toMatchObject({ version: 0 });
    expect(await stack.vehicles.get('V3')).toMatchObject({ version: 1, duty: { driverId: 'D1' } });
  });

  it('keeps the clock estimator on the vehicle item', async () => {
    const clock = {
      offsetMs: 29_700,
      estimateMs: 29_700,
      samples: [
        [1000, -29_700],
        [11_000, -29_650],
      ] as [number, number][],
    };
    expect((await stack.vehicles.advance([{ busId: 'CLOCK-V1', expectedVersion: 0, position: pos(1000), clock }])).size).toBe(0);
    expect(await stack.vehicles.get('CLOCK-V1')).toMatchObject({ version: 1, clock });
  });

  it('advances hundreds of vehicles in one call', async () => {
    const advances = Array.from({ length: 250 }, (_, i) => ({ busId: `MANY-${i}`, expectedVersion: 0, position: pos(i + 1) }));
    expect((await stack.vehicles.advance(advances)).size).toBe(0);
    const states = await stack.vehicles.getMany(advances.map((a) => a.busId));
    expect(states.size).toBe(250);
    expect(states.get('MANY-249')?.position?.ts).toBe(250);
  });

  it('never returns the local MQTT credential with the state', async () => {
    await stack.vehicles.register({ busId: 'SECRET-1', operatorId: 'OP1', plate: '51B-000.02' }, 'a'.repeat(64));
    expect(JSON.stringify(await stack.vehicles.get('SECRET-1'))).not.toContain('aaaa');
    expect((await stack.vehicles.getRegistration('SECRET-1'))?.localCredentialSha256).toBe('a'.repeat(64));
  });
});

describe('buses by plate', () => {
  it('finds a bus by its plate however it is written, and follows a plate moved to another bus', async () => {
    await stack.vehicles.register({ busId: 'PLATE-1', operatorId: 'OP1', plate: '51B-777.01' });
    await stack.vehicles.register({ busId: 'PLATE-2', operatorId: 'OP2', plate: '51B-777.02' });
    for (const written of ['51B-777.01', '51b 77701', '51B77701']) expect(await stack.vehicles.busesOfPlate(written)).toEqual(['PLATE-1']);
    expect(await stack.vehicles.busesOfPlate('51B-777.03')).toEqual([]);
    expect(await stack.vehicles.busesOfPlate('--')).toEqual([]);
    await stack.vehicles.register({ busId: 'PLATE-2', operatorId: 'OP2', plate: '51B-777.03' });
    expect(await stack.vehicles.busesOfPlate('51B-777.03')).toEqual(['PLATE-2']);
    expect(await stack.vehicles.busesOfPlate('51B-777.02')).toEqual([]);
  });
});

describe('complaint repository', () => {
  const complaint = (id: string, atMs: number, operatorIds: string[], verdict: Complaint['verdict']): Complaint => ({
    id,
    kind: 'skipped-stop',
    routeId: 'R1',
    stopId: 'BTH',
    at: new Date(atMs).toISOString(),
    serviceDay: '2026-03-10',
    receivedAt: new Date(TEST_NOW).toISOString(),
    recordedBy: { role: 'centre', id: 'centre-1' },
    window: { from: new Date(atMs - 900_000).toISOString(), to: new Date(atMs + 900_000).toISOString() },
    verdict,
    summary: { vi: 'Không có dữ liệu.', en: 'No data.' },
    evidence: [],
    operatorIds,
    confirmedOperatorIds: verdict === 'confirmed-skipped' ? operatorIds : [],
  });

  it('stores a complaint once, for two years, and lists a day’s in time order by operator and verdict, page by page', async () => {
    const repo = new DynamoComplaintRepository(stack.doc, stack.config.tableNames.complaints);
    const c1 = complaint('CMP-1', TEST_NOW - 3_600_000, ['OP1'], 'confirmed-skipped');
    const c2 = complaint('CMP-2', TEST_NOW - 7_200_000, ['OP1', 'OP2'], 'bus-stopped');
    const c3 = complaint('CMP-3', TEST_NOW - 1_800_000, ['OP2'], 'confirmed-skipped');
    for (const c of [c1, c2, c3]) await repo.put(c);
    await expect(repo.put(c1)).rejects.toThrow();
    expect(await repo.get('CMP-1')).toEqual(c1);
    expect(await repo.get('CMP-9')).toBeUndefined();
    const { Item } = await stack.doc.send(new GetCommand({ TableName: stack.config.tableNames.complaints, Key: { id: 'CMP-1' } }));
    expect(Item!.expiresAt).toBe(Math.floor(TEST_NOW / 1000) + 730 * 86_400);

    expect((await repo.listDay('2026-03-10')).map((c) => c.id)).toEqual(['CMP-2', 'CMP-1', 'CMP-3']);
    expect((await repo.listDay('2026-03-11')).map((c) => c.id)).toEqual([]);
    const first = await repo.page({ serviceDay: '2026-03-10' }, 2);
    expect(first.items.map((c) => c.id)).toEqual(['CMP-2', 'CMP-1']);
    expect((await repo.page({ serviceDay: '2026-03-10' }, 2, first.lastKey)).items.map((c) => c.id)).toEqual(['CMP-3']);
    expect((await repo.page({ serviceDay: '2026-03-10', operatorId: 'OP2' }, 50)).items.map((c) => c.id)).toEqual(['CMP-2', 'CMP-3']);
    expect((await repo.page({ serviceDay: '2026-03-10', operatorId: 'OP1', verdict: 'confirmed-skipped' }, 50)).items.map((c) => c.id)).toEqual(['CMP-1']);
  });
});

describe('telemetry repository', () => {
  it('reads positions back across chunks and service days, within the asked range only', async () => {
    const start = Date.parse('2026-11-26T19:50:00Z'); // 02:50 local: the service day changes at 03:00
    const points = Array.from({ length: 40 }, (_, i) => ({ ts: start + i * 30_000, lat: 10.7, lon: 106.7 }));
    const chunks = chunkGpsPoints(points);
    expect(new Set(chunks.map((c) => c.serviceDay)).size).toBe(2);
    expect((await stack.telemetry.write([{ busId: 'READ-1', gpsChunks: chunks, taps: [], wifi: [], dutyEvents: [] }])).size).toBe(0);
    const all = await stack.telemetry.readGps('READ-1', start, start + 40 * 30_000);
    expect(all.map((p) => p.ts)).toEqual(points.map((p) => p.ts));
    const some = await stack.telemetry.readGps('READ-1', start + 5 * 30_000, start + 25 * 30_000);
    expect(some).toHaveLength(21);
  });

  it('stores corrected time for journeys and keeps the device time, keyed by the device time', async () => {
    const deviceStart = Date.parse('2026-11-26T01:00:30Z'); // a clock 30 s fast
    const offsetMs = 30_000;
    const points = Array.from({ length: 5 }, (_, i) => ({ ts: deviceStart + i * 10_000, lat: 10.7, lon: 106.7 }));
    const duty = {
      v: 1 as const,
      msgId: 'd1',
      busId: 'CLOCK-1',
      event: 'trip_start' as const,
      tripId: 'T1',
      ts: deviceStart - offsetMs,
      deviceTs: deviceStart,
      receivedAt: deviceStart - offsetMs + 300,
    };
    const wifi = {
      v: 1 as const,
      msgId: 'w1',
      busId: 'CLOCK-1',
      up: true,
      clients: 3,
      bytesIn: 10,
      bytesOut: 5,
      ts: deviceStart - offsetMs,
      deviceTs: deviceStart,
      receivedAt: deviceStart - offsetMs + 300,
    };
    const bus = { busId: 'CLOCK-1', gpsChunks: chunkGpsPoints(points, offsetMs), taps: [], wifi: [wifi], dutyEvents: [duty] };
    expect((await stack.telemetry.write([bus])).size).toBe(0);
    const read = await stack.telemetry.readGps('CLOCK-1', deviceStart - 60_000, deviceStart + 60_000);
    expect(read.map((p) => p.ts)).toEqual(points.map((p) => p.ts - offsetMs));
    const stored = await stack.telemetry.storedGpsTimestamps('CLOCK-1', deviceStart, deviceStart + 40_000, offsetMs);
    expect([...stored].sort()).toEqual(points.map((p) => p.ts));
    const [storedDuty] = await stack.telemetry.list('CLOCK-1', '2026-11-26', 'duty');
    expect(storedDuty).toMatchObject({ ts: deviceStart - offsetMs, deviceTs: deviceStart, sk: `DUTY#${new Date(deviceStart).toISOString()}#trip_start` });
    // A redelivery under a slightly different estimate lands on the same items.
    const again = { ...bus, gpsChunks: [], wifi: [{ ...wifi, ts: deviceStart - offsetMs + 200 }], dutyEvents: [{ ...duty, ts: deviceStart - offsetMs + 200 }] };
    expect((await stack.telemetry.write([again])).size).toBe(0);
    expect(await stack.telemetry.list('CLOCK-1', '2026-11-26', 'duty')).toHaveLength(1);
    expect(await stack.telemetry.list('CLOCK-1', '2026-11-26', 'wifi')).toHaveLength(1);
  });
});

describe('travel-time repository', () => {
  it('keeps a pattern’s learned history across service days, and which visits were learned for the day saved only', async () => {
    const repo = new DynamoTravelTimeRepository(stack.doc, stack.config.tableNames.travelTimes);
    const h = emptyHistory();
    const visit = (stopSequence: number, arrivalMs: number, departureMs: number): StopVisit => ({
      stopId: `S${stopSequence}`,
      stopSequence,
      status: 'visited',
      arrivalMs,
      departureMs,
      dwellS: (departureMs - arrivalMs) / 1000,
      evidence: { method: 'slow-fixes', fixesInZone: 3, slowFixesInZone: 2 },
    });
    const visits = [visit(1, TEST_NOW, TEST_NOW + 10_000), visit(2, TEST_NOW + 190_000, TEST_NOW + 220_000)];
    learnFromVisits(h, { tripId: 'T1', patternId: 'P-DAYS', visits, scheduledSegmentS: () => 120 });
    await repo.save('P-DAYS', '2026-03-10', h);

    const sameDay = await repo.load('P-DAYS', '2026-03-10');
    expect(sameDay.segments).toEqual(h.segments);
    expect(sameDay.learned).toEqual(new Set(['T1|1', 'T1|2']));
    const nextDay = await repo.load('P-DAYS', '2026-03-11');
    expect(nextDay.segments).toEqual(h.segments);
    expect(nextDay.dwells).toEqual(h.dwells);
    expect(nextDay.recent).toEqual(h.recent);
    expect(nextDay.learned.size).toBe(0);
    // The next day's run of the same trip id is learned on top of the day before's.
    const DAY = 24 * 3_600_000;
    learnFromVisits(nextDay, {
      tripId: 'T1',
      patternId: 'P-DAYS',
      visits: visits.map((v) => ({ ...v, arrivalMs: v.arrivalMs! + DAY, departureMs: v.departureMs! + DAY })),
      scheduledSegmentS: () => 120,
    });
    await repo.save('P-DAYS', '2026-03-11', nextDay);
    expect([...(await repo.load('P-DAYS', '2026-03-11')).segments.values()]).toEqual([{ meanS: 180, n: 2 }]);
  });
});

describe('arrivals cache', () => {
  const predicted = (tripId: string, predictedMs: number): CachedArrival => ({
    kind: 'predicted',
    tripId,
    busId: 'B1',
    stopSequence: 3,
    predictedMs,
    delayS: 30,
    stopsAway: 2,
    distanceM: 800,
    fixTsMs: TEST_NOW,
    occupancy: { tapsThisTrip: 12, wifiClients: 4 },
  });

  it('keeps one small item per stop and trip, reads a stop’s with one query, removes one trip’s alone', async () => {
    const table = stack.config.tableNames.arrivals;
    const arrivals = new DynamoArrivalsRepository(stack.doc, table);
    await arrivals.putEntries(
      [
        { stopId: 'ARR-S1', tripId: 'T1', entry: predicted('T1', TEST_NOW + 60_000) },
        { stopId: 'ARR-S1', tripId: 'T2', entry: { kind: 'passed', tripId: 'T2', busId: 'B2', fixTsMs: TEST_NOW } },
        { stopId: 'ARR-S1', tripId: 'T3', entry: predicted('T3', TEST_NOW + 120_000) },
        { stopId: 'ARR-S2', tripId: 'T1', entry: predicted('T1', TEST_NOW + 180_000) },
      ],
      TEST_NOW,
    );
    const { Item } = await stack.doc.send(new GetCommand({ TableName: table, Key: { stopId: 'ARR-S1', tripId: 'T1' } }));
    // A write is billed by its own entry: well under 1 KB.
    expect(Buffer.byteLength(JSON.stringify(Item))).toBeLessThan(512);
    const s1 = await arrivals.ofStop('ARR-S1', TEST_NOW);
    expect([...s1.keys()].sort()).toEqual(['T1', 'T2', 'T3']);
    expect(s1.get('T1')).toEqual(predicted('T1', TEST_NOW + 60_000));
    expect(s1.get('T2')).toMatchObject({ kind: 'passed', busId: 'B2' });

    await arrivals.putEntries([{ stopId: 'ARR-S1', tripId: 'T1' }], TEST_NOW + 1000);
    expect([...(await arrivals.ofStop('ARR-S1', TEST_NOW + 1000)).keys()].sort()).toEqual(['T2', 'T3']);
    expect([...(await arrivals.ofStop('ARR-S2', TEST_NOW + 1000)).keys()]).toEqual(['T1']);
  });

  it('does not read an entry past its expiry (TTL deletes days late: yesterday’s run of the trip)', async () => {
    const arrivals = new DynamoArrivalsRepository(stack.doc, stack.config.tableNames.arrivals);
    await arrivals.putEntries([{ stopId: 'ARR-S3', tripId: 'T1', entry: { kind: 'passed', tripId: 'T1', busId: 'B1', fixTsMs: TEST_NOW } }], TEST_NOW);
    expect((await arrivals.ofStop('ARR-S3', TEST_NOW + 2 * 3_600_000)).size).toBe(1);
    expect((await arrivals.ofStop('ARR-S3', TEST_NOW + 24 * 3_600_000)).size).toBe(0);
  });
});

describe('stop boards registry', () => {
  it('lists the stops with a board, read again after a minute', async () => {
    const table = stack.config.tableNames.vehicles;
    const registry = new DynamoBoardRegistry(stack.doc, table);
    await registry.add('BOARD-S1');
    await registry.add('BOARD-S1');
    expect(await registry.stopsWithBoards(TEST_NOW)).toEqual(new Set(['BOARD-S1']));
    await new DynamoBoardRegistry(stack.doc, table).add('BOARD-S2');
    expect(await registry.stopsWithBoards(TEST_NOW + 30_000)).toEqual(new Set(['BOARD-S1']));
    expect(await registry.stopsWithBoards(TEST_NOW + 60_000)).toEqual(new Set(['BOARD-S1', 'BOARD-S2']));
  });
});

describe('ingest handler on a Kinesis event', () => {
  it('stores nothing twice when the same event is delivered again', async () => {
    const deps = await createIngestDeps(stack.config, silentLogger);
    const handler = createIngestHandler(async () => deps);
    const now = TEST_NOW;
    const record = (seq: number, payload: object) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'REPLAY-1',
        sequenceNumber: String(seq),
        data: Buffer.from(JSON.stringify(buildRuleEnvelope('bus/REPLAY-1/gps', Buffer.from(JSON.stringify(payload)), now))).toString('base64'),
        approximateArrivalTimestamp: now / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${seq}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/test',
      awsRegion: 'local',
      eventSourceARN: 'arn:aws:kinesis:local:000000000000:stream/telemetry',
    });
    const event: KinesisStreamEvent = {
      Records: [
        record(1, {
          v: 1,
          msgId: 'a',
          busId: 'REPLAY-1',
          records: [
            { ts: now - 3000, lat: 10.7, lon: 106.7 },
            { ts: now - 2000, lat: 10.7, lon: 106.7 },
          ],
        }),
        record(2, { v: 1, msgId: 'b', busId: 'REPLAY-1', taps: [] }),
        record(3, { v: 1, msgId: 'c', busId: 'REPLAY-1', records: [{ ts: now - 1000, lat: 10.71, lon: 106.7 }] }),
      ],
    };
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const firstState = await stack.vehicles.get('REPLAY-1');
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect((await stack.telemetry.readGps('REPLAY-1', now - 60_000, now)).map((p) => p.ts)).toEqual([now - 3000, now - 2000, now - 1000]);
    expect(await stack.vehicles.get('REPLAY-1')).toEqual(firstState);
  });
});
