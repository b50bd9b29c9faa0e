/**
 * Fault profiles: what goes wrong on the road (operational faults, part of the truth) and in the device
 * (what BusFlow receives differs from the truth). `none`, `default`, `harsh`, or `name=value,…` on top of
 * `default`.
 */
import { z } from 'zod';

const faultProfileSchema = z.object({
  /** GPS noise, σ in metres. */
  gpsNoiseM: z.number().nonnegative(),
  /** Probability that a fix is an urban-canyon jump. */
  gpsJumpRate: z.number().min(0).max(1),
  /** How far a jump throws the fix, metres. */
  gpsJumpM: z.number().nonnegative(),
  /** Probability that a message is lost. */
  dropoutRate: z.number().min(0).max(1),
  /** Probability that a message is sent twice. */
  duplicateRate: z.number().min(0).max(1),
  /** Offline episodes per bus per day: the device buffers, then uploads late in batches. */
  offlinePerBusDay: z.number().nonnegative(),
  offlineMinMinutes: z.number().nonnegative(),
  offlineMaxMinutes: z.number().nonnegative(),
  /** Probability that an offline upload is sent newest first rather than in order. */
  outOfOrderRate: z.number().min(0).max(1),
  /** Largest device clock error, seconds (each bus draws a constant offset within ±this). */
  clockSkewS: z.number().nonnegative(),
  /** Probability that a message is malformed (bad JSON or wrong schema). */
  malformedRate: z.number().min(0).max(1),
  /** Probability that a bus passes a stop without stopping when someone waits or wants off. */
  skippedStopRate: z.number().min(0).max(1),
  /** Probability that a trip departs late, and by how many minutes at most. */
  lateDepartureRate: z.number().min(0).max(1),
  lateDepartureMaxMinutes: z.number().nonnegative(),
  /** Probability that a planned trip is not run at all. */
  missedTripRate: z.number().min(0).max(1),
  /** Probability that a trip is short-turned (ends early). */
  shortTurnRate: z.number().min(0).max(1),
  /** Probability that a trip leaves its shape for a detour. */
  detourRate: z.number().min(0).max(1),
  /** Unscheduled trips per bus per day (run without an order). */
  unscheduledPerBusDay: z.number().nonnegative(),
  /** GPS reporting interval jitter: each interval is drawn in [gpsInterval, gpsInterval × (1 + this)]. */
  gpsIntervalJitter: z.number().nonnegative(),
});
export type FaultProfile = z.infer<typeof faultProfileSchema>;

export const faultProfiles: Record<'none' | 'default' | 'harsh', FaultProfile> = {
  none: {
    gpsNoiseM: 0,
    gpsJumpRate: 0,
    gpsJumpM: 0,
    dropoutRate: 0,
    duplicateRate: 0,
    offlinePerBusDay: 0,
    offlineMinMinutes: 0,
    offlineMaxMinutes: 0,
    outOfOrderRate: 0,
    clockSkewS: 0,
    malformedRate: 0,
    skippedStopRate: 0,
    lateDepartureRate: 0,
    lateDepartureMaxMinutes: 0,
    missedTripRate: 0,
    shortTurnRate: 0,
    detourRate: 0,
    unscheduledPerBusDay: 0,
    gpsIntervalJitter: 0,
  },
  default: {
    gpsNoiseM: 10,
    gpsJumpRate: 0.002,
    gpsJumpM: 150,
    dropoutRate: 0.02,
    duplicateRate: 0.01,
    offlinePerBusDay: 1,
    offlineMinMinutes: 5,
    offlineMaxMinutes: 20,
    outOfOrderRate: 0.5,
    clockSkewS: 2,
    malformedRate: 0.001,
    skippedStopRate: 0.03,
    lateDepartureRate: 0.1,
    lateDepartureMaxMinutes: 12,
    missedTripRate: 0.02,
    shortTurnRate: 0.02,
    detourRate: 0.01,
    unscheduledPerBusDay: 0.1,
    gpsIntervalJitter: 1,
  },
  harsh: {
    gpsNoiseM: 25,
    gpsJumpRate: 0.01,
    gpsJumpM: 300,
    dropoutRate: 0.08,
    duplicateRate: 0.05,
    offlinePerBusDay: 3,
    offlineMinMinutes: 10,
    offlineMaxMinutes: 45,
    outOfOrderRate: 0.8,
    clockSkewS: 30,
    malformedRate: 0.005,
    skippedStopRate: 0.08,
    lateDepartureRate: 0.25,
    lateDepartureMaxMinutes: 25,
    missedTripRate: 0.06,
    shortTurnRate: 0.06,
    detourRate: 0.04,
    unscheduledPerBusDay: 0.3,
    gpsIntervalJitter: 2,
  },
};

/** Parses `none`, `default`, `harsh` or `name=value,…` (overrides on `default`); throws naming the bad part. */
export function parseFaultProfile(text: string): FaultProfile {
  if (text in faultProfiles) return faultProfiles[text as keyof typeof faultProfiles];
  const base: Record<string, number> = { ...faultProfiles.default };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=');
    if (!name || value === undefined || !(name in base)) {
      throw new Error(`unknown fault setting "${part}": use ${Object.keys(base).join(', ')}`);
    }
    const n = Number(value);
    if (!Number.isFinite(n)) throw new Error(`fault setting ${name} needs a number, got "${value}"`);
    base[name] = n;
  }
  const parsed = faultProfileSchema.safeParse(base);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`fault setting ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
