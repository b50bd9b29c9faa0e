/**
 * MQTT topics: the one definition of every topic BusFlow listens to or publishes on. The IoT rules, the IoT
 * policy, the local broker's ACL and the router are all generated from this file.
 */
import type { z } from 'zod';
import { dutyMessageSchema, gateMessageSchema, gpsMessageSchema, wifiMessageSchema } from './messages.js';
import { STAGES, type Stage } from './stages.js';

export const TELEMETRY_KINDS = ['gps', 'gate', 'wifi', 'duty'] as const;
export type TelemetryKind = (typeof TELEMETRY_KINDS)[number];

interface TelemetryTopic {
  kind: TelemetryKind;
  /** Topic template; `{busId}` is the IoT thing name. */
  template: string;
  description: string;
  /** The schema a well-formed message on this topic satisfies. */
  schema: z.ZodType;
}

const BUS_PREFIX = 'bus';

const telemetryTopics: Record<TelemetryKind, TelemetryTopic> = {
  gps: { kind: 'gps', template: `${BUS_PREFIX}/{busId}/gps`, description: 'Positions, 1–600 per message', schema: gpsMessageSchema },
  gate: { kind: 'gate', template: `${BUS_PREFIX}/{busId}/gate`, description: 'Ticket-gate taps', schema: gateMessageSchema },
  wifi: { kind: 'wifi', template: `${BUS_PREFIX}/{busId}/wifi`, description: 'On-board wifi counters', schema: wifiMessageSchema },
  duty: { kind: 'duty', template: `${BUS_PREFIX}/{busId}/duty`, description: 'Driver console duty events', schema: dutyMessageSchema },
};

/** Topics BusFlow publishes to devices and boards. */
export const outboundTopics = {
  assignment: { template: `${BUS_PREFIX}/{busId}/assignment`, description: 'The bus’s approved trip order (retained)' },
  stopArrivals: { template: 'stop/{stopId}/arrivals', description: 'Next arrivals for a stop board (retained)' },
} as const;

export const QOS = 1 as const;

export function telemetryTopic(busId: string, kind: TelemetryKind): string {
  return telemetryTopics[kind].template.replace('{busId}', busId);
}

export function assignmentTopic(busId: string): string {
  return outboundTopics.assignment.template.replace('{busId}', busId);
}

export function stopArrivalsTopic(stopId: string): string {
  return outboundTopics.stopArrivals.template.replace('{stopId}', stopId);
}

/**
 * The IoT rule that takes one telemetry kind into the stream. Rule names are unique per account and region, so
 * each stage has its own (`busflow_prod_gps`); letters, digits and `_` only, as IoT requires.
 */
export function telemetryRuleName(kind: TelemetryKind, stage: Stage): string {
  return `busflow_${stage}_${kind}`;
}

/** The reserved prefix of IoT Core Basic Ingest: a message published under it goes to that rule only, not through the broker. */
const BASIC_INGEST_PREFIX = '$aws/rules';

/**
 * The Basic Ingest form of a telemetry topic (`$aws/rules/busflow_prod_gps/bus/BUS-001/gps`): the same rule and
 * the same envelope as `bus/BUS-001/gps` (the rule's `topic(n)` does not see the prefix), without IoT Core's
 * messaging charge. Buses publish here; the plain topic keeps working while they migrate.
 */
export function basicIngestTopic(busId: string, kind: TelemetryKind, stage: Stage): string {
  return `${BASIC_INGEST_PREFIX}/${telemetryRuleName(kind, stage)}/${telemetryTopic(busId, kind)}`;
}

/** Splits a Basic Ingest telemetry topic back into its stage, bus and kind; undefined for any other topic. */
export function parseBasicIngestTopic(topic: string): { stage: Stage; busId: string; kind: TelemetryKind } | undefined {
  const m = /^\$aws\/rules\/busflow_([a-z]+)_([a-z]+)\/(.*)$/.exec(topic);
  if (!m) return undefined;
  const plain = parseTelemetryTopic(m[3]!);
  const stage = STAGES.find((s) => s === m[1]);
  if (!plain || !stage || plain.kind !== m[2]) return undefined;
  return { stage, ...plain };
}

/** The MQTT filter for one telemetry kind across all buses (`bus/+/gps`). */
export function telemetryTopicFilter(kind: TelemetryKind): string {
  return telemetryTopics[kind].template.replace('{busId}', '+');
}

const kindSet = new Set<string>(TELEMETRY_KINDS);

/** Splits `bus/{busId}/{kind}`; undefined for any other topic. */
export function parseTelemetryTopic(topic: string): { busId: string; kind: TelemetryKind } | undefined {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== BUS_PREFIX || !parts[1] || !kindSet.has(parts[2]!)) return undefined;
  return { busId: parts[1], kind: parts[2] as TelemetryKind };
}
