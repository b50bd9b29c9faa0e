/**
 * The telemetry stream between the IoT rules and the ingest function, and the rule that feeds it. On AWS:
 * IoT topic rule → Kinesis → Lambda event source mapping. Locally: the router in infra/local builds the same
 * envelope and batches with the same settings.
 */
import { z } from 'zod';
import { TELEMETRY_KINDS, type TelemetryKind, telemetryTopicFilter } from './topics.js';

export const telemetryStream = {
  name: 'telemetry',
  /** Kinesis partition key: the bus, so each bus's messages keep their order across kinds. */
  partitionKeyTemplate: '${topic(2)}',
  retentionHours: 24,
  eventSource: {
    // Large batches under load let each bus's records share one write (up to Lambda's Kinesis maximum).
    batchSize: 10_000,
    // No extra wait: batches form while the previous one is processed, which keeps latency low under load.
    maxBatchingWindowS: 0,
    retryAttempts: 5,
    maxRecordAgeS: 6 * 3600,
    bisectBatchOnError: true,
    parallelizationFactor: 2,
    reportBatchItemFailures: true,
  },
} as const;

/**
 * The rule's SELECT. The payload travels base64-encoded so that a message that is not JSON still reaches the
 * ingest function and is rejected there with a reason, instead of failing inside the rule engine.
 */
export function iotRuleSql(kind: TelemetryKind): string {
  return `SELECT encode(*, 'base64') AS payload, topic(2) AS topicBusId, topic(3) AS topicKind, timestamp() AS receivedAt FROM '${telemetryTopicFilter(kind)}'`;
}

/**
 * One rule per telemetry kind; what their topic filters take is all the stream gets (locally too). Each rule is
 * reached both through the broker (its topic filter) and by Basic Ingest (`basicIngestTopic`, named after the
 * rule: `telemetryRuleName(kind, stage)`).
 */
export const iotRules = TELEMETRY_KINDS.map((kind) => ({
  kind,
  topicFilter: telemetryTopicFilter(kind),
  sql: iotRuleSql(kind),
}));

/** What one Kinesis record's data holds: the rule's output. */
export const ruleEnvelopeSchema = z.object({
  payload: z.string(),
  topicBusId: z.string(),
  topicKind: z.string(),
  receivedAt: z.number().int(),
});
export type RuleEnvelope = z.infer<typeof ruleEnvelopeSchema>;

/** The local stand-in for the rule's SELECT: the same envelope from a topic and raw payload. */
export function buildRuleEnvelope(topic: string, payload: Uint8Array, receivedAt: number): RuleEnvelope {
  const [, topicBusId = '', topicKind = ''] = topic.split('/');
  return { payload: Buffer.from(payload).toString('base64'), topicBusId, topicKind, receivedAt };
}
