import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { dutyMessageSchema, gateMessageSchema, gpsMessageSchema, MAX_GPS_RECORDS, MAX_TAPS, wifiMessageSchema } from '../../../shared/catalogue/messages.js';
import { DeviceFaultInjector } from '../../../simulator/core/device-faults.js';
import type { OutboundMessage, TruthRecord } from '../../../simulator/core/events.js';
import { type FaultProfile, faultProfiles } from '../../../simulator/core/faults.js';
import { Rng } from '../../../simulator/core/rng.js';

const BUS = 'bus-042';
const START_MS = Date.UTC(2026, 2, 2, 23, 0, 0); // 06:00 in Ho Chi Minh City
const HOUR_MS = 3_600_000;
const M_PER_DEG_LAT = (Math.PI / 180) * 6_371_008.8;

const schemas: Record<OutboundMessage['kind'], z.ZodType> = {
  gps: gpsMessageSchema,
  gate: gateMessageSchema,
  wifi: wifiMessageSchema,
  duty: dutyMessageSchema,
};

/** Only the named device faults switched on. */
function profileWith(knobs: Partial<FaultProfile>): FaultProfile {
  return { ...faultProfiles.none, ...knobs };
}

/**
 * A synthetic bus day: a GPS message every 10 s with 10 fixes at 1 Hz, a gate message with 2 taps every 30 s,
 * wifi counters every 60 s, duty events at both ends. Sorted by sendAtMs; every message sent 1 s after its data.
 */
function busDay(hours: number): { messages: OutboundMessage[]; day: { startMs: number; endMs: number } } {
  const endMs = START_MS + hours * HOUR_MS;
  const messages: OutboundMessage[] = [];
  let n = 0;
  const add = (kind: OutboundMessage['kind'], sendAtMs: number, fields: Record<string, unknown>): void => {
    const msgId = `${BUS}-${kind}-${n++}`;
    messages.push({ busId: BUS, kind, sendAtMs, msgId, body: { v: 1, msgId, busId: BUS, ...fields } });
  };
  add('duty', START_MS + 500, { ts: START_MS, event: 'sign_on', driverId: 'drv-7' });
  for (let t = START_MS; t + 10_000 < endMs; t += 10_000) {
    const records = Array.from({ length: 10 }, (_, i) => {
      const s = (t - START_MS) / 1000 + i;
      return {
        ts: t + i * 1000,
        lat: 10.7769 + 0.01 * Math.sin(s / 900),
        lon: 106.7009 + 0.01 * Math.cos(s / 900),
        speedKmh: 22,
        heading: 90,
        accuracyM: 4,
        doorOpen: false,
        odometerM: s * 6,
      };
    });
    add('gps', t + 10_000, { records });
    if ((t - START_MS) % 30_000 === 0) {
      const taps = [0, 1].map((k) => ({
        tapId: `tap-${t}-${k}`,
        ts: t + 5_000 + k * 700,
        cardId: `card-${k}`,
        product: 'single',
        amountVnd: 7000,
        medium: 'card',
      }));
      add('gate', t + 10_001, { taps });
    }
    if ((t - START_MS) % 60_000 === 0) {
      add('wifi', t + 10_002, { ts: t + 9_000, up: true, clients: 12, bytesIn: 1000, bytesOut: 5000, portalLogins: 3 });
    }
  }
  add('duty', endMs - 500, { ts: endMs - 1_000, event: 'sign_off', driverId: 'drv-7' });
  return { messages, day: { startMs: START_MS, endMs } };
}

interface Run {
  injector: DeviceFaultInjector;
  /** What each process() / flush() call returned, with the window end it was given (Infinity for flush). */
  windows: { endMs: number; out: OutboundMessage[] }[];
  out: OutboundMessage[];
  faults: TruthRecord[];
}

/** Feeds the day through an injector in windows of windowMs, then flushes. */
function run(profile: FaultProfile, seed: number, input: ReturnType<typeof busDay>, windowMs = 5 * 60_000): Run {
  const injector = new DeviceFaultInjector(BUS, profile, new Rng(seed, BUS), input.day);
  const windows: Run['windows'] = [];
  const faults: TruthRecord[] = [];
  let i = 0;
  for (let end = input.day.startMs + windowMs; ; end += windowMs) {
    const windowEndMs = Math.min(end, input.day.endMs);
    const batch: OutboundMessage[] = [];
    while (i < input.messages.length && input.messages[i]!.sendAtMs < windowEndMs) batch.push(input.messages[i++]!);
    windows.push({ endMs: windowEndMs, out: injector.process(batch, windowEndMs) });
    faults.push(...injector.drainFaults());
    if (windowEndMs >= input.day.endMs) break;
  }
  windows.push({ endMs: Number.POSITIVE_INFINITY, out: injector.flush(input.day.endMs) });
  faults.push(...injector.drainFaults());
  return { injector, windows, out: windows.flatMap((w) => w.out), faults };
}

function faultsNamed(faults: readonly TruthRecord[], name: string): Extract<TruthRecord, { type: 'fault' }>[] {
  return faults.filter((f): f is Extract<TruthRecord, { type: 'fault' }> => f.type === 'fault' && f.fault === name);
}

type Body = Record<string, unknown>;
const bodyOf = (m: OutboundMessage): Body => m.body as Body;
const recordsOf = (m: OutboundMessage): Body[] => (bodyOf(m).records as Body[] | undefined) ?? [];
const tapsOf = (m: OutboundMessage): Body[] => (bodyOf(m).taps as Body[] | undefined) ?? [];
/** Every ts carried by a body: fixes, taps or the message's own. */
const timestampsOf = (m: OutboundMessage): number[] =>
  m.kind === 'gps' ? recordsOf(m).map((r) => r.ts as number) : m.kind === 'gate' ? tapsOf(m).map((t) => t.ts as number) : [bodyOf(m).ts as number];
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

/** Binomial check: |observed − n·p| within 4 standard deviations. */
function expectBinomial(observed: number, n: number, p: number): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(observed - n * p)).toBeLessThanOrEqual(4 * sd);
}

/** The messages sent for one offline episode: new upload batches and the held wifi/duty messages, in send order. */
function uploadOf(out: OutboundMessage[], input: OutboundMessage[], e: { fromMs: number; toMs: number }): OutboundMessage[] {
  const heldIds = new Set(input.filter((m) => m.sendAtMs >= e.fromMs && m.sendAtMs < e.toMs).map((m) => m.msgId));
  return out.filter((m) => m.sendAtMs >= e.toMs && (heldIds.has(m.msgId) || (m.msgId.startsWith(`${BUS}-up-`) && m.sendAtMs < e.toMs + 60_000)));
}

describe('DeviceFaultInjector', () => {
  const day = busDay(4);

  it('passes every message through unchanged under the none profile, without touching the input', () => {
    const before = structuredClone(day.messages);
    const result = run(faultProfiles.none, 1, day);
    expect(result.out).toEqual(day.messages);
    expect(result.faults).toEqual([]);
    expect(day.messages).toEqual(before);
  });

  it('gives identical output and faults for the same seed and different ones for another seed', () => {
    const a = run(faultProfiles.harsh, 7, day);
    const b = run(faultProfiles.harsh, 7, day);
    const c = run(faultProfiles.harsh, 8, day);
    expect(JSON.stringify(b.out)).toBe(JSON.stringify(a.out));
    expect(b.faults).toEqual(a.faults);
    expect(JSON.stringify(c.out)).not.toBe(JSON.stringify(a.out));
  });

  it('does not depend on how the day is cut into windows', () => {
    for (const seed of [3, 4, 5]) {
      const fine = run(faultProfiles.harsh, seed, day, 60_000);
      const coarse = run(faultProfiles.harsh, seed, day, 4 * HOUR_MS);
      expect(fine.out).toEqual(coarse.out);
      expect(sorted(fine.faults.map((f) => ('fromMs' in f ? f.fromMs : 0)))).toEqual(sorted(coarse.faults.map((f) => ('fromMs' in f ? f.fromMs : 0))));
    }
  });

  it('sends every message of a window before its end, in send order across the whole day', () => {
    const result = run(faultProfiles.harsh, 11, day, 2 * 60_000);
    let previousEndMs = Number.NEGATIVE_INFINITY;
    for (const { endMs, out } of result.windows) {
      for (const m of out) {
        expect(m.sendAtMs).toBeLessThan(endMs);
        expect(m.sendAtMs).toBeGreaterThanOrEqual(previousEndMs);
      }
      previousEndMs = endMs;
    }
    const sendTimes = result.out.map((m) => m.sendAtMs);
    expect(sendTimes).toEqual(sorted(sendTimes));
  });

  it('moves fixes by 2-D Gaussian noise whose RMS displacement is gpsNoiseM·√2, with a plausible accuracyM', () => {
    const noiseM = 10;
    const result = run(profileWith({ gpsNoiseM: noiseM }), 21, busDay(1.5));
    const truth = new Map(
      busDay(1.5)
        .messages.filter((m) => m.kind === 'gps')
        .flatMap(recordsOf)
        .map((r) => [r.ts as number, r]),
    );
    const fixes = result.out.filter((m) => m.kind === 'gps').flatMap(recordsOf);
    expect(fixes.length).toBeGreaterThanOrEqual(5000);
    let sumSq = 0;
    for (const fix of fixes) {
      const real = truth.get(fix.ts as number)!;
      const northM = ((fix.lat as number) - (real.lat as number)) * M_PER_DEG_LAT;
      const eastM = ((fix.lon as number) - (real.lon as number)) * M_PER_DEG_LAT * Math.cos(((real.lat as number) * Math.PI) / 180);
      sumSq += northM ** 2 + eastM ** 2;
      expect(fix.accuracyM).toBeGreaterThanOrEqual(3);
      expect(Number((fix.lat as number).toFixed(6))).toBe(fix.lat);
      expect(Number((fix.lon as number).toFixed(6))).toBe(fix.lon);
      expect(fix.speedKmh).toBe(real.speedKmh);
    }
    const rmsM = Math.sqrt(sumSq / fixes.length);
    expect(Math.abs(rmsM - noiseM * Math.SQRT2) / (noiseM * Math.SQRT2)).toBeLessThan(0.2);
    expect(faultsNamed(result.faults, 'gps_jump')).toEqual([]);
  });

  it('throws about gpsJumpRate of the fixes roughly gpsJumpM away and records each jump', () => {
    const result = run(profileWith({ gpsJumpRate: 0.02, gpsJumpM: 300 }), 5, day);
    const truth = new Map(
      day.messages
        .filter((m) => m.kind === 'gps')
        .flatMap(recordsOf)
        .map((r) => [r.ts as number, r]),
    );
    const fixes = result.out.filter((m) => m.kind === 'gps').flatMap(recordsOf);
    const jumped = fixes.filter((f) => f.lat !== truth.get(f.ts as number)!.lat || f.lon !== truth.get(f.ts as number)!.lon);
    expectBinomial(jumped.length, fixes.length, 0.02);
    for (const fix of jumped) {
      const real = truth.get(fix.ts as number)!;
      const northM = ((fix.lat as number) - (real.lat as number)) * M_PER_DEG_LAT;
      const eastM = ((fix.lon as number) - (real.lon as number)) * M_PER_DEG_LAT * Math.cos(((real.lat as number) * Math.PI) / 180);
      expect(Math.hypot(northM, eastM)).toBeGreaterThan(0.75 * 300 - 1);
      expect(Math.hypot(northM, eastM)).toBeLessThan(1.25 * 300 + 1);
    }
    expect(sorted(faultsNamed(result.faults, 'gps_jump').map((f) => f.fromMs))).toEqual(sorted(jumped.map((f) => f.ts as number)));
  });

  it('shifts every body ts by one constant offset within ±clockSkewS and leaves sendAtMs alone', () => {
    const offsets = new Set<number>();
    for (const seed of [1, 2, 3]) {
      const result = run(profileWith({ clockSkewS: 30 }), seed, day);
      const original = new Map(day.messages.map((m) => [m.msgId, m]));
      expect(result.out).toHaveLength(day.messages.length);
      const shifts = new Set<number>();
      for (const m of result.out) {
        const real = original.get(m.msgId)!;
        expect(m.sendAtMs).toBe(real.sendAtMs);
        for (const [i, ts] of timestampsOf(m).entries()) shifts.add(ts - timestampsOf(real)[i]!);
      }
      expect(shifts.size).toBe(1);
      const [offsetMs] = [...shifts] as [number];
      expect(Math.abs(offsetMs)).toBeLessThanOrEqual(30_000);
      expect(result.injector.clockOffsetMs).toBe(offsetMs);
      expect(faultsNamed(result.faults, 'clock_skew').map((f) => f.detail)).toEqual([{ offsetMs }]);
      offsets.add(offsetMs);
    }
    expect(offsets.size).toBe(3);
  });

  it('loses messages at dropoutRate, gate messages at a quarter of it, and records what each covered', () => {
    const long = busDay(12);
    const result = run(profileWith({ dropoutRate: 0.2 }), 9, long);
    const sent = new Set(result.out.map((m) => m.msgId));
    const lost = long.messages.filter((m) => !sent.has(m.msgId));
    const count = (kind: string, list: OutboundMessage[]): number => list.filter((m) => m.kind === kind).length;
    expectBinomial(count('gps', lost), count('gps', long.messages), 0.2);
    expectBinomial(count('gate', lost), count('gate', long.messages), 0.05);
    const dropouts = faultsNamed(result.faults, 'dropout');
    expect(dropouts.map((f) => f.detail!.msgId)).toEqual(lost.map((m) => m.msgId));
    const firstGps = lost.find((m) => m.kind === 'gps')!;
    const record = dropouts.find((f) => f.detail!.msgId === firstGps.msgId)!;
    expect([record.fromMs, record.toMs]).toEqual([recordsOf(firstGps)[0]!.ts, recordsOf(firstGps)[9]!.ts]);
    expect(record.detail).toMatchObject({ kind: 'gps', items: 10 });
  });

  it('sends duplicates 0.5–5 s later with the same msgId and body', () => {
    const result = run(profileWith({ duplicateRate: 0.1 }), 13, day);
    const byId = new Map<string, OutboundMessage[]>();
    for (const m of result.out) byId.set(m.msgId, [...(byId.get(m.msgId) ?? []), m]);
    const twice = [...byId.values()].filter((copies) => copies.length > 1);
    expectBinomial(twice.length, day.messages.length, 0.1);
    for (const [first, again] of twice as [OutboundMessage, OutboundMessage][]) {
      expect(again.body).toEqual(first.body);
      expect(again.sendAtMs - first.sendAtMs).toBeGreaterThanOrEqual(500);
      expect(again.sendAtMs - first.sendAtMs).toBeLessThanOrEqual(5_000);
    }
    expect(sorted(faultsNamed(result.faults, 'duplicate').map((f) => f.toMs!))).toEqual(sorted(twice.map((c) => c[1]!.sendAtMs)));
  });

  describe('offline episodes', () => {
    const offline = (outOfOrderRate: number): FaultProfile =>
      profileWith({ offlinePerBusDay: 3, offlineMinMinutes: 15, offlineMaxMinutes: 40, outOfOrderRate });

    it('holds what falls in an episode and uploads it after, every fix exactly once in batches of ≤ 600', () => {
      const result = run(offline(0), 17, day, 7 * 60_000);
      const episodes = result.injector.offlineEpisodes;
      expect(episodes.length).toBeGreaterThan(0);
      const inEpisode = (t: number): boolean => episodes.some((e) => t >= e.fromMs && t < e.toMs);
      expect(result.out.filter((m) => inEpisode(m.sendAtMs))).toEqual([]);
      // a window boundary falls inside at least one episode
      expect(result.windows.some((w) => episodes.some((e) => w.endMs > e.fromMs && w.endMs < e.toMs))).toBe(true);

      const held = day.messages.filter((m) => inEpisode(m.sendAtMs));
      const uploads = result.out.filter((m) => m.msgId.startsWith(`${BUS}-up-`));
      expect(uploads.filter((m) => m.kind === 'gps').some((m) => recordsOf(m).length === MAX_GPS_RECORDS)).toBe(true);
      for (const m of uploads) {
        expect(recordsOf(m).length).toBeLessThanOrEqual(MAX_GPS_RECORDS);
        expect(tapsOf(m).length).toBeLessThanOrEqual(MAX_TAPS);
        expect(schemas[m.kind].safeParse(m.body).success).toBe(true);
      }
      for (const kind of ['gps', 'gate'] as const) {
        const heldTs = held.filter((m) => m.kind === kind).flatMap(timestampsOf);
        expect(sorted(uploads.filter((m) => m.kind === kind).flatMap(timestampsOf))).toEqual(sorted(heldTs));
      }
      // wifi and duty keep their own messages, sent late
      const sentById = new Map(result.out.map((m) => [m.msgId, m]));
      for (const m of held.filter((h) => h.kind === 'wifi' || h.kind === 'duty')) {
        expect(sentById.get(m.msgId)!.body).toEqual(m.body);
        expect(sentById.get(m.msgId)!.sendAtMs).toBeGreaterThan(m.sendAtMs);
      }
      // nothing else is lost or repeated
      const allTs = (list: OutboundMessage[]): number[] => sorted(list.filter((m) => m.kind === 'gps').flatMap(timestampsOf));
      expect(allTs(result.out)).toEqual(allTs(day.messages));

      const records = faultsNamed(result.faults, 'offline');
      expect(records.map((f) => [f.fromMs, f.toMs])).toEqual(episodes.map((e) => [e.fromMs, e.toMs]));
      expect(records.reduce((n, f) => n + (f.detail!.messages as number), 0)).toBe(held.length);
      for (const e of episodes) {
        const batch = uploadOf(result.out, day.messages, e);
        expect(batch.length).toBe(records.find((f) => f.fromMs === e.fromMs)!.detail!.uploads);
        expect(batch.map((m) => m.sendAtMs - e.toMs)).toEqual(batch.map((_, i) => i * 200));
      }
    });

    it('uploads newest first when outOfOrderRate is 1', () => {
      const result = run(offline(1), 17, day);
      const episode = result.injector.offlineEpisodes[0]!;
      const upload = uploadOf(result.out, day.messages, episode);
      const firstTs = upload.map((m) => timestampsOf(m)[0]!);
      expect(upload.length).toBeGreaterThan(2);
      expect(firstTs).toEqual(sorted(firstTs).reverse());
      for (const m of upload.filter((u) => u.kind === 'gps')) {
        const ts = timestampsOf(m);
        expect(ts).toEqual(sorted(ts).reverse());
      }
      expect(faultsNamed(result.faults, 'offline').every((f) => f.detail!.newestFirst === true)).toBe(true);
    });

    it('ends an episode still open at the end of the day there and flush releases it', () => {
      const short = busDay(1);
      const profile = profileWith({ offlinePerBusDay: 6, offlineMinMinutes: 30, offlineMaxMinutes: 40 });
      const seed = [...Array(50).keys()].find((s) => {
        const episodes = new DeviceFaultInjector(BUS, profile, new Rng(s, BUS), short.day).offlineEpisodes;
        return episodes.some((e) => e.toMs > short.day.endMs);
      })!;
      expect(seed).toBeDefined();
      const result = run(profile, seed, short);
      const last = faultsNamed(result.faults, 'offline').at(-1)!;
      expect(last.toMs).toBe(short.day.endMs);
      const flushed = result.windows.at(-1)!.out;
      expect(flushed.length).toBeGreaterThan(0);
      expect(flushed.every((m) => m.sendAtMs >= short.day.endMs)).toBe(true);
      const allTs = (list: OutboundMessage[]): number[] => sorted(list.filter((m) => m.kind === 'gps').flatMap(timestampsOf));
      expect(allTs(result.out)).toEqual(allTs(short.messages));
    });
  });

  it('flush releases duplicates still due after the last window', () => {
    const input = busDay(0.5);
    const profile = profileWith({ duplicateRate: 1 });
    const result = run(profile, 1, input);
    const flushed = result.windows.at(-1)!.out;
    expect(flushed.length).toBeGreaterThan(0);
    expect(result.out).toHaveLength(2 * input.messages.length);
  });

  it('makes malformed bodies fail the contract while every other body satisfies it', () => {
    const result = run({ ...faultProfiles.harsh, malformedRate: 0.1 }, 23, day);
    const malformed = faultsNamed(result.faults, 'malformed');
    const variants = new Map(malformed.map((f) => [f.detail!.msgId as string, f.detail!.variant]));
    // held messages are the device's buffer, never malformed; dropped ones are never sent
    const held = faultsNamed(result.faults, 'offline').reduce((n, f) => n + (f.detail!.messages as number), 0);
    expectBinomial(malformed.length, day.messages.length - held - faultsNamed(result.faults, 'dropout').length, 0.1);
    expect(new Set(variants.values())).toEqual(new Set(['truncated_json', 'wrong_type', 'missing_msgId']));
    for (const m of result.out) {
      expect(m.busId).toBe(BUS);
      const ok = schemas[m.kind].safeParse(m.body).success;
      const variant = variants.get(m.msgId);
      expect(ok).toBe(variant === undefined);
      if (variant === 'truncated_json') {
        expect(typeof m.body).toBe('string');
        expect(() => JSON.parse(m.body as string)).toThrow();
      }
      if (typeof m.body !== 'string') expect(bodyOf(m).busId).toBe(BUS);
    }
  });
});
