/** How long data is kept, and how far from "now" a device timestamp may be before it is implausible. */
export const retention = {
  telemetryDays: 60,
  rejectsDays: 30,
  /** A complaint and its evidence outlive the telemetry behind it: kept two years for appeals and yearly reviews. */
  complaintsDays: 730,
  /** A device clock may run ahead; further than this is an impossible timestamp. */
  maxFutureMs: 24 * 3600 * 1000,
} as const;

export const DAY_MS = 24 * 3600 * 1000;
