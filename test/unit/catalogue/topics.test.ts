import { describe, expect, it } from 'vitest';
import {
  TELEMETRY_KINDS,
  assignmentTopic,
  basicIngestTopic,
  parseBasicIngestTopic,
  parseStage,
  telemetryRuleName,
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
    }
    expect(iotRuleSql('gps')).toContain("FROM 'bus/+/gps'");
  });

  it('names each rule per stage with the characters IoT allows', () => {
    for (const kind of TELEMETRY_KINDS) {
      expect(telemetryRuleName(kind, 'prod')).toBe(`busflow_prod_${kind}`);
      expect(telemetryRuleName(kind, 'dev')).toMatch(/^[a-zA-Z0-9_]{1,128}$/);
    }
  });

  it('puts the Basic Ingest prefix of the stage rule before the plain topic, so the rule sees the same topic levels', () => {
    expect(basicIngestTopic('BUS-001', 'gps', 'prod')).toBe('$aws/rules/busflow_prod_gps/bus/BUS-001/gps');
    expect(basicIngestTopic('B1', 'gate', 'dev')).toBe('$aws/rules/busflow_dev_gate/bus/B1/gate');
    // topic(2) / topic(3) of the rule SQL count levels after the prefix: the bus and the kind.
    const afterPrefix = basicIngestTopic('B7', 'duty', 'dev').split('/').slice(3);
    expect(afterPrefix).toEqual(['bus', 'B7', 'duty']);
    expect(parseTelemetryTopic(afterPrefix.join('/'))).toEqual({ busId: 'B7', kind: 'duty' });
  });

  it('reads a Basic Ingest topic back, only when its rule is the one of its kind', () => {
    for (const kind of TELEMETRY_KINDS) expect(parseBasicIngestTopic(basicIngestTopic('B1', kind, 'dev'))).toEqual({ stage: 'dev', busId: 'B1', kind });
    for (const topic of [
      'bus/B1/gps',
      '$aws/rules/busflow_prod_gps/bus/B1/gate',
      '$aws/rules/busflow_test_gps/bus/B1/gps',
      '$aws/rules/other_rule/bus/B1/gps',
      '$aws/rules/busflow_prod_gps/bus/B1/assignment',
      '$aws/rules/busflow_prod_gps/bus/B1/gps/extra',
    ]) {
      expect(parseBasicIngestTopic(topic), topic).toBeUndefined();
    }
  });

  it('refuses an unknown stage and defaults to dev', () => {
    expect(parseStage(undefined)).toBe('dev');
    expect(parseStage('prod')).toBe('prod');
    expect(() => parseStage('production')).toThrow(/stage must be one of dev, prod/);
  });

  it('builds locally the envelope the rule produces, for any payload bytes', () => {
    const payload = Buffer.from([0xff, 0x00, 0x7b]);
    const env = buildRuleEnvelope('bus/B1/gate', payload, 1234);
    expect(ruleEnvelopeSchema.parse(env)).toEqual({ payload: payload.toString('base64'), topicBusId: 'B1', topicKind: 'gate', receivedAt: 1234 });
  });
});
