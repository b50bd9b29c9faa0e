/**
 * A fleet of buses in its own process, as buses are remote from the broker: one MQTT connection per bus with
 * its own credentials, publishing GPS at a steady offered rate when told to. Driven by the ingest benchmark
 * over IPC.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { telemetryTopic } from '../../shared/catalogue/index.js';
import { forEachLimit } from '../../shared/kernel/util/concurrency.js';

export interface FleetBus {
  busId: string;
  secret: string;
}
export type FleetCommand =
  | { cmd: 'connect'; url: string; buses: FleetBus[] }
  | { cmd: 'run'; recordsPerS: number; durationS: number; recordsPerMessage: number; phase: string }
  | { cmd: 'stop' };
export type FleetReply =
  | { type: 'connected'; buses: number; ms: number }
  | { type: 'done'; phase: string; messages: number; records: number; acked: number; firstMs: number; lastMs: number; lastTsByBus: Record<string, number> };

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
