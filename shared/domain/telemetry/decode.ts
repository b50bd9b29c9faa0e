/**
 * From one stream record to a validated message: unwrap the rule envelope, parse the payload, check the MQTT
 * contract v1 (schema, topic/body busId, plausibility). Valid elements of a list message survive the invalid
 * ones beside them; everything refused comes back as a Reject with its reason.
 */
import type { z } from 'zod';
import {
  MAX_PAYLOAD_BYTES,
  dutyMessageSchema,
  gateListSchema,
  gpsListSchema,
  gpsRecordSchema,
  ruleEnvelopeSchema,
  tapSchema,
  wifiMessageSchema,
  type DutyMessage,
  type GpsRecord,
  type Tap,
  type TelemetryKind,
  type WifiMessage,
  TELEMETRY_KINDS,
  telemetryTopic,
} from '../../catalogue/index.js';
import { implausibleTimestamp, type PlausibilityConfig } from './plausibility.js';
import type { Reject } from './reject.js';
import { firstIssue } from './zod-issue.js';

export type ValidMessage =
  | { kind: 'gps'; busId: string; msgId: string; records: GpsRecord[] }
  | { kind: 'gate'; busId: string; msgId: string; taps: Tap[] }
  | { kind: 'wifi'; busId: string; msgId: string; sample: WifiMessage }
  | { kind: 'duty'; busId: string; msgId: string; event: DutyMessage };

export interface DecodedRecord {
  /** Undefined when nothing in the message survived validation. */
  message?: ValidMessage;
  rejects: Reject[];
  receivedAt: number;
}

const kinds = new Set<string>(TELEMETRY_KINDS);
const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Context {
  topic: string;
  busId: string;
  receivedAt: number;
  payload: Uint8Array;
}

function reject(ctx: Context, code: Reject['code'], reason: string, extra: Partial<Reject> = {}): Reject {
  return { code, reason, busId: ctx.busId, topic: ctx.topic, receivedAt: ctx.receivedAt, payload: ctx.payload, ...extra };
}

/**
 * Decodes the data of one stream record (the bytes of the rule envelope JSON).
 * `arrivalMs` stands in for the receipt time when the envelope itself is unreadable.
 */
export function decodeTelemetryRecord(data: Uint8Array, arrivalMs: number, cfg: PlausibilityConfig): DecodedRecord {
  let envelopeJson: unknown;
  try {
    envelopeJson = JSON.parse(utf8.decode(data));
  } catch {
    envelopeJson = undefined;
  }
  const envelope = ruleEnvelopeSchema.safeParse(envelopeJson);
  if (!envelope.success) {
    const ctx: Context = { topic: '', busId: '', receivedAt: arrivalMs, payload: data };
    return { rejects: [reject(ctx, 'malformed-envelope', 'stream record is not a telemetry rule envelope')], receivedAt: arrivalMs };
  }
  const { topicBusId, topicKind, receivedAt } = envelope.data;
  const payload = Buffer.from(envelope.data.payload, 'base64');
  const topic = `bus/${topicBusId}/${topicKind}`;
  const ctx: Context = { topic, busId: topicBusId, receivedAt, payload };
  const fail = (code: Reject['code'], reason: string, field?: string): DecodedRecord => ({
    rejects: [reject(ctx, code, reason, field ? { field } : {})],
    receivedAt,
  });

  if (!kinds.has(topicKind)) return fail('unknown-topic', `topic ${topic} is not a telemetry topic`);
  const kind = topicKind as TelemetryKind;
  if (payload.byteLength > MAX_PAYLOAD_BYTES) {
    return fail('payload-too-large', `payload is ${payload.byteLength} bytes, more than ${MAX_PAYLOAD_BYTES}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(payload));
  } catch (err) {
    return fail('malformed-json', `payload is not UTF-8 JSON: ${(err as Error).message}`);
  }
  const bodyBusId = (body as { busId?: unknown } | null)?.busId;
  if (typeof bodyBusId === 'string' && bodyBusId !== topicBusId) {
    return fail('busid-mismatch', `busId "${bodyBusId}" in the body differs from "${topicBusId}" in the topic ${telemetryTopic(topicBusId, kind)}`, 'busId');
  }
  return validateBody(ctx, kind, body, cfg);
}

function validateBody(ctx: Context, kind: TelemetryKind, body: unknown, cfg: PlausibilityConfig): DecodedRecord {
  const { receivedAt } = ctx;
  const schemaReject = (error: z.ZodError, prefix = '', recordIndex?: number): Reject => {
    const { field, reason } = firstIssue(error, prefix);
    return reject(ctx, 'schema', reason, { field, ...(recordIndex === undefined ? {} : { recordIndex }) });
  };
  const timeReject = (tsMs: number, field: string, recordIndex?: number): Reject | undefined => {
    const why = implausibleTimestamp(tsMs, receivedAt, cfg);
    return why ? reject(ctx, 'implausible', `${field}: ${why}`, { field, ...(recordIndex === undefined ? {} : { recordIndex }) }) : undefined;
  };

  switch (kind) {
    case 'gps': {
      const list = gpsListSchema.safeParse(body);
      if (!list.success) return { rejects: [schemaReject(list.error)], receivedAt };
      const { records, rejects } = validateElements(list.data.records, 'records', gpsRecordSchema, schemaReject, timeReject);
      const message = records.length ? { kind, busId: list.data.busId, msgId: list.data.msgId, records } : undefined;
      return { ...(message ? { message } : {}), rejects, receivedAt };
    }
    case 'gate': {
      const list = gateListSchema.safeParse(body);
      if (!list.success) return { rejects: [schemaReject(list.error)], receivedAt };
      const { records: taps, rejects } = validateElements(list.data.taps, 'taps', tapSchema, schemaReject, timeReject);
      const message = taps.length ? { kind, busId: list.data.busId, msgId: list.data.msgId, taps } : undefined;
      return { ...(message ? { message } : {}), rejects, receivedAt };
    }
    case 'wifi': {
      const parsed = wifiMessageSchema.safeParse(body);
      if (!parsed.success) return { rejects: [schemaReject(parsed.error)], receivedAt };
      const late = timeReject(parsed.data.ts, 'ts');
      if (late) return { rejects: [late], receivedAt };
      return { message: { kind, busId: parsed.data.busId, msgId: parsed.data.msgId, sample: parsed.data }, rejects: [], receivedAt };
    }
    case 'duty': {
      const parsed = dutyMessageSchema.safeParse(body);
      if (!parsed.success) return { rejects: [schemaReject(parsed.error)], receivedAt };
      const late = timeReject(parsed.data.ts, 'ts');
      if (late) return { rejects: [late], receivedAt };
      return { message: { kind, busId: parsed.data.busId, msgId: parsed.data.msgId, event: parsed.data }, rejects: [], receivedAt };
    }
  }
}

function validateElements<T extends { ts: number }>(
  elements: unknown[],
  name: string,
  schema: z.ZodType<T>,
  schemaReject: (error: z.ZodError, prefix: string, recordIndex: number) => Reject,
  timeReject: (tsMs: number, field: string, recordIndex: number) => Reject | undefined,
): { records: T[]; rejects: Reject[] } {
  const records: T[] = [];
  const rejects: Reject[] = [];
  elements.forEach((element, i) => {
    const parsed = schema.safeParse(element);
    if (!parsed.success) {
      rejects.push(schemaReject(parsed.error, `${name}[${i}]`, i));
      return;
    }
    const late = timeReject(parsed.data.ts, `${name}[${i}].ts`, i);
    if (late) rejects.push(late);
    else records.push(parsed.data);
  });
  return { records, rejects };
}
