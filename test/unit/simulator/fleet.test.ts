/** The fleet's day end to end, into files: byte-identical for a seed, and consistent with itself. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../../../shared/gtfs/model.js';
import { loadGtfs } from '../../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../../shared/gtfs/time.js';
import { faultProfiles, parseFaultProfile } from '../../../simulator/core/faults.js';
import { SAMPLE_NETWORK_DIR } from '../../../simulator/networks/index.js';
import { NdjsonMessageSink, NdjsonTruthSink } from '../../../simulator/output/ndjson-sink.js';
import { CountingSink } from '../../../simulator/output/sink.js';
import { runSimulation } from '../../../simulator/run.js';

const DAY = '2026-11-26';
let network: Network;
let dir: string;
beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  dir = mkdtempSync(join(tmpdir(), 'busflow-fleet-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runToFiles(name: string, seed: number) {
  const out = join(dir, `${name}.ndjson.gz`);
  const truth = join(dir, `${name}.truth.ndjson`);
  const summary = await runSimulation({
    network,
    serviceDay: DAY,
    seed,
    buses: 6,
    speed: Number.POSITIVE_INFINITY,
    profile: faultProfiles.default,
    sink: new NdjsonMessageSink(out),
    truth: new NdjsonTruthSink(truth),
    fromMs: serviceTimeToEpochMs(DAY, 6 * 3600, network.timezone),
    toMs: serviceTimeToEpochMs(DAY, 9 * 3600, network.timezone),
  });
  return { summary, messages: gunzipSync(readFileSync(out)).toString(), truth: readFileSync(truth, 'utf8') };
}

describe('a fleet day', () => {
  it('is byte-identical for the same seed and different for another', async () => {
    const a = await runToFiles('a', 11);
    const b = await runToFiles('b', 11);
    const c = await runToFiles('c', 12);
    expect(a.messages.length).toBeGreaterThan(10_000);
    expect(b.messages).toBe(a.messages);
    expect(b.truth).toBe(a.truth);
    expect(c.messages).not.toBe(a.messages);
  });

  it('emits only the asked part of the day, in send order, and counts what it emitted', async () => {
    const { summary, messages } = await runToFiles('d', 5);
    const lines = messages
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { topic: string; sendAtMs: number; payload: string });
    expect(lines).toHaveLength(summary.messages);
    const from = serviceTimeToEpochMs(DAY, 6 * 3600, network.timezone);
    const to = serviceTimeToEpochMs(DAY, 9 * 3600, network.timezone);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.sendAtMs).toBeGreaterThanOrEqual(lines[i - 1]!.sendAtMs);
    expect(lines[0]!.sendAtMs).toBeGreaterThanOrEqual(from);
    expect(lines[lines.length - 1]!.sendAtMs).toBeLessThan(to);
    expect(new Set(lines.map((l) => l.topic.split('/')[2]))).toEqual(new Set(['gps', 'gate', 'wifi', 'duty']));
    expect(summary.delivery).toEqual({ delivered: summary.messages, failed: 0, failures: {} });
  });

  it('loses nothing between windows: without device faults every tap of the truth is published', async () => {
    const taps = new Set<string>();
    const sink = new CountingSink();
    const tee = {
      write: async (ms: readonly import('../../../simulator/core/events.js').OutboundMessage[]) => {
        for (const m of ms) if (m.kind === 'gate' && typeof m.body !== 'string') for (const t of m.body.taps as { tapId: string }[]) taps.add(t.tapId);
        await sink.write(ms);
      },
      close: () => sink.close(),
    };
    const truthTaps = new Set<string>();
    await runSimulation({
      network,
      serviceDay: DAY,
      seed: 4,
      buses: 10,
      speed: Number.POSITIVE_INFINITY,
      sink: tee,
      truth: {
        write: async (rs) => {
          for (const r of rs) if (r.type === 'tap') truthTaps.add(r.tap.tapId);
        },
        close: async () => undefined,
      },
      profile: { ...faultProfiles.none, gpsIntervalJitter: 1 },
    });
    expect(truthTaps.size).toBeGreaterThan(1000);
    expect(taps).toEqual(truthTaps);
  });

  it('reports operational and device faults in the truth', async () => {
    const sink = new CountingSink();
    const summary = await runSimulation({
      network,
      serviceDay: DAY,
      seed: 2,
      buses: 14,
      speed: Number.POSITIVE_INFINITY,
      sink,
      profile: parseFaultProfile('detourRate=0.3,unscheduledPerBusDay=1,lateDepartureRate=0.3'),
    });
    for (const fault of ['detour', 'unscheduled_trip', 'late_departure', 'dropout', 'duplicate', 'offline', 'clock_skew', 'gps_jump', 'skipped_stop']) {
      expect(summary.faults[fault], fault).toBeGreaterThan(0);
    }
    expect(summary.trips.unscheduled).toBeGreaterThan(0);
    expect(sink.gpsRecords).toBe(summary.gpsRecords);
  });
});
