/** How long data is kept, and how far from "now" a device timestamp may be before it is implausible. */
export const retention = {
  telemetryDays: 60,
  rejectsDays: 30,
  /** A complaint and its evidence outlive the telemetry behind it: kept two years for appeals and yearly reviews. */
  complaintsDays: 730,
  /** A stop's cached arrivals outlive their last write by this much: a stop no bus comes to any more drops out. */
  arrivalsHours: 3,
  /** A device clock may run ahead; further than this is an impossible timestamp. */
  maxFutureMs: 24 * 3600 * 1000,
} as const;

export const DAY_MS = 24 * 3600 * 1000;

/**
 * How long a table's items live and what losing the table would mean. `ttlHours`: items carry an expiry (the
 * table's `ttlAttribute`) this long after their own time and DynamoDB deletes them; without it items stay until
 * the application removes them. `rebuildable`: the table can be rebuilt from other tables or sources, so it needs
 * no point-in-time recovery.
 */
export interface TableRetention {
  ttlHours?: number;
  /** Holds data about identifiable people (Decree 13/2023/NĐ-CP): pseudonymised card ids, staff ids. */
  personalData: boolean;
  rebuildable: boolean;
  /** Why this retention (docs/infra.md shows it). */
  why: string;
}
