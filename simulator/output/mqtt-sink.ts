/**
 * Publishes the fleet over MQTT, one connection per bus with its own identity: a user name and secret on the
 * local broker, an X.509 certificate on AWS IoT Core. QoS 1; a window is done when the broker acknowledged its
 * messages, so a slow broker slows the simulator instead of losing messages. What could not be delivered is
 * counted by reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { QOS, type TelemetryKind, telemetryTopic } from '../../shared/catalogue/index.js';
import type { OutboundMessage } from '../core/events.js';
import { payloadOf, type MessageSink, type SinkReport } from './sink.js';

export type BusIdentity = { kind: 'password'; secret: string } | { kind: 'certificate'; certPem: string; keyPem: string; caPem?: string };

export interface MqttSinkOptions {
  url: string;
  /** The identity of a bus, resolved when it first publishes (registering it if need be). */
  identity: (busId: string) => Promise<BusIdentity>;
  /** The topic of a message; the plain telemetry topic unless told (AWS IoT Core: the stage's Basic Ingest topics). */
  topic?: (busId: string, kind: TelemetryKind) => string;
  /** Most publishes awaiting their PUBACK at once, over all buses. */
  maxInFlight?: number;
  connectTimeoutMs?: number;
}

/** Certificates laid out as `{dir}/{busId}.cert.pem`, `{dir}/{busId}.private.key` and `{dir}/AmazonRootCA1.pem`. */
export function certificateDirectory(dir: string): (busId: string) => Promise<BusIdentity> {
  return async (busId) => {
    let caPem: string | undefined;
    try {
      caPem = readFileSync(join(dir, 'AmazonRootCA1.pem'), 'utf8');
    } catch {
      caPem = undefined;
    }
    return {
      kind: 'certificate',
      certPem: readFileSync(join(dir, `${busId}.cert.pem`), 'utf8'),
      keyPem: readFileSync(join(dir, `${busId}.private.key`), 'utf8'),
      ...(caPem ? { caPem } : {}),
    };
  };
}

export class MqttSink implements MessageSink {
  private readonly clients = new Map<string, Promise<MqttClient>>();
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private delivered = 0;
  private failed = 0;
  private readonly failures: Record<string, number> = {};

  constructor(private readonly opts: MqttSinkOptions) {}

  async write(messages: readonly OutboundMessage[]): Promise<void> {
    await Promise.all(messages.map((m) => this.publish(m)));
  }

  private async publish(m: OutboundMessage): Promise<void> {
    const limit = this.opts.maxInFlight ?? 2000;
    while (this.inFlight >= limit) await new Promise<void>((r) => this.waiters.push(r));
    this.inFlight++;
    try {
      const client = await this.client(m.busId);
      await client.publishAsync((this.opts.topic ?? telemetryTopic)(m.busId, m.kind), payloadOf(m), { qos: QOS });
      this.delivered++;
    } catch (err) {
      this.failed++;
      const reason = (err as Error).message || 'unknown error';
      this.failures[reason] = (this.failures[reason] ?? 0) + 1;
    } finally {
      this.inFlight--;
      this.waiters.shift()?.();
    }
  }

  private client(busId: string): Promise<MqttClient> {
    let c = this.clients.get(busId);
    if (!c) {
      c = this.connect(busId);
      this.clients.set(busId, c);
      // A bus whose connection failed is retried at its next message.
      c.catch(() => this.clients.delete(busId));
    }
    return c;
  }

  private async connect(busId: string): Promise<MqttClient> {
    const identity = await this.opts.identity(busId);
    const base: IClientOptions = { clientId: busId, reconnectPeriod: 1000, connectTimeout: this.opts.connectTimeoutMs ?? 10_000, keepalive: 120 };
    const options: IClientOptions =
      identity.kind === 'password'
        ? { ...base, username: busId, password: identity.secret }
        : { ...base, cert: identity.certPem, key: identity.keyPem, ...(identity.caPem ? { ca: identity.caPem } : {}), rejectUnauthorized: true };
    return new Promise<MqttClient>((resolve, reject) => {
      const client = mqtt.connect(this.opts.url, options);
      // A refused first connection must fail the bus's messages, not retry in the background forever. A broker
      // may refuse by an error (CONNACK code, TLS alert) or by just closing the socket (a TLS 1.3 server that
      // rejects the certificate, an IoT policy that denies the client id).
      const settle = () => {
        client.removeListener('error', onError);
        client.removeListener('close', onClose);
      };
      const onError = (err: Error) => {
        settle();
        client.end(true);
        reject(err);
      };
      const onClose = () => onError(new Error('connection closed before the broker accepted it (certificate or client id refused?)'));
      client.once('error', onError);
      client.once('close', onClose);
      client.once('connect', () => {
        settle();
        // Later errors are reconnected by the client; publishes report their own failures.
        client.on('error', () => undefined);
        resolve(client);
      });
    });
  }

  async close(): Promise<SinkReport> {
    const clients = await Promise.allSettled([...this.clients.values()]);
    await Promise.all(clients.map((c) => (c.status === 'fulfilled' ? c.value.endAsync().catch(() => undefined) : undefined)));
    return { delivered: this.delivered, failed: this.failed, failures: { ...this.failures } };
  }
}
