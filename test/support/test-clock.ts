/**
 * Tests live on one fixed day, whatever today is: 10:00 on Tuesday 10 March 2026 in Ho Chi Minh City (03:00 UTC),
 * well away from the 03:00 local boundary of service days.
 */
import type { Clock } from '../../shared/domain/ports/clock.js';
import { ScaledClock } from '../../infra/local/scaled-clock.js';

export const TEST_NOW = Date.UTC(2026, 2, 10, 3, 0);
export const TEST_SERVICE_DAY = '2026-03-10';

/** A clock that starts at `startMs` and then runs with wall time, so waits and timeouts behave as they do live. */
export function testClock(startMs: number = TEST_NOW): Clock {
  const clock = new ScaledClock(startMs, 1);
  clock.start();
  return clock;
}
