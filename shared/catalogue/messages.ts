/**
 * MQTT contract v1: the payloads buses publish. Structure and static ranges live here; rules that need the
 * time of receipt (future/too old timestamps) live in shared/domain/telemetry/plausibility.ts.
 */
import { z } from 'zod';

export const CONTRACT_VERSION = 1;
export const MAX_PAYLOAD_BYTES = 128 * 1024;
export const MAX_GPS_RECORDS = 600;
export const MAX_TAPS = 500;
const MAX_SPEED_KMH = 150;

export const busIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must match ^[A-Za-z0-9_-]{1,64}$');
const epochMs = z.number().int().positive();
const count = z.number().int().nonnegative();

/** Fields every message carries. */
const messageEnvelopeSchema = z.object({
  v: z.literal(CONTRACT_VERSION),
  msgId: z.string().min(1).max(128),
  busId: busIdSchema,
});

export const gpsRecordSchema = z.object({
  ts: epochMs,
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  speedKmh: z.number().min(0).max(MAX_SPEED_KMH).optional(),
  heading: z.number().min(0).max(360).optional(),
  accuracyM: z.number().nonnegative().optional(),
  doorOpen: z.boolean().optional(),
  odometerM: z.number().nonnegative().optional(),
});

const fareProducts = ['single', 'monthly', 'student', 'priority', 'free', 'transfer'] as const;
const fareMedia = ['card', 'qr', 'bank', 'cash'] as const;

export const tapSchema = z.object({
  tapId: z.string().min(1).max(128),
  ts: epochMs,
  cardId: z.string().min(1).max(128),
  product: z.enum(fareProducts),
  amountVnd: z.number().int().nonnegative(),
  medium: z.enum(fareMedia),
  stopId: z.string().min(1).max(64).optional(),
});

export const wifiMessageSchema = messageEnvelopeSchema.extend({
  ts: epochMs,
  up: z.boolean(),
  clients: count,
  bytesIn: count,
  bytesOut: count,
  portalLogins: count.optional(),
});

const dutyEvents = ['sign_on', 'sign_off', 'trip_start', 'trip_end'] as const;

/** A GTFS service time, `H:MM:SS` or `HH:MM:SS`; hours up to 47 for trips past midnight. */
const serviceTimeSchema = z.string().regex(/^(?:[0-9]|[0-3][0-9]|4[0-7]):[0-5][0-9]:[0-5][0-9]$/, 'must be a GTFS time H:MM:SS (hours 0-47)');

export const dutyMessageSchema = messageEnvelopeSchema.extend({
  ts: epochMs,
  event: z.enum(dutyEvents),
  driverId: z.string().min(1).max(64).optional(),
  tripOrderId: z.string().min(1).max(128).optional(),
  tripId: z.string().min(1).max(128).optional(),
  /**
   * With `trip_start`: the trip's scheduled start as GTFS service time `HH:MM:SS` (hours may pass 24), as
   * GTFS-Realtime's `start_time`. Tells apart the runs of a frequencies.txt trip, which share one `tripId`.
   */
  startTime: serviceTimeSchema.optional(),
});

/**
 * GPS and gate messages carry lists; each element is validated on its own so that one bad record does not
 * cost the good ones beside it. The `*ListSchema` shapes check the message; the element schemas check records.
 */
export const gpsListSchema = messageEnvelopeSchema.extend({
  records: z.array(z.unknown()).min(1).max(MAX_GPS_RECORDS),
});
export const gateListSchema = messageEnvelopeSchema.extend({
  taps: z.array(z.unknown()).min(1).max(MAX_TAPS),
});

/** Whole-message schemas, as a publisher should produce them (documentation, simulator, tests). */
export const gpsMessageSchema = messageEnvelopeSchema.extend({
  records: z.array(gpsRecordSchema).min(1).max(MAX_GPS_RECORDS),
});
export const gateMessageSchema = messageEnvelopeSchema.extend({
  taps: z.array(tapSchema).min(1).max(MAX_TAPS),
});

export type GpsRecord = z.infer<typeof gpsRecordSchema>;
export type Tap = z.infer<typeof tapSchema>;
export type GpsMessage = z.infer<typeof gpsMessageSchema>;
export type WifiMessage = z.infer<typeof wifiMessageSchema>;
export type DutyMessage = z.infer<typeof dutyMessageSchema>;
export type FareProduct = (typeof fareProducts)[number];
export type FareMedium = (typeof fareMedia)[number];
