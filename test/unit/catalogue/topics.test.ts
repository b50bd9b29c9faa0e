import { describe, expect, it } from 'vitest';
import {
  TELEMETRY_KINDS,
  assignmentTopic,
  buildRuleEnvelope,
  iotRuleSql,
  iotRules,
  parseTelemetryTopic,
  ruleEnvelopeSchema,
  stopArrivalsTopic,
  telemetryTopic,
  telemetryTopicFilter,
} from '../../../shared/catalogue/index.js';

describe('topics', () => {
  it('builds and parses every telemetry topic', () => {
    for (const kind of TELEMETRY_KINDS) {
      const topic = telemetryTopic('BUS-001', kind);
      expect(topic).toBe(`bus/BUS-001/${kind}`);
      expect(parseTelemetryTopic(topic)).toEqual({ busId: 'BUS-001', kind });
    }
  });

  it.each(['bus/BUS-001/assignment', 'bus/BUS-001', 'bus//gps', 'stop/S1/arrivals', 'bus/BUS-001/gps/extra', 'car/BUS-001/gps'])(
    'does not take %s for a telemetry topic',
    (topic) => expect(parseTelemetryTopic(topic)).toBeUndefined(),
  );

  it('names outbound topics per bus and per stop', () => {
    expect(assignmentTopic('B1')).toBe('bus/B1/assignment');
    expect(stopArrivalsTopic('S9')).toBe('stop/S9/arrivals');
  });
});

describe('IoT rules', () => {
  it('has one rule per telemetry kind, reading only that kind’s topics', () => {
    expect(iotRules.map((r) => r.kind)).toEqual([...TELEMETRY_KINDS]);
    for (const rule of iotRules) {
      expect(rule.sql).toContain(`FROM '${rule.topicFilter}'`);
      expect(rule.topicFilter).toBe(telemetryTopicFilter(rule.kind));
      expect(rule.sql).toContain('topic(2) AS topicBusId');
      expect(rule.sql).toContain('timestamp() AS receivedAt');
      expect(rule.ruleName).toMatch(/^[a-zA-Z0-9_]+$/);
    }
    expect(iotRuleSql('gps')).toContain("FROM 'bus/+/gps'");
  });

  it('builds locally the envelope the rule produces, for any payload bytes', () => {
    const payload = Buffer.from([0xff, 0x00, 0x7b]);
    const env = buildRuleEnvelope('bus/B1/gate', payload, 1234);
    expect(ruleEnvelopeSchema.parse(env)).toEqual({ payload: payload.toString('base64'), topicBusId: 'B1', topicKind: 'gate', receivedAt: 1234 });
  });
});
