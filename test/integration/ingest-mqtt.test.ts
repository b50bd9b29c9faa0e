/**
 * Telemetry published over real MQTT to the local broker, through the router and the ingest handler, into
 * DynamoDB Local: what is stored, what is rejected and why.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { assignmentTopic, telemetryTopic } from '../../shared/catalogue/index.js';
import { createCardPseudonymiser } from '../../shared/adapters/card-pseudonymiser.js';
import { startTestStack, TEST_CARD_KEY, type TestStack } from '../support/test-stack.js';
import { TEST_NOW, TEST_SERVICE_DAY } from '../support/test-clock.js';

let stack: TestStack;
// The test day, whatever today is; the stack's clock starts there too, so these timestamps are live.
const now = TEST_NOW;
const day = TEST_SERVICE_DAY;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const gps = (busId: string, msgId: string, records: object[]) => ({ v: 1, msgId, busId, records });
const fix = (ts: number, lat = 10.7716, lon = 106.6983) => ({ ts, lat, lon, speedKmh: 20, heading: 90 });

describe('GPS over MQTT', () => {
  it('stores positions and moves the vehicle to the newest one', async () => {
    const bus = await stack.connectBus('GPS-1');
    await stack.publish(bus, telemetryTopic('GPS-1', 'gps'), gps('GPS-1', 'm1', [fix(now - 10_000), fix(now - 5_000, 10.772, 106.699)]));
    await stack.settle();

    const points = await stack.telemetry.readGps('GPS-1', now - 60_000, now);
    expect(points.map((p) => p.ts)).toEqual([now - 10_000, now - 5_000]);
    expect(points[1]).toMatchObject({ lat: 10.772, lon: 106.699, speedKmh: 20, heading: 90 });
    const vehicle = await stack.vehicles.get('GPS-1');
    expect(vehicle?.position).toMatchObject({ ts: now - 5_000, lat: 10.772, lon: 106.699 });
    expect(vehicle?.version).toBe(1);
  });

  it('stores a duplicated message once', async () => {
    const bus = await stack.connectBus('GPS-DUP');
    const message = gps('GPS-DUP', 'same-id', [fix(now - 3_000), fix(now - 2_000)]);
    await stack.publish(bus, telemetryTopic('GPS-DUP', 'gps'), message);
    await stack.settle();
    await stack.publish(bus, telemetryTopic('GPS-DUP', 'gps'), message);
    // The same fix again under another msgId is still the same bus+ts.
    await stack.publish(bus, telemetryTopic('GPS-DUP', 'gps'), gps('GPS-DUP', 'other-id', [fix(now - 2_000)]));
    await stack.settle();

    const points = await stack.telemetry.readGps('GPS-DUP', now - 60_000, now);
    expect(points.map((p) => p.ts)).toEqual([now - 3_000, now - 2_000]);
    const chunks = await scanTelemetry((i) => i.busId === 'GPS-DUP' && i.kind === 'gps');
    expect(chunks).toHaveLength(1);
  });

  it('keeps a late, out-of-order batch without moving the vehicle back', async () => {
    const bus = await stack.connectBus('GPS-LATE');
    await stack.publish(bus, telemetryTopic('GPS-LATE', 'gps'), gps('GPS-LATE', 'live', [fix(now - 1_000, 10.78, 106.7)]));
    await stack.settle();
    // The device was offline for ten minutes and now uploads its buffer, newest first.
    const buffered = [fix(now - 120_000, 10.7, 106.6), fix(now - 300_000, 10.71, 106.61), fix(now - 600_000, 10.72, 106.62)];
    await stack.publish(bus, telemetryTopic('GPS-LATE', 'gps'), gps('GPS-LATE', 'buffer', buffered));
    await stack.settle();

    const points = await stack.telemetry.readGps('GPS-LATE', now - 3_600_000, now);
    expect(points.map((p) => p.ts)).toEqual([now - 600_000, now - 300_000, now - 120_000, now - 1_000]);
    const vehicle = await stack.vehicles.get('GPS-LATE');
    expect(vehicle?.position).toMatchObject({ ts: now - 1_000, lat: 10.78 });
  });

  it('keeps the valid records of a message whose other records are impossible', async () => {
    const bus = await stack.connectBus('GPS-MIX');
    const records = [fix(now - 4_000), { ...fix(now - 3_000), lat: 123 }, { ...fix(now - 2_000), speedKmh: 200 }, fix(now + 2 * 86_400_000)];
    await stack.publish(bus, telemetryTopic('GPS-MIX', 'gps'), gps('GPS-MIX', 'mix', records));
    await stack.settle();

    const points = await stack.telemetry.readGps('GPS-MIX', now - 60_000, now + 3 * 86_400_000);
    expect(points.map((p) => p.ts)).toEqual([now - 4_000]);
    const rejects = await stack.rejects.list(day, 'GPS-MIX');
    expect(rejects.map((r) => [r.code, r.field]).sort()).toEqual([
      ['implausible', 'records[3].ts'],
      ['schema', 'records[1].lat'],
      ['schema', 'records[2].speedKmh'],
    ]);
  });
});

describe('invalid messages', () => {
  it('rejects malformed JSON with its reason and raw payload', async () => {
    const bus = await stack.connectBus('BAD-JSON');
    await stack.publish(bus, telemetryTopic('BAD-JSON', 'gps'), '{"v":1,"msgId":');
    await stack.settle();
    const [reject, ...others] = await stack.rejects.list(day, 'BAD-JSON');
    expect(others).toHaveLength(0);
    expect(reject).toMatchObject({ code: 'malformed-json', topic: 'bus/BAD-JSON/gps', payload: '{"v":1,"msgId":', payloadEncoding: 'utf8' });
    expect(reject?.reason).toMatch(/not UTF-8 JSON/);
  });

  it('rejects a message that breaks the schema, naming the field', async () => {
    const bus = await stack.connectBus('BAD-SCHEMA');
    await stack.publish(bus, telemetryTopic('BAD-SCHEMA', 'wifi'), {
      v: 1,
      msgId: 'w',
      busId: 'BAD-SCHEMA',
      ts: now,
      up: 'yes',
      clients: 3,
      bytesIn: 1,
      bytesOut: 1,
    });
    await stack.settle();
    const rejects = await stack.rejects.list(day, 'BAD-SCHEMA');
    expect(rejects).toMatchObject([{ code: 'schema', field: 'up' }]);
    expect(await scanTelemetry((i) => i.busId === 'BAD-SCHEMA')).toHaveLength(0);
  });

  it('rejects a message whose busId differs from its topic', async () => {
    const bus = await stack.connectBus('MISMATCH');
    await stack.publish(bus, telemetryTopic('MISMATCH', 'gps'), gps('SOMEONE-ELSE', 'x', [fix(now)]));
    await stack.settle();
    const rejects = await stack.rejects.list(day, 'MISMATCH');
    expect(rejects).toMatchObject([{ code: 'busid-mismatch', field: 'busId' }]);
    expect(await stack.vehicles.get('MISMATCH')).toMatchObject({ version: 0 });
    expect((await stack.vehicles.get('MISMATCH'))?.position).toBeUndefined();
  });

  it('refuses and logs a bus publishing to another bus’s topic; nothing is stored', async () => {
    await stack.connectBus('VICTIM');
    const intruder = await stack.connectBus('INTRUDER');
    const closed = new Promise<void>((resolve) => intruder.once('close', () => resolve()));
    intruder.publish(telemetryTopic('VICTIM', 'gps'), JSON.stringify(gps('VICTIM', 'spoof', [fix(now)])), { qos: 1 });
    await closed;
    await stack.settle();
    expect(stack.logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'mqtt publish refused',
        extra: expect.objectContaining({ busId: 'INTRUDER', topic: 'bus/VICTIM/gps' }),
      }),
    );
    expect(await stack.telemetry.readGps('VICTIM', now - 60_000, now + 1)).toEqual([]);
    expect((await stack.vehicles.get('VICTIM'))?.position).toBeUndefined();
  });

  it('refuses a wrong password and a client id that is not the bus id', async () => {
    await stack.connectBus('LOCKED');
    await expect(mqtt.connectAsync(stack.broker.url, { clientId: 'LOCKED', username: 'LOCKED', password: 'guess', reconnectPeriod: 0 })).rejects.toThrow(
      /Bad username or password/,
    );
    await expect(mqtt.connectAsync(stack.broker.url, { clientId: 'other', username: 'LOCKED', password: 'guess', reconnectPeriod: 0 })).rejects.toThrow(
      /Not authorized/,
    );
    expect(stack.logger.entries.filter((e) => e.message === 'mqtt connection refused').map((e) => e.extra.reason)).toEqual(
      expect.arrayContaining(['wrong password', 'client id must equal the bus id given as username']),
    );
  });
});

describe('what the router takes', () => {
  it('takes no assignment published by BusFlow: no reject, no delivery, no warning', async () => {
    await stack.connectBus('ASSIGNED');
    await stack.settle();
    const before = { ...stack.router.stats };
    const warnings = stack.logger.entries.filter((e) => e.level === 'warn').length;
    await new Promise<void>((resolve, reject) =>
      stack.broker.aedes.publish(
        {
          cmd: 'publish',
          topic: assignmentTopic('ASSIGNED'),
          payload: Buffer.from(JSON.stringify({ v: 1, tripOrderId: 'LVC-1' })),
          qos: 1,
          retain: true,
          dup: false,
        },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    await stack.settle();
    expect(stack.router.stats).toMatchObject({ accepted: before.accepted, batches: before.batches });
    expect(await stack.rejects.list(day, 'ASSIGNED')).toEqual([]);
    expect(stack.logger.entries.filter((e) => e.level === 'warn')).toHaveLength(warnings);
  });
});

describe('gate, wifi and duty', () => {
  it('stores taps once, with the card number replaced by its keyed hash', async () => {
    const bus = await stack.connectBus('GATE-1');
    const taps = [
      { tapId: 't1', ts: now - 5_000, cardId: '9704123412341234', product: 'single', amountVnd: 7000, medium: 'card', stopId: 'S1' },
      { tapId: 't2', ts: now - 4_000, cardId: 'QR-ABC', product: 'student', amountVnd: 3000, medium: 'qr' },
    ];
    await stack.publish(bus, telemetryTopic('GATE-1', 'gate'), { v: 1, msgId: 'g1', busId: 'GATE-1', taps });
    await stack.publish(bus, telemetryTopic('GATE-1', 'gate'), { v: 1, msgId: 'g2', busId: 'GATE-1', taps: [taps[0]] });
    await stack.settle();

    const stored = await stack.telemetry.list('GATE-1', day, 'tap');
    expect(stored).toHaveLength(2);
    const hash = createCardPseudonymiser(TEST_CARD_KEY);
    expect(stored[0]).toMatchObject({
      tapId: 't1',
      cardHash: hash('9704123412341234'),
      amountVnd: 7000,
      product: 'single',
      medium: 'card',
      stopId: 'S1',
      ts: now - 5_000,
    });
    const everything = JSON.stringify(await scanTelemetry(() => true));
    expect(everything).not.toContain('9704123412341234');
    expect(everything).not.toContain('QR-ABC');
    expect(JSON.stringify(stack.logger.entries)).not.toContain('9704123412341234');
  });

  it('stores wifi samples and duty events and keeps the current duty on the vehicle', async () => {
    const bus = await stack.connectBus('DUTY-1');
    const t = telemetryTopic('DUTY-1', 'duty');
    await stack.publish(bus, t, { v: 1, msgId: 'd1', busId: 'DUTY-1', ts: now - 60_000, event: 'sign_on', driverId: 'DRV-7', tripOrderId: 'LVC-1' });
    await stack.publish(bus, t, { v: 1, msgId: 'd2', busId: 'DUTY-1', ts: now - 30_000, event: 'trip_start', tripId: 'TRIP-9' });
    await stack.publish(bus, telemetryTopic('DUTY-1', 'wifi'), {
      v: 1,
      msgId: 'w1',
      busId: 'DUTY-1',
      ts: now - 20_000,
      up: true,
      clients: 12,
      bytesIn: 1000,
      bytesOut: 200,
      portalLogins: 3,
    });
    await stack.settle();

    expect((await stack.telemetry.list('DUTY-1', day, 'duty')).map((d) => d.event)).toEqual(['sign_on', 'trip_start']);
    expect(await stack.telemetry.list('DUTY-1', day, 'wifi')).toMatchObject([{ up: true, clients: 12, bytesIn: 1000, bytesOut: 200, portalLogins: 3 }]);
    expect((await stack.vehicles.get('DUTY-1'))?.duty).toEqual({ tsMs: now - 30_000, onDuty: true, driverId: 'DRV-7', tripOrderId: 'LVC-1', tripId: 'TRIP-9' });
  });
});

async function scanTelemetry(filter: (item: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
  const out = await stack.doc.send(new ScanCommand({ TableName: stack.config.tableNames.telemetry }));
  return (out.Items ?? []).filter(filter);
}
