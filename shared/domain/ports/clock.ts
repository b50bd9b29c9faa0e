/**
 * The stack's one clock: everything that asks "now" (which trips are due, which service day ended, when a
 * record arrived) asks it. On AWS it is the system clock; locally, while a simulated fleet runs faster than real
 * time, it is the simulated clock, so the whole stack lives in the fleet's time.
 */
export interface Clock {
  /** Epoch milliseconds, UTC. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still at `tsMs` (tests), or moves only when told to. */
export function fixedClock(tsMs: number): Clock & { set(tsMs: number): void; advance(ms: number): void } {
  let t = tsMs;
  return {
    now: () => t,
    set: (ts) => {
      t = ts;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
