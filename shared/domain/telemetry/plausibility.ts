/**
 * Rules a record's timestamp must satisfy relative to its receipt. Static ranges (lat/lon, speed) are in the
 * schema; these depend on when the message arrived.
 */
import { DAY_MS, retention } from '../../catalogue/retention.js';

export interface PlausibilityConfig {
  maxFutureMs: number;
  maxAgeMs: number;
}

export const defaultPlausibility: PlausibilityConfig = {
  maxFutureMs: retention.maxFutureMs,
  maxAgeMs: retention.telemetryDays * DAY_MS,
};

/** A sentence saying why `tsMs` cannot be right, or undefined when it can. */
export function implausibleTimestamp(tsMs: number, receivedAt: number, cfg: PlausibilityConfig): string | undefined {
  if (tsMs > receivedAt + cfg.maxFutureMs) {
    return `ts ${new Date(tsMs).toISOString()} is more than ${Math.round(cfg.maxFutureMs / 3_600_000)} h after receipt`;
  }
  if (tsMs < receivedAt - cfg.maxAgeMs) {
    return `ts ${new Date(tsMs).toISOString()} is older than the ${Math.round(cfg.maxAgeMs / DAY_MS)}-day retention window`;
  }
  return undefined;
}
