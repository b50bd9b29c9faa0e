/**
 * Device faults: what BusFlow receives differs from what happened. The injector sits between a bus's generated
 * messages and the broker, one time window at a time; memory is bounded by what is in flight (duplicates due
 * within seconds, the offline buffer). The truth is not changed: 'fault' truth records say what the device did.
 *
 * Choices:
 * - GPS noise is 2-D: independent N(0, gpsNoiseM) errors east and north, so the RMS displacement is
 *   gpsNoiseM·√2. The reported accuracyM is max(3, |error|·U(0.8, 1.5)), rounded to 0.1 m; a jump adds
 *   gpsJumpM·U(0.75, 1.25) in a uniform direction on top and does not raise accuracyM (canyon fixes look fine).
 * - Clock skew: one offset per bus, U(−clockSkewS, +clockSkewS) s rounded to the ms, on every body `ts`.
 * - Gate messages are lost at dropoutRate / 4: validators keep fare data in storage and retry more carefully.
 * - Offline episodes: the count is Poisson(offlinePerBusDay); episodes closer than a minute are merged. Held
 *   messages are the device's buffer, not the network's: they are not dropped, duplicated or malformed. A
 *   duplicate that would fall in an episode is not sent; uploads already scheduled are sent as scheduled.
 * - Separate rng streams (child labels device/fate, gps, clock, offline, upload). Every message takes the same
 *   six fate draws and every fix its noise, dropped or not, so changing one rate does not reshuffle the other
 *   faults (jumps in a dropped message are not recorded: BusFlow never sees them).
 */
import { CONTRACT_VERSION, MAX_GPS_RECORDS, MAX_TAPS } from '../../shared/catalogue/messages.js';
import type { OutboundMessage, TruthRecord } from './events.js';
import type { FaultProfile } from './faults.js';
import type { Rng } from './rng.js';

const M_PER_DEG_LAT = (Math.PI / 180) * 6_371_008.8;
const MIN_REPORTED_ACCURACY_M = 3;
const UPLOAD_SPACING_MS = 200;
const EPISODE_MERGE_GAP_MS = 60_000;
const GATE_DROPOUT_FACTOR = 1 / 4;
const DUPLICATE_DELAY_MS = [500, 5_000] as const;

type Body = Record<string, unknown>;
type MalformedVariant = 'truncated_json' | 'wrong_type' | 'missing_msgId';
const MALFORMED_VARIANTS: readonly MalformedVariant[] = ['truncated_json', 'wrong_type', 'missing_msgId'];

interface OfflineEpisode {
  fromMs: number;
  toMs: number;
  held: OutboundMessage[];
  released: boolean;
}

/** The per-message draws, always all taken so that each stream advances the same way whatever happens. */
interface Fate {
  drop: number;
  malformed: number;
  variant: number;
  cut: number;
  duplicate: number;
  duplicateDelay: number;
}

interface Jump {
  ts: unknown;
  distanceM: number;
  bearingDeg: number;
}

export class DeviceFaultInjector {
  /** The device clock's error, ms, added to every timestamp in the bodies it sends. */
  readonly clockOffsetMs: number;
  private readonly episodes: OfflineEpisode[];
  private readonly fateRng: Rng;
  private readonly gpsRng: Rng;
  private readonly uploadRng: Rng;
  private pending: { message: OutboundMessage; seq: number }[] = [];
  private seq = 0;
  private uploads = 0;
  private faults: TruthRecord[] = [];

  constructor(
    private readonly busId: string,
    private readonly profile: FaultProfile,
    rng: Rng,
    day: { startMs: number; endMs: number },
  ) {
    this.fateRng = rng.child('device/fate');
    this.gpsRng = rng.child('device/gps');
    this.uploadRng = rng.child('device/upload');
    const skewMs = profile.clockSkewS * 1000;
    this.clockOffsetMs = skewMs > 0 ? Math.round(rng.child('device/clock').uniform(-skewMs, skewMs)) + 0 : 0;
    if (skewMs > 0) this.fault('clock_skew', day.startMs, day.endMs, { offsetMs: this.clockOffsetMs });
    this.episodes = drawOfflineEpisodes(profile, rng.child('device/offline'), day);
  }

  /** The offline episodes drawn for this bus's day (an episode still open at flush ends there). */
  get offlineEpisodes(): readonly { fromMs: number; toMs: number }[] {
    return this.episodes.map(({ fromMs, toMs }) => ({ fromMs, toMs }));
  }

  /**
   * Takes the bus's messages for one time window (sorted by sendAtMs, all before windowEndMs) and returns what
   * the device sends in that window, sorted by sendAtMs, including buffered messages released now.
   */
  process(messages: readonly OutboundMessage[], windowEndMs: number): OutboundMessage[] {
    for (const message of messages) this.accept(message);
    for (const episode of this.episodes) {
      if (!episode.released && episode.toMs <= windowEndMs) this.release(episode);
    }
    return this.takeDue(windowEndMs);
  }

  /** Releases anything still buffered at the end of the day; an episode still open ends at endMs. */
  flush(endMs: number): OutboundMessage[] {
    for (const episode of this.episodes) {
      if (episode.released) continue;
      if (episode.held.length === 0 && episode.fromMs >= endMs) {
        episode.released = true; // never reached: the day was over before it began
        continue;
      }
      const lastHeldMs = episode.held.at(-1)?.sendAtMs ?? episode.fromMs;
      episode.toMs = Math.max(Math.min(episode.toMs, endMs), lastHeldMs + 1);
      this.release(episode);
    }
    return this.takeDue(Number.POSITIVE_INFINITY);
  }

  /** Fault truth records produced since the last call. */
  drainFaults(): TruthRecord[] {
    const drained = this.faults;
    this.faults = [];
    return drained;
  }

  private accept(original: OutboundMessage): void {
    const p = this.profile;
    const r = this.fateRng;
    const fate: Fate = {
      drop: r.next(),
      malformed: r.next(),
      variant: r.next(),
      cut: r.next(),
      duplicate: r.next(),
      duplicateDelay: r.next(),
    };
    const { message, jumps } = this.measure(original);
    const episode = this.episodeAt(original.sendAtMs, true);
    if (episode) {
      episode.held.push(message);
      this.recordJumps(message.msgId, jumps);
      return;
    }
    const dropoutRate = original.kind === 'gate' ? p.dropoutRate * GATE_DROPOUT_FACTOR : p.dropoutRate;
    if (fate.drop < dropoutRate) {
      const span = truthSpan(original);
      this.fault('dropout', span.fromMs, span.toMs, { msgId: original.msgId, kind: original.kind, items: span.items });
      return;
    }
    this.recordJumps(message.msgId, jumps);
    const sent = fate.malformed < p.malformedRate ? this.malform(message, fate) : message;
    this.schedule(sent);
    if (fate.duplicate < p.duplicateRate) {
      const [minMs, maxMs] = DUPLICATE_DELAY_MS;
      const againAtMs = sent.sendAtMs + Math.round(minMs + fate.duplicateDelay * (maxMs - minMs));
      if (!this.episodeAt(againAtMs, false)) {
        this.schedule({ ...sent, sendAtMs: againAtMs, body: structuredClone(sent.body) });
        this.fault('duplicate', sent.sendAtMs, againAtMs, { msgId: sent.msgId, kind: sent.kind });
      }
    }
  }

  /** Clock skew on every body ts, noise and jumps on every fix; a new message, the input is not touched. */
  private measure(message: OutboundMessage): { message: OutboundMessage; jumps: Jump[] } {
    const p = this.profile;
    const noisy = p.gpsNoiseM > 0 || (p.gpsJumpRate > 0 && p.gpsJumpM > 0);
    if (typeof message.body === 'string' || (this.clockOffsetMs === 0 && !noisy)) return { message, jumps: [] };
    const jumps: Jump[] = [];
    const body: Body = { ...message.body };
    if (typeof body.ts === 'number') body.ts = body.ts + this.clockOffsetMs;
    if (Array.isArray(body.taps)) {
      body.taps = body.taps.map((tap) => (isBody(tap) && typeof tap.ts === 'number' ? { ...tap, ts: tap.ts + this.clockOffsetMs } : tap));
    }
    if (Array.isArray(body.records)) body.records = body.records.map((fix) => this.measureFix(fix, noisy, jumps));
    return { message: { ...message, body }, jumps };
  }

  private measureFix(fix: unknown, noisy: boolean, jumps: Jump[]): unknown {
    if (!isBody(fix)) return fix;
    const out: Body = { ...fix };
    if (typeof fix.ts === 'number') out.ts = fix.ts + this.clockOffsetMs;
    if (!noisy || typeof fix.lat !== 'number' || typeof fix.lon !== 'number') return out;
    const p = this.profile;
    const r = this.gpsRng;
    const noiseEastM = p.gpsNoiseM > 0 ? r.normal(0, p.gpsNoiseM) : 0;
    const noiseNorthM = p.gpsNoiseM > 0 ? r.normal(0, p.gpsNoiseM) : 0;
    let eastM = noiseEastM;
    let northM = noiseNorthM;
    if (r.chance(p.gpsJumpRate)) {
      const distanceM = p.gpsJumpM * r.uniform(0.75, 1.25);
      const bearingDeg = r.uniform(0, 360);
      eastM += distanceM * Math.sin((bearingDeg * Math.PI) / 180);
      northM += distanceM * Math.cos((bearingDeg * Math.PI) / 180);
      jumps.push({ ts: fix.ts, distanceM: Math.round(distanceM), bearingDeg: Math.round(bearingDeg) });
    }
    if (eastM === 0 && northM === 0) return out;
    const mPerDegLon = M_PER_DEG_LAT * Math.max(Math.cos((fix.lat * Math.PI) / 180), 1e-6);
    out.lat = round(Math.min(90, Math.max(-90, fix.lat + northM / M_PER_DEG_LAT)), 6);
    out.lon = round(wrapLongitude(fix.lon + eastM / mPerDegLon), 6);
    const reportedM = Math.hypot(noiseEastM, noiseNorthM) * r.uniform(0.8, 1.5);
    out.accuracyM = round(Math.max(MIN_REPORTED_ACCURACY_M, reportedM), 1);
    return out;
  }

  private malform(message: OutboundMessage, fate: Fate): OutboundMessage {
    if (typeof message.body === 'string') return message;
    let variant = MALFORMED_VARIANTS[Math.floor(fate.variant * MALFORMED_VARIANTS.length)]!;
    let field: string | undefined;
    let body: Body | string = message.body;
    if (variant === 'wrong_type') {
      const wrong = wrongType(message);
      if (wrong) ({ body, field } = wrong);
      else variant = 'missing_msgId';
    }
    if (variant === 'truncated_json') {
      const text = JSON.stringify(message.body);
      body = text.slice(0, 1 + Math.floor(fate.cut * (text.length - 1))); // a strict prefix of an object: never valid
    } else if (variant === 'missing_msgId') {
      body = { ...message.body };
      delete body.msgId;
    }
    this.fault('malformed', message.sendAtMs, undefined, {
      msgId: message.msgId,
      kind: message.kind,
      variant,
      ...(field ? { field } : {}),
    });
    return { ...message, body };
  }

  /** Sends what the device buffered during an episode as upload batches, starting when it comes back. */
  private release(episode: OfflineEpisode): void {
    episode.released = true;
    const newestFirst = this.uploadRng.chance(this.profile.outOfOrderRate);
    const direction = newestFirst ? -1 : 1;
    const byTs = (a: unknown, b: unknown): number => direction * (tsOf(a) - tsOf(b));
    const records: unknown[] = [];
    const taps: unknown[] = [];
    const batches: { firstTs: number; message: OutboundMessage }[] = [];
    for (const message of episode.held) {
      const body = message.body;
      if (message.kind === 'gps' && isBody(body) && Array.isArray(body.records)) records.push(...body.records);
      else if (message.kind === 'gate' && isBody(body) && Array.isArray(body.taps)) taps.push(...body.taps);
      else batches.push({ firstTs: tsOf(body), message }); // wifi, duty: sent as they were
    }
    records.sort(byTs);
    taps.sort(byTs);
    for (let i = 0; i < records.length; i += MAX_GPS_RECORDS) {
      batches.push(this.uploadBatch('gps', { records: records.slice(i, i + MAX_GPS_RECORDS) }));
    }
    for (let i = 0; i < taps.length; i += MAX_TAPS) {
      batches.push(this.uploadBatch('gate', { taps: taps.slice(i, i + MAX_TAPS) }));
    }
    batches.sort((a, b) => direction * (a.firstTs - b.firstTs));
    for (const [i, { message }] of batches.entries()) this.schedule({ ...message, sendAtMs: episode.toMs + i * UPLOAD_SPACING_MS });
    this.fault('offline', episode.fromMs, episode.toMs, {
      messages: episode.held.length,
      records: records.length,
      taps: taps.length,
      uploads: batches.length,
      newestFirst,
    });
    episode.held = [];
  }

  private uploadBatch(kind: 'gps' | 'gate', items: { records: unknown[] } | { taps: unknown[] }): { firstTs: number; message: OutboundMessage } {
    const msgId = `${this.busId}-up-${++this.uploads}`;
    const firstTs = tsOf('records' in items ? items.records[0] : items.taps[0]);
    const body: Body = { v: CONTRACT_VERSION, msgId, busId: this.busId, ...items };
    return { firstTs, message: { busId: this.busId, kind, sendAtMs: 0, msgId, body } };
  }

  private episodeAt(tMs: number, unreleasedOnly: boolean): OfflineEpisode | undefined {
    return this.episodes.find((e) => (!unreleasedOnly || !e.released) && tMs >= e.fromMs && tMs < e.toMs);
  }

  private schedule(message: OutboundMessage): void {
    this.pending.push({ message, seq: this.seq++ });
  }

  /** Everything scheduled before endMs, in send order (ties in the order they were scheduled). */
  private takeDue(endMs: number): OutboundMessage[] {
    const due = this.pending.filter((s) => s.message.sendAtMs < endMs);
    this.pending = this.pending.filter((s) => s.message.sendAtMs >= endMs);
    return due.sort((a, b) => a.message.sendAtMs - b.message.sendAtMs || a.seq - b.seq).map((s) => s.message);
  }

  private recordJumps(msgId: string, jumps: readonly Jump[]): void {
    for (const { ts, distanceM, bearingDeg } of jumps) {
      this.fault('gps_jump', typeof ts === 'number' ? ts : 0, undefined, { msgId, distanceM, bearingDeg });
    }
  }

  private fault(fault: string, fromMs: number, toMs: number | undefined, detail: Record<string, unknown>): void {
    const base = { type: 'fault' as const, busId: this.busId, fault, fromMs };
    this.faults.push(toMs === undefined ? { ...base, detail } : { ...base, toMs, detail });
  }
}

function drawOfflineEpisodes(profile: FaultProfile, rng: Rng, day: { startMs: number; endMs: number }): OfflineEpisode[] {
  const count = rng.poisson(profile.offlinePerBusDay);
  if (day.endMs <= day.startMs) return [];
  const minMs = Math.min(profile.offlineMinMinutes, profile.offlineMaxMinutes) * 60_000;
  const maxMs = Math.max(profile.offlineMinMinutes, profile.offlineMaxMinutes) * 60_000;
  const drawn: { fromMs: number; toMs: number }[] = [];
  for (let i = 0; i < count; i++) {
    const fromMs = Math.floor(rng.uniform(day.startMs, day.endMs));
    const toMs = fromMs + Math.round(rng.uniform(minMs, maxMs));
    if (toMs > fromMs) drawn.push({ fromMs, toMs });
  }
  drawn.sort((a, b) => a.fromMs - b.fromMs);
  const episodes: OfflineEpisode[] = [];
  for (const { fromMs, toMs } of drawn) {
    const last = episodes.at(-1);
    if (last && fromMs <= last.toMs + EPISODE_MERGE_GAP_MS) last.toMs = Math.max(last.toMs, toMs);
    else episodes.push({ fromMs, toMs, held: [], released: false });
  }
  return episodes;
}

/** A copy of the message's body with one field of the wrong type, or undefined when it has none to break. */
function wrongType(message: OutboundMessage): { body: Body; field: string } | undefined {
  const body = message.body;
  if (!isBody(body)) return undefined;
  const [list, key] = message.kind === 'gps' ? ['records', 'lat'] : message.kind === 'gate' ? ['taps', 'amountVnd'] : [undefined, 'ts'];
  if (list === undefined) {
    return typeof body[key] === 'number' ? { body: { ...body, [key]: String(body[key]) }, field: key } : undefined;
  }
  const items = body[list];
  if (!Array.isArray(items) || !isBody(items[0]) || typeof items[0][key] !== 'number') return undefined;
  const first = { ...items[0], [key]: String(items[0][key]) };
  return { body: { ...body, [list]: [first, ...items.slice(1)] }, field: `${list}[0].${key}` };
}

/** The truth time range a message covers (its fixes, taps or ts), for the dropout record. */
function truthSpan(message: OutboundMessage): { fromMs: number; toMs: number; items: number } {
  const body = message.body;
  const items = !isBody(body) ? [] : Array.isArray(body.records) ? body.records : Array.isArray(body.taps) ? body.taps : [body];
  const times = items.map(tsOf).filter((t) => t > 0);
  if (times.length === 0) return { fromMs: message.sendAtMs, toMs: message.sendAtMs, items: items.length };
  return { fromMs: Math.min(...times), toMs: Math.max(...times), items: items.length };
}

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tsOf(value: unknown): number {
  return isBody(value) && typeof value.ts === 'number' ? value.ts : 0;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function wrapLongitude(lon: number): number {
  return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
}
