/**
 * A fleet of buses in its own process, as buses are remote from the broker: one MQTT connection per bus with
 * its own credentials. Told to `run`, it publishes GPS at a steady offered rate (the ingest benchmark); told to
 * `drive`, each bus starts its trip (duty `trip_start`) and reports where its schedule puts it on the stack's
 * clock every few seconds until told to `halt` (the API benchmark). Driven over IPC.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { telemetryTopic } from '../../shared/catalogue/index.js';
import { measurePolyline, pointAtDistance } from '../../shared/kernel/geo/polyline.js';
import { forEachLimit } from '../../shared/kernel/util/concurrency.js';
import { ScaledClock, type ClockDescription } from '../../infra/local/scaled-clock.js';

export interface FleetBus {
  busId: string;
  secret: string;
  /** For `drive`: the trip it runs, its shape, and where its schedule puts it when (`[epochMs, distanceM]`, in order). */
  trip?: { tripId: string; shape: { lat: number; lon: number }[]; schedule: [number, number][] };
}
export type FleetCommand =
  | { cmd: 'connect'; url: string; buses: FleetBus[] }
  | { cmd: 'run'; recordsPerS: number; durationS: number; recordsPerMessage: number; phase: string }
  | { cmd: 'drive'; clock: ClockDescription; intervalS: number }
  | { cmd: 'halt' }
  | { cmd: 'stop' };
export type FleetReply =
  | { type: 'connected'; buses: number; ms: number }
  | { type: 'done'; phase: string; messages: number; records: number; acked: number; firstMs: number; lastMs: number; lastTsByBus: Record<string, number> }
  | { type: 'driving'; buses: number }
  | { type: 'halted'; messages: number; acked: number };

const clients: { bus: FleetBus; client: MqttClient; lat: number; lon: number }[] = [];
const send = (m: FleetReply) => process.send!(m);

process.on('message', (m: FleetCommand) => {
  void handle(m).catch((err: Error) => {
    console.error(err);
    process.exit(1);
  });
});

async function handle(m: FleetCommand): Promise<void> {
  switch (m.cmd) {
    case 'connect': {
      const start = Date.now();
      await forEachLimit(m.buses, 100, async (bus) => {
        const client = await mqtt.connectAsync(m.url, { clientId: bus.busId, username: bus.busId, password: bus.secret, reconnectPeriod: 0, keepalive: 300 });
        const i = clients.length;
        clients.push({ bus, client, lat: 10.7 + (i % 100) * 0.002, lon: 106.6 + Math.floor(i / 100) * 0.003 });
      });
      send({ type: 'connected', buses: clients.length, ms: Date.now() - start });
      return;
    }
    case 'run':
      send(await run(m.recordsPerS, m.durationS, m.recordsPerMessage, m.phase));
      return;
    case 'drive':
      send(await drive(m.clock, m.intervalS));
      return;
    case 'halt':
      send(halt());
      return;
    case 'stop':
      await Promise.all(clients.map((c) => c.client.endAsync(true).catch(() => undefined)));
      process.exit(0);
  }
}

/** Publishes `recordsPerS` records a second for `durationS`, spread evenly over time and over the buses. */
async function run(recordsPerS: number, durationS: number, perMessage: number, phase: string): Promise<FleetReply> {
  const messagesPerS = recordsPerS / perMessage;
  const total = Math.round(messagesPerS * durationS);
  const tickMs = 10;
  const start = Date.now();
  let sent = 0;
  let acked = 0;
  let settled = 0;
  let next = 0;
  let firstMs = 0;
  let lastMs = 0;
  const lastTsByBus: Record<string, number> = {};
  let seq = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * messagesPerS) + 1);
      while (sent < due) {
        const c = clients[next]!;
        next = (next + 1) % clients.length;
        const now = Date.now();
        if (!firstMs) firstMs = now;
        lastMs = now;
        const records = [];
        for (let k = perMessage - 1; k >= 0; k--) {
          c.lat += 0.00005;
          c.lon += 0.00003;
          records.push({ ts: now - k * 1000, lat: Number(c.lat.toFixed(6)), lon: Number(c.lon.toFixed(6)), speedKmh: 18, heading: 45, accuracyM: 5 });
        }
        lastTsByBus[c.bus.busId] = now;
        const payload = JSON.stringify({ v: 1, msgId: `${phase}-${seq++}`, busId: c.bus.busId, records });
        c.client.publish(telemetryTopic(c.bus.busId, 'gps'), payload, { qos: 1 }, (err) => {
          if (!err) acked++;
          settled++;
          if (settled === total) resolve();
        });
        sent++;
      }
      if (sent < total) setTimeout(tick, tickMs);
    };
    tick();
  });
  return { type: 'done', phase, messages: sent, records: sent * perMessage, acked, firstMs, lastMs, lastTsByBus };
}

let driving: { timer: NodeJS.Timeout; messages: number; acked: number } | undefined;

/**
 * Every bus with a trip starts it, then publishes its scheduled position every `intervalS`, the buses spread
 * evenly over the interval. Answers once every bus has started and sent its first fix.
 */
async function drive(clockDescription: ClockDescription, intervalS: number): Promise<FleetReply> {
  const clock = ScaledClock.from(clockDescription);
  const buses = clients.flatMap(({ bus, client }) => (bus.trip ? [{ busId: bus.busId, client, trip: bus.trip, line: measurePolyline(bus.trip.shape) }] : []));
  const state = { timer: undefined as unknown as NodeJS.Timeout, messages: 0, acked: 0 };
  let seq = 0;
  const publish = (client: MqttClient, topic: string, body: object) =>
    new Promise<void>((resolve) => {
      state.messages++;
      client.publish(topic, JSON.stringify({ v: 1, msgId: `drive-${seq++}`, ...body }), { qos: 1 }, (err) => {
        if (!err) state.acked++;
        resolve();
      });
    });
  const fix = (b: (typeof buses)[number]) => {
    const tsMs = clock.now();
    const at = pointAtDistance(b.line, distanceAt(b.trip.schedule, tsMs));
    const moving = distanceAt(b.trip.schedule, tsMs + 1000) !== distanceAt(b.trip.schedule, tsMs);
    const record = { ts: tsMs, lat: Number(at.lat.toFixed(6)), lon: Number(at.lon.toFixed(6)), speedKmh: moving ? 18 : 0, accuracyM: 5 };
    return publish(b.client, telemetryTopic(b.busId, 'gps'), { busId: b.busId, records: [record] });
  };
  await forEachLimit(buses, 50, async (b) => {
    await publish(b.client, telemetryTopic(b.busId, 'duty'), { busId: b.busId, ts: clock.now(), event: 'trip_start', tripId: b.trip.tripId });
    await fix(b);
  });
  const intervalMs = intervalS * 1000;
  const started = Date.now();
  const nextAt = buses.map((_, i) => started + intervalMs + (i * intervalMs) / buses.length);
  state.timer = setInterval(() => {
    const now = Date.now();
    buses.forEach((b, i) => {
      if (nextAt[i]! > now) return;
      nextAt[i]! += intervalMs;
      void fix(b);
    });
  }, 20);
  driving = state;
  return { type: 'driving', buses: buses.length };
}

function halt(): FleetReply {
  if (driving) clearInterval(driving.timer);
  const reply: FleetReply = { type: 'halted', messages: driving?.messages ?? 0, acked: driving?.acked ?? 0 };
  driving = undefined;
  return reply;
}

/** Where the schedule puts the bus at `tsMs`: between the points around it, standing before the first and after the last. */
function distanceAt(schedule: readonly [number, number][], tsMs: number): number {
  for (let i = 1; i < schedule.length; i++) {
    const [t1, d1] = schedule[i]!;
    if (tsMs <= t1) {
      const [t0, d0] = schedule[i - 1]!;
      return tsMs <= t0 ? d0 : d0 + ((tsMs - t0) / Math.max(1, t1 - t0)) * (d1 - d0);
    }
  }
  return schedule.at(-1)?.[1] ?? 0;
}
