/**
 * The simulator's IoT Core target (`npm run sim -- --target iot --certs DIR`) against a local stand-in for IoT
 * Core's mutual TLS: each bus connects with its own X.509 certificate from a certificate directory, the broker
 * trusts only the test CA and takes the certificate's CN as the bus's identity.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicIngestTopic, parseTelemetryTopic, type TelemetryKind } from '../../shared/catalogue/index.js';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../shared/gtfs/time.js';
import { planDay } from '../../simulator/core/day-plan.js';
import type { OutboundMessage } from '../../simulator/core/events.js';
import { parseFaultProfile } from '../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { certificateDirectory, MqttSink, type BusIdentity } from '../../simulator/output/mqtt-sink.js';
import { payloadOf, type MessageSink } from '../../simulator/output/sink.js';
import { runSimulation, type RunSummary } from '../../simulator/run.js';
import { createTestPki, type TestPki } from '../support/test-certificates.js';
import { startTlsBroker, type TlsBroker } from '../support/tls-broker.js';
import { TEST_NOW, TEST_SERVICE_DAY } from '../support/test-clock.js';

const SEED = 1;
const BUSES = 3;
const serviceDay = TEST_SERVICE_DAY;

let network: Network;
let busIds: string[];
let pki: TestPki;
let broker: TlsBroker;

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  busIds = planDay(network, serviceDay, { seed: SEED, maxBuses: BUSES }).duties.map((d) => d.busId);
  pki = createTestPki(busIds);
  broker = await startTlsBroker({ certPem: pki.server.certPem, keyPem: pki.server.keyPem, caPem: pki.ca.pem });
});

afterAll(async () => {
  await broker?.close();
  pki?.cleanup();
});

/** Runs 07:00 to 07:{minutes} of the service day through an MqttSink to `url`, keeping what the simulator sent. */
async function simulate(
  url: string,
  identity: (busId: string) => Promise<BusIdentity>,
  minutes: number,
  topic?: (busId: string, kind: TelemetryKind) => string,
): Promise<{ summary: RunSummary; sent: OutboundMessage[] }> {
  const sent: OutboundMessage[] = [];
  const mqttSink = new MqttSink({ url, identity, connectTimeoutMs: 5000, ...(topic ? { topic } : {}) });
  const sink: MessageSink = {
    write: async (messages) => {
      sent.push(...messages);
      await mqttSink.write(messages);
    },
    close: () => mqttSink.close(),
  };
  const fromMs = serviceTimeToEpochMs(serviceDay, 7 * 3600, network.timezone);
  const summary = await runSimulation({
    network,
    serviceDay,
    seed: SEED,
    buses: BUSES,
    speed: Number.POSITIVE_INFINITY,
    sink,
    profile: parseFaultProfile('none'),
    fromMs,
    toMs: fromMs + minutes * 60_000,
  });
  return { summary, sent };
}

/** What `b` accepted since its `from`th publish, as sorted `topic payload` lines. */
function receivedBy(b: TlsBroker, from = 0): string[] {
  return b.received
    .slice(from)
    .map((r) => `${r.topic} ${r.payload}`)
    .sort();
}

function lines(messages: readonly OutboundMessage[]): string[] {
  return messages.map((m) => `bus/${m.busId}/${m.kind} ${payloadOf(m)}`).sort();
}

function busFiles(dir: string, busId: string): { certPath: string; keyPath: string } {
  return { certPath: join(dir, `${busId}.cert.pem`), keyPath: join(dir, `${busId}.private.key`) };
}

/** A direct connection without retries: resolves when the broker accepted it, rejects when refused or closed. */
function connectDirect(url: string, clientId: string, files: { certPath: string; keyPath: string }): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(
    url,
    {
      clientId,
      cert: readFileSync(files.certPath, 'utf8'),
      key: readFileSync(files.keyPath, 'utf8'),
      ca: pki.ca.pem,
      rejectUnauthorized: true,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    },
    false,
  );
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('the simulator publishing to IoT Core with per-bus certificates', () => {
  it('delivers every message, each over the connection of the bus whose certificate CN it names', async () => {
    const from = broker.received.length;
    const { summary, sent } = await simulate(broker.url, certificateDirectory(pki.certsDir), 10);

    expect(sent.length).toBeGreaterThan(0);
    expect(summary.messages).toBe(sent.length);
    expect(summary.delivery).toEqual({ delivered: sent.length, failed: 0, failures: {} });
    expect(receivedBy(broker, from)).toEqual(lines(sent));
    for (const r of broker.received.slice(from)) {
      expect(parseTelemetryTopic(r.topic)?.busId).toBe(r.certificateCn);
      expect(r.clientId).toBe(r.certificateCn);
    }
    // Every bus of the plan was on the road and published with its own certificate.
    expect(new Set(broker.received.slice(from).map((r) => r.certificateCn))).toEqual(new Set(busIds));
    expect(broker.refused).toEqual([]);
  });

  it('publishes to the stage’s Basic Ingest topics when given them (--target iot without --plain-topics)', async () => {
    const from = broker.received.length;
    const { summary, sent } = await simulate(broker.url, certificateDirectory(pki.certsDir), 3, (busId, kind) => basicIngestTopic(busId, kind, 'prod'));
    expect(sent.length).toBeGreaterThan(0);
    expect(summary.delivery).toEqual({ delivered: sent.length, failed: 0, failures: {} });
    expect(receivedBy(broker, from)).toEqual(sent.map((m) => `$aws/rules/busflow_prod_${m.kind}/bus/${m.busId}/${m.kind} ${payloadOf(m)}`).sort());
  });

  it('refuses a bus publishing to another bus’s Basic Ingest topic, as the bus policy does', async () => {
    const [owner, other] = busIds as [string, string];
    const client = await connectDirect(broker.url, owner, busFiles(pki.certsDir, owner));
    const refusedBefore = broker.refused.length;
    const from = broker.received.length;
    try {
      const spoof = basicIngestTopic(other, 'gps', 'prod');
      client.publish(spoof, JSON.stringify({ v: 1, msgId: 'spoof', busId: other, records: [{ ts: TEST_NOW, lat: 10.77, lon: 106.7 }] }), { qos: 1 });
      for (let i = 0; i < 50 && broker.refused.length === refusedBefore; i++) await delay(20);
      expect(broker.refused.slice(refusedBefore)).toEqual([expect.objectContaining({ stage: 'publish', topic: spoof, certificateCn: owner })]);
      expect(broker.received.slice(from)).toEqual([]);
    } finally {
      client.end(true);
    }
  });

  it('refuses, at the TLS handshake, a bus whose certificate was signed by another CA', async () => {
    const [impostor] = busIds as [string];
    const impostorDir = pki.newCertificateDirectory('with-impostor');
    const impostorFiles = pki.issueImpostorCertificate(impostor, impostorDir);

    // Directly: the handshake is refused, no MQTT is spoken.
    const refusedBefore = broker.refused.length;
    await expect(connectDirect(broker.url, impostor, impostorFiles)).rejects.toThrow();
    expect(broker.refused.slice(refusedBefore)).toEqual([{ stage: 'tls', reason: expect.stringMatching(/UNABLE_TO_VERIFY|SIGNATURE|ISSUER/) }]);

    // Through the simulator, the impostor among genuine buses. A TLS 1.2 broker, whose refusal the client sees
    // as a failed handshake (see the known-bug test below for TLS 1.3).
    const tls12 = await startTlsBroker({ certPem: pki.server.certPem, keyPem: pki.server.keyPem, caPem: pki.ca.pem, maxVersion: 'TLSv1.2' });
    try {
      const genuine = certificateDirectory(pki.certsDir);
      const forged = certificateDirectory(impostorDir);
      const { summary, sent } = await simulate(tls12.url, (busId) => (busId === impostor ? forged(busId) : genuine(busId)), 5);

      const ofImpostor = sent.filter((m) => m.busId === impostor);
      expect(ofImpostor.length).toBeGreaterThan(0);
      expect(summary.delivery.failed).toBe(ofImpostor.length);
      expect(summary.delivery.delivered).toBe(sent.length - ofImpostor.length);
      expect(Object.keys(summary.delivery.failures).join(' ')).toMatch(/TLS|socket|disconnected/i);
      expect(Object.values(summary.delivery.failures).reduce((a, b) => a + b, 0)).toBe(ofImpostor.length);
      // What the other buses sent arrived; nothing arrived in the impostor's name.
      expect(receivedBy(tls12)).toEqual(lines(sent.filter((m) => m.busId !== impostor)));
      expect(tls12.refused.length).toBeGreaterThan(0);
      expect(tls12.refused.every((r) => r.stage === 'tls')).toBe(true);
    } finally {
      await tls12.close();
    }
  });

  it('refuses a bus with a valid certificate whose client id is not its CN', async () => {
    const [owner, other] = busIds as [string, string];
    const ownerFiles = busFiles(pki.certsDir, owner);
    const refusedBefore = broker.refused.length;

    // Directly: the owner's certificate, another client id.
    await expect(connectDirect(broker.url, other, ownerFiles)).rejects.toThrow(/not authorized/i);
    // The same certificate with its own id is accepted: it is the id that was refused.
    const ok = await connectDirect(broker.url, owner, ownerFiles);
    await ok.endAsync();

    // Through the simulator: bus `other` presents the owner's certificate.
    const genuine = certificateDirectory(pki.certsDir);
    const from = broker.received.length;
    const { summary, sent } = await simulate(broker.url, (busId) => genuine(busId === other ? owner : busId), 5);
    const ofOther = sent.filter((m) => m.busId === other);
    expect(ofOther.length).toBeGreaterThan(0);
    expect(summary.delivery.failed).toBe(ofOther.length);
    expect(summary.delivery.delivered).toBe(sent.length - ofOther.length);
    expect(Object.keys(summary.delivery.failures).join(' ')).toMatch(/not authorized/i);
    expect(receivedBy(broker, from)).toEqual(lines(sent.filter((m) => m.busId !== other)));

    const refusals = broker.refused.slice(refusedBefore);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((r) => r.stage === 'connect' && r.clientId === other && r.certificateCn === owner)).toBe(true);
  });

  // A broker may close the connection before its CONNACK without the client emitting 'error' (a TLS 1.3 server
  // refusing the client certificate without an alert, IoT Core denying iot:Connect): the sink must report it.
  it('reports a bus whose connection is closed before CONNACK instead of waiting for ever', async () => {
    const [impostor] = busIds as [string];
    const impostorDir = pki.newCertificateDirectory('tls13-impostor');
    pki.issueImpostorCertificate(impostor, impostorDir);
    const tls13 = await startTlsBroker({ certPem: pki.server.certPem, keyPem: pki.server.keyPem, caPem: pki.ca.pem, maxVersion: 'TLSv1.3' });
    const sink = new MqttSink({ url: tls13.url, identity: certificateDirectory(impostorDir), connectTimeoutMs: 5000 });
    const message: OutboundMessage = { busId: impostor, kind: 'gps', sendAtMs: TEST_NOW, msgId: 'm-1', body: { records: [] } };
    const written = sink.write([message]).then(() => 'settled' as const);
    const outcome = await Promise.race([written, delay(2500).then(() => 'still waiting' as const)]);
    const attempts = tls13.refused.length;
    // Closing the broker turns the next retry into ECONNREFUSED, an error the sink does see: nothing is left running.
    await tls13.close();
    await written;
    const report = await sink.close();
    expect(report.failed).toBe(1);
    expect(outcome, `the sink was still waiting after ${attempts} refused handshakes`).toBe('settled');
  });
});
