/**
 * What a process of the API benchmark did each wall-clock second: its event loop's longest delay and its GC
 * pauses. A request stalled while the server's loop was not makes the load generator's the next suspect.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { ProcessSecond } from './timeline.js';

/** Starts recording; the returned function gives the seconds recorded so far (the last 10 minutes). */
export function recordProcessSeconds(): () => ProcessSecond[] {
  const seconds: ProcessSecond[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const fresh = (): ProcessSecond => ({ second: Math.floor(Date.now() / 1000), loopMaxMs: 0, gcMs: 0, gcMaxMs: 0 });
  let current = fresh();
  setInterval(() => {
    current.loopMaxMs = loopDelay.max / 1e6;
    loopDelay.reset();
    seconds.push(current);
    if (seconds.length > 600) seconds.shift();
    current = fresh();
  }, 1000).unref();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      current.gcMs += e.duration;
      current.gcMaxMs = Math.max(current.gcMaxMs, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  return () => [...seconds];
}
