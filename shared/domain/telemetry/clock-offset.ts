/**
 * Device clock offset of one bus, estimated from when its messages were received. Every record carries the
 * device's `ts`; the stream stamps each message with its receipt. For a live message the newest record was
 * taken moments before sending, so receipt − newest ts (its lag) is the transmission delay (a few hundred ms)
 * minus the device clock's offset. The live lags of a bus therefore cluster around −offset, and a buffered
 * upload (records held while offline) only ever lags more. The estimate is the median of the lowest cluster of
 * recent lags that holds enough of them; the bus's timestamps are corrected only when that estimate is
 * consistent and large enough to matter. Pure: the state lives on the vehicle item between batches.
 */

/** Offset convention: how far the device clock is ahead of true time (ms). Corrected ts = device ts − offset. */
export interface ClockState {
  /** The offset applied to the bus's timestamps; 0 while they are left as received. */
  offsetMs: number;
  /** The latest consistent estimate, applied or not (e.g. 1,200 ms is estimated but too small to apply). */
  estimateMs?: number;
  /** Recent live samples `[receivedAt, lagMs]`, oldest first: the estimator's memory between batches. */
  samples: [number, number][];
}

/** What the estimator needs to know of one message. */
export interface MessageTiming {
  receivedAt: number;
  /** The newest device `ts` among the message's records. */
  newestTs: number;
  /** How many records the message holds. */
  records: number;
}

export interface ClockConfig {
  /** Samples older than this (by receipt) are forgotten. Default 15 min. */
  windowMs: number;
  /** At most this many samples are kept (the newest). Default 15. */
  maxSamples: number;
  /** An estimate needs at least this many samples in its cluster. Default 5. */
  minSamples: number;
  /** Width of the cluster of live lags (latency jitter). Default 5 s. */
  clusterMs: number;
  /** A message lagging more than this behind the lowest recent lag is a buffered upload. Default 60 s. */
  bufferedAfterMs: number;
  /** A message with more records than this is a buffered upload (a live message holds seconds of fixes). Default 60. */
  maxLiveRecords: number;
  /** Timestamps are corrected when the estimate exceeds this (absolute). Default 5 s. */
  applyAboveMs: number;
  /** A correction in force stays while the estimate exceeds this, so it does not flap near the limit. Default 4 s. */
  keepAboveMs: number;
}

const defaultClockConfig: ClockConfig = {
  windowMs: 15 * 60_000,
  maxSamples: 15,
  minSamples: 5,
  clusterMs: 5_000,
  bufferedAfterMs: 60_000,
  maxLiveRecords: 60,
  applyAboveMs: 5_000,
  keepAboveMs: 4_000,
};

/** The new clock state after a batch of one bus's messages (in arrival order). Never mutates `state`. */
export function updateClock(state: ClockState | undefined, messages: readonly MessageTiming[], cfg: ClockConfig = defaultClockConfig): ClockState {
  const samples: [number, number][] = [...(state?.samples ?? [])];
  for (const m of messages) {
    if (m.records > cfg.maxLiveRecords) continue;
    const lagMs = m.receivedAt - m.newestTs;
    const lowest = lowestLag(samples, m.receivedAt, cfg);
    if (lowest !== undefined && lagMs > lowest + cfg.bufferedAfterMs) continue;
    samples.push([m.receivedAt, lagMs]);
  }
  const newest = samples.reduce((t, s) => Math.max(t, s[0]), Number.NEGATIVE_INFINITY);
  const kept = samples
    .filter((s) => s[0] > newest - cfg.windowMs)
    .sort((a, b) => a[0] - b[0])
    .slice(-cfg.maxSamples);
  const estimateMs = estimateClockOffset(
    kept.map((s) => s[1]),
    cfg,
  );
  const previous = state?.offsetMs ?? 0;
  const next: ClockState = { offsetMs: previous, samples: kept };
  if (estimateMs === undefined) {
    // No consistent evidence (too few samples, or a clock that just moved): keep what was known.
    if (state?.estimateMs !== undefined) next.estimateMs = state.estimateMs;
    return next;
  }
  next.estimateMs = estimateMs;
  const limit = previous !== 0 ? cfg.keepAboveMs : cfg.applyAboveMs;
  next.offsetMs = Math.abs(estimateMs) > limit ? estimateMs : 0;
  return next;
}

/**
 * The clock offset from live lags (receipt − newest device ts), or undefined when they are not consistent: the
 * lowest window of `clusterMs` that holds at least `minSamples` lags and half of all of them; its median lag,
 * negated. Buffered records only lag more, so they can neither pull the estimate nor form the lowest cluster.
 */
export function estimateClockOffset(lagsMs: readonly number[], cfg: ClockConfig = defaultClockConfig): number | undefined {
  const sorted = [...lagsMs].sort((a, b) => a - b);
  const need = Math.max(cfg.minSamples, Math.ceil(sorted.length / 2));
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    end = Math.max(end, start);
    while (end + 1 < sorted.length && sorted[end + 1]! - sorted[start]! <= cfg.clusterMs) end++;
    const n = end - start + 1;
    if (n >= need) {
      const mid = start + (n >> 1);
      const median = n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
      return -Math.round(median) + 0;
    }
  }
  return undefined;
}

/** A device timestamp in true time under the given offset. */
export function correctedTs(deviceTs: number, offsetMs: number): number {
  return deviceTs - offsetMs;
}

function lowestLag(samples: readonly [number, number][], nowMs: number, cfg: ClockConfig): number | undefined {
  let lowest: number | undefined;
  for (const [at, lag] of samples) if (at > nowMs - cfg.windowMs && (lowest === undefined || lag < lowest)) lowest = lag;
  return lowest;
}
