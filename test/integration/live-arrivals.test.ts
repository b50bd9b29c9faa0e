import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { fixedClock } from '../../shared/domain/ports/clock.js';
import { stopArrivalsTopic, telemetryTopic } from '../../shared/catalogue/index.js';
import { faultProfiles } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { MqttSink } from '../../simulator/output/mqtt-sink.js';
import { runSimulation } from '../../simulator/run.js';
import { registerBoard } from '../../infra/local/register-board.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { prepareSampleDay } from '../support/simulated-day.js';

let stack: TestStack;
let network: Network;
const day = '2026-11-26';
const BUSES = 4;
const clock = fixedClock(0);
const secrets = new Map<string, string>();
const clients: mqtt.MqttClient[] = [];
/** The stops whose boards the stack told, in order (every publish on `stop/+/arrivals`). */
const boardsTold: string[] = [];

async function get(path: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${stack.http!.url}${path}`);
  return { status: res.status, json: await res.json() };
}

/** A bus running a trip at the clock's instant, with the stops of its trip still ahead of it. */
async function liveBus(): Promise<{ bus: any; ahead: { stopId: string; scheduledMs: number }[]; passed: string[] }> {
  const midnightMs = serviceTimeToEpochMs(day, 0, network.timezone);
  for (const busId of secrets.keys()) {
    const { json: bus } = await get(`/v1/vehicles/${busId}`);
    if (bus.stale || !bus.tripId || !bus.nextStopId) continue;
    const stops = network.trips.get(bus.tripId)!.stopTimes;
    const next = stops.findIndex((st) => st.stopId === bus.nextStopId);
    const ahead = stops.slice(next + 1).map((st) => ({ stopId: st.stopId, scheduledMs: midnightMs + st.arrivalS * 1000 }));
    const passed = stops
      .slice(0, Math.max(0, next - 1))
      .map((st) => st.stopId)
      .filter((id) => !stops.slice(next).some((st) => st.stopId === id));
    if (ahead.length >= 3 && passed.length) return { bus, ahead, passed };
  }
  throw new Error('no bus is running a trip with stops ahead and behind it');
}

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  clock.set(serviceTimeToEpochMs(day, 7 * 3600, network.timezone));
  stack = await startTestStack({ http: true, network, clock });
  stack.broker.aedes.on('publish', (packet) => {
    const stopId = /^stop\/(.+)\/arrivals$/.exec(packet.topic)?.[1];
    if (stopId) boardsTold.push(stopId);
  });
  const prepared = await prepareSampleDay(stack, network, day, { seed: 3, buses: BUSES });
  for (const [busId, secret] of prepared.secrets) secrets.set(busId, secret);
  const { identity } = prepared;
  await runSimulation({
    network,
    serviceDay: day,
    seed: 3,
    buses: BUSES,
    speed: Number.POSITIVE_INFINITY,
    profile: faultProfiles.none,
    sink: new MqttSink({ url: stack.broker.url, identity }),
    truth: { write: async () => undefined, close: async () => undefined },
    fromMs: serviceTimeToEpochMs(day, 6 * 3600, network.timezone),
    toMs: clock.now(),
  });
  await stack.settle();
}, 120_000);

afterAll(async () => {
  for (const c of clients) await c.endAsync(true);
  await stack?.stop();
});

describe('live arrivals', () => {
  it('announces a bus at a stop ahead of it in realtime, and not at a stop it has passed', async () => {
    const { bus, ahead, passed } = await liveBus();
    const { status, json } = await get(`/v1/stops/${ahead[0]!.stopId}/arrivals?limit=20`);
    expect(status).toBe(200);
    const mine = json.items.find((a: any) => a.tripId === bus.tripId);
    expect(mine).toMatchObject({ source: 'realtime', predicted: true, vehicle: { busId: bus.busId, plate: bus.plate } });
    expect(mine.stopsAway).toBeGreaterThanOrEqual(2);
    expect(mine.distanceM).toBeGreaterThan(0);
    // How full it is, from its fare taps since the trip started and its wifi clients.
    expect(mine.occupancy.tapsThisTrip).toBeGreaterThanOrEqual(0);
    expect(Object.keys(mine.occupancy).every((k) => ['tapsThisTrip', 'wifiClients'].includes(k))).toBe(true);
    expect(Date.parse(mine.predictedAt)).toBeGreaterThanOrEqual(clock.now());

    // Learned from the stop visits behind the buses, kept per pattern.
    const { Items: history = [] } = await stack.doc.send(new ScanCommand({ TableName: stack.config.tableNames.travelTimes }));
    expect(history.some((h) => Object.keys(h.segments as object).length > 0 && h.serviceDay === day)).toBe(true);

    for (const stopId of passed) {
      const { json: behind } = await get(`/v1/stops/${stopId}/arrivals?limit=50`);
      expect(behind.items.filter((a: any) => a.tripId === bus.tripId)).toEqual([]);
    }
  });

  it('tells the board of a stop ahead after the bus publishes GPS, only stops that have a board, and lets the board hear only its stop', async () => {
    // An hour of a fleet running, and no stop with a board: no board message published.
    expect(boardsTold).toEqual([]);
    const { bus, ahead } = await liveBus();
    const stopId = ahead[0]!.stopId;
    const board = await registerBoard(stack.doc, stack.config.tableNames.vehicles, stopId);
    const client = await mqtt.connectAsync(stack.broker.url, {
      clientId: board.clientId,
      username: board.clientId,
      password: board.secret,
      reconnectPeriod: 0,
    });
    clients.push(client);
    const messages: any[] = [];
    client.on('message', (_topic, payload) => messages.push(JSON.parse(payload.toString())));
    const granted = await client.subscribeAsync(stopArrivalsTopic(stopId), { qos: 1 });
    expect(granted[0]!.qos).toBe(1);
    // Another stop's arrivals: refused (SUBACK failure).
    await expect(client.subscribeAsync(stopArrivalsTopic(ahead[1]!.stopId), { qos: 1 })).rejects.toThrow();

    // Past the board throttle's interval and the registry's refresh (1 min); then the bus's next fix, where its
    // last one was.
    clock.advance(61_000);
    const { json: before } = await get(`/v1/vehicles/${bus.busId}`);
    const busClient = await mqtt.connectAsync(stack.broker.url, {
      clientId: bus.busId,
      username: bus.busId,
      password: secrets.get(bus.busId)!,
      reconnectPeriod: 0,
    });
    clients.push(busClient);
    const fix = { ts: clock.now(), lat: before.position.lat, lon: before.position.lon, speedKmh: 0 };
    await busClient.publishAsync(telemetryTopic(bus.busId, 'gps'), JSON.stringify({ v: 1, msgId: 'live-1', busId: bus.busId, records: [fix] }), { qos: 1 });
    await stack.settle();
    await expect.poll(() => messages.find((m) => m.at === new Date(clock.now()).toISOString()), { timeout: 5000 }).toBeDefined();
    const update = messages.find((m) => m.at === new Date(clock.now()).toISOString());
    expect(update.stopId).toBe(stopId);
    // The other stops ahead of the bus have no board: nothing published to them.
    expect(new Set(boardsTold)).toEqual(new Set([stopId]));
    expect(update.lines.length).toBeGreaterThan(0);
    const line = update.lines.find((l: any) => l.realtime);
    expect(line.text).toMatch(/^Xe \S+ (đến sau \d+ phút|sắp đến)$/);
  });

  it('falls back to the schedule for a bus that has gone silent, and says so', async () => {
    const { bus, ahead } = await liveBus();
    // A stop still ahead on the schedule once the bus has been silent past the stale limit (5 min).
    clock.advance(6 * 60_000);
    const later = ahead.find((s) => s.scheduledMs >= clock.now() + 60_000);
    expect(later).toBeDefined();
    const { json } = await get(`/v1/stops/${later!.stopId}/arrivals?limit=50`);
    expect(json.items.find((a: any) => a.tripId === bus.tripId)).toMatchObject({ source: 'scheduled', predicted: false, stale: true });
    const { json: vehicle } = await get(`/v1/vehicles/${bus.busId}`);
    expect(vehicle.stale).toBe(true);
    expect(vehicle.tripId).toBeUndefined();
    expect(vehicle.ageS).toBeGreaterThanOrEqual(360);
  });

  it("clears the trip a bus ended from every stop, lists the bus on layover on its next trip's route, and predicts that trip (its trip order) from the terminal", async () => {
    // A bus on a trip (after the silence above, it speaks again at its last position, then ends its trip).
    const { Items: items = [] } = await stack.doc.send(new ScanCommand({ TableName: stack.config.tableNames.vehicles }));
    const bus = items.find((i) => secrets.has(String(i.busId)) && i.duty?.tripId && i.position)!;
    expect(bus).toBeDefined();
    const tripId = bus.duty.tripId as string;
    const busClient = await mqtt.connectAsync(stack.broker.url, {
      clientId: bus.busId,
      username: bus.busId,
      password: secrets.get(bus.busId)!,
      reconnectPeriod: 0,
    });
    clients.push(busClient);
    clock.advance(1000);
    const fix = { ts: clock.now(), lat: bus.position.lat, lon: bus.position.lon, speedKmh: 0 };
    await busClient.publishAsync(telemetryTopic(bus.busId, 'gps'), JSON.stringify({ v: 1, msgId: 'again-1', busId: bus.busId, records: [fix] }), { qos: 1 });
    await stack.settle();
    clock.advance(1000);
    const duty = { v: 1, msgId: 'end-1', busId: bus.busId, ts: clock.now(), event: 'trip_end', tripId };
    await busClient.publishAsync(telemetryTopic(bus.busId, 'duty'), JSON.stringify(duty), { qos: 1 });
    await stack.settle();
    await expect
      .poll(async () => {
        const { Items = [] } = await stack.doc.send(new ScanCommand({ TableName: stack.config.tableNames.arrivals }));
        return Items.filter((item) => item.tripId === tripId && (item.entry as { kind?: string } | undefined)?.kind === 'predicted').length;
      })
      .toBe(0);
    const { json: after } = await get(`/v1/vehicles/${bus.busId}`);
    expect(after.tripId).toBeUndefined();

    // Its next trip of the day, at that trip's second stop: realtime, the bus named, counted from the terminal.
    const { Items: now = [] } = await stack.doc.send(new ScanCommand({ TableName: stack.config.tableNames.vehicles }));
    const cachedTripIds = Object.keys(now.find((i) => i.busId === bus.busId)?.prediction?.written ?? {});
    const nextTripId = cachedTripIds.find((id) => id !== tripId);
    expect(nextTripId).toBeDefined();
    // Waiting at its terminal, it is still listed on a route: its next trip's, on layover, with no trip.
    const nextRouteId = network.trips.get(nextTripId!)!.routeId;
    expect(after).toMatchObject({ routeId: nextRouteId, status: 'layover', stale: false });
    const { json: onRoute } = await get(`/v1/vehicles?routeId=${encodeURIComponent(nextRouteId)}`);
    const listed = onRoute.items.find((v: any) => v.busId === bus.busId);
    expect(listed).toMatchObject({ routeId: nextRouteId, status: 'layover' });
    expect(listed.tripId).toBeUndefined();
    const second = network.trips.get(nextTripId!)!.stopTimes[1]!;
    const { json } = await get(`/v1/stops/${second.stopId}/arrivals?limit=50`);
    expect(json.items.find((a: any) => a.tripId === nextTripId)).toMatchObject({
      source: 'realtime',
      predicted: true,
      vehicle: { busId: bus.busId },
      stopsAway: 2,
    });
  });
});
