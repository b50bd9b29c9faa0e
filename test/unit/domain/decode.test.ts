import { describe, expect, it } from 'vitest';
import { buildRuleEnvelope, MAX_PAYLOAD_BYTES } from '../../../shared/catalogue/index.js';
import { decodeTelemetryRecord } from '../../../shared/domain/telemetry/decode.js';
import { defaultPlausibility } from '../../../shared/domain/telemetry/plausibility.js';

const receivedAt = Date.parse('2026-11-26T03:00:00Z');
const record = (topic: string, payload: string | Uint8Array) =>
  Buffer.from(JSON.stringify(buildRuleEnvelope(topic, typeof payload === 'string' ? Buffer.from(payload) : payload, receivedAt)));
const decode = (topic: string, body: unknown) =>
  decodeTelemetryRecord(record(topic, typeof body === 'string' ? body : JSON.stringify(body)), receivedAt, defaultPlausibility);
const gps = (records: unknown[], busId = 'B1') => ({ v: 1, msgId: 'm', busId, records });
const fix = (over: object = {}) => ({ ts: receivedAt - 1000, lat: 10.7, lon: 106.7, ...over });

describe('decodeTelemetryRecord', () => {
  it('decodes a valid GPS message', () => {
    const out = decode('bus/B1/gps', gps([fix()]));
    expect(out.rejects).toEqual([]);
    expect(out.message).toEqual({ kind: 'gps', busId: 'B1', msgId: 'm', records: [fix()] });
    expect(out.receivedAt).toBe(receivedAt);
  });

  it('rejects a stream record that is not a rule envelope', () => {
    const out = decodeTelemetryRecord(Buffer.from('hello'), 42, defaultPlausibility);
    expect(out.message).toBeUndefined();
    expect(out.rejects).toMatchObject([{ code: 'malformed-envelope', receivedAt: 42 }]);
  });

  it('rejects a payload that is not JSON, keeping the raw bytes', () => {
    const out = decode('bus/B1/gps', '{"v":1,');
    expect(out.rejects).toMatchObject([{ code: 'malformed-json', busId: 'B1', topic: 'bus/B1/gps' }]);
    expect(Buffer.from(out.rejects[0]!.payload).toString()).toBe('{"v":1,');
  });

  it('rejects a payload that is not UTF-8', () => {
    const out = decodeTelemetryRecord(record('bus/B1/gps', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), receivedAt, defaultPlausibility);
    expect(out.rejects).toMatchObject([{ code: 'malformed-json' }]);
  });

  it('rejects a payload over the size limit', () => {
    const out = decode('bus/B1/gps', 'x'.repeat(MAX_PAYLOAD_BYTES + 1));
    expect(out.rejects).toMatchObject([{ code: 'payload-too-large' }]);
  });

  it('rejects a topic that is not telemetry', () => {
    expect(decode('bus/B1/assignment', gps([fix()])).rejects).toMatchObject([{ code: 'unknown-topic' }]);
  });

  it('rejects a body busId that differs from the topic’s', () => {
    const out = decode('bus/B1/gps', gps([fix()], 'B2'));
    expect(out.message).toBeUndefined();
    expect(out.rejects).toMatchObject([{ code: 'busid-mismatch', field: 'busId', busId: 'B1' }]);
  });

  it('names the failing field of a schema error', () => {
    expect(decode('bus/B1/gps', { v: 1, busId: 'B1', records: [fix()] }).rejects).toMatchObject([{ code: 'schema', field: 'msgId' }]);
    expect(
      decode('bus/B1/gate', {
        v: 1,
        msgId: 'm',
        busId: 'B1',
        taps: [{ tapId: 't', ts: receivedAt, cardId: 'c', product: 'single', amountVnd: 'free', medium: 'card' }],
      }).rejects,
    ).toMatchObject([{ code: 'schema', field: 'taps[0].amountVnd', recordIndex: 0 }]);
  });

  it('keeps the valid records beside invalid and implausible ones', () => {
    const out = decode(
      'bus/B1/gps',
      gps([
        fix({ ts: receivedAt - 3000 }),
        fix({ lon: 200 }),
        fix({ ts: receivedAt + 25 * 3_600_000 }),
        fix({ ts: receivedAt - 61 * 86_400_000 }),
        fix({ ts: receivedAt - 2000 }),
      ]),
    );
    expect(out.message?.kind === 'gps' && out.message.records.map((r) => r.ts)).toEqual([receivedAt - 3000, receivedAt - 2000]);
    expect(out.rejects.map((r) => [r.code, r.field, r.recordIndex])).toEqual([
      ['schema', 'records[1].lon', 1],
      ['implausible', 'records[2].ts', 2],
      ['implausible', 'records[3].ts', 3],
    ]);
    expect(out.rejects[1]!.reason).toMatch(/more than 24 h after receipt/);
    expect(out.rejects[2]!.reason).toMatch(/older than the 60-day retention window/);
  });

  it('accepts a device clock a little ahead and a buffer a few hours old', () => {
    const out = decode('bus/B1/gps', gps([fix({ ts: receivedAt + 3_600_000 }), fix({ ts: receivedAt - 6 * 3_600_000 })]));
    expect(out.rejects).toEqual([]);
  });

  it('rejects a wifi sample or duty event with an impossible time', () => {
    expect(
      decode('bus/B1/wifi', { v: 1, msgId: 'w', busId: 'B1', ts: receivedAt + 2 * 86_400_000, up: true, clients: 1, bytesIn: 0, bytesOut: 0 }).rejects,
    ).toMatchObject([{ code: 'implausible', field: 'ts' }]);
    expect(decode('bus/B1/duty', { v: 1, msgId: 'd', busId: 'B1', ts: receivedAt, event: 'sign_on' }).message).toMatchObject({
      kind: 'duty',
      event: { event: 'sign_on' },
    });
  });
});
