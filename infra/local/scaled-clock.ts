/**
 * The local stack's clock when a simulated fleet runs at N× real time: it stands still at the start of the
 * simulated day until the fleet starts, then advances `speed` simulated milliseconds per wall millisecond.
 * The fleet's pacing and everything else in the stack read the same clock, so they never drift apart; the
 * command-line tools read its description from the endpoints file and so share it too.
 */
import type { Clock } from '../../shared/domain/ports/clock.js';

/** What another process needs to read the same clock. */
export interface ClockDescription {
  /** The simulated time at the anchor. */
  anchorMs: number;
  speed: number;
  /** Wall time (epoch ms) when the clock started; absent while it stands still. */
  wallAnchorMs?: number;
}

export class ScaledClock implements Clock {
  private readonly anchorMs: number;
  private wallAnchorMs: number | undefined;

  constructor(
    startMs: number,
    readonly speed: number,
    private readonly wallNow: () => number = Date.now,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive finite number, got ${speed}`);
    this.anchorMs = startMs;
  }

  /** The same clock as another process described it. */
  static from(d: ClockDescription, wallNow: () => number = Date.now): ScaledClock {
    const clock = new ScaledClock(d.anchorMs, d.speed, wallNow);
    clock.wallAnchorMs = d.wallAnchorMs;
    return clock;
  }

  /** Starts the clock (idempotent): from now on it advances `speed`× wall time. */
  start(): void {
    this.wallAnchorMs ??= this.wallNow();
  }

  get running(): boolean {
    return this.wallAnchorMs !== undefined;
  }

  now(): number {
    if (this.wallAnchorMs === undefined) return this.anchorMs;
    return Math.floor(this.anchorMs + (this.wallNow() - this.wallAnchorMs) * this.speed);
  }

  describe(): ClockDescription {
    return { anchorMs: this.anchorMs, speed: this.speed, ...(this.wallAnchorMs === undefined ? {} : { wallAnchorMs: this.wallAnchorMs }) };
  }
}
