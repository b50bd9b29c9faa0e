/**
 * When a daily EventBridge Scheduler cron expression (`cron(M H * * ? *)`, evaluated in a time zone) fires next.
 * The local stack runs the catalogue's schedules on its own clock with this; only daily schedules are used.
 */
import { zoneOffsetMs } from './service-day.js';

const DAILY = /^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$/;
const DAY_MS = 86_400_000;

export interface DailyTime {
  hour: number;
  minute: number;
}

/** The local time of day of a daily cron expression; throws for any other kind of expression. */
export function parseDailyCron(cron: string): DailyTime {
  const m = DAILY.exec(cron);
  const minute = Number(m?.[1]);
  const hour = Number(m?.[2]);
  if (!m || minute > 59 || hour > 23) throw new Error(`not a daily cron expression: ${cron}`);
  return { hour, minute };
}

/** The first instant strictly after `afterMs` at which the daily `cron` fires in `timeZone`. */
export function nextDailyRun(cron: string, timeZone: string, afterMs: number): number {
  const { hour, minute } = parseDailyCron(cron);
  const localMs = afterMs + zoneOffsetMs(afterMs, timeZone);
  const localMidnight = Math.floor(localMs / DAY_MS) * DAY_MS;
  for (let day = 0; day <= 2; day++) {
    const localFire = localMidnight + day * DAY_MS + (hour * 60 + minute) * 60_000;
    // The offset at the candidate itself, so a zone that changes its offset is still right.
    const fire = localFire - zoneOffsetMs(localFire - zoneOffsetMs(localFire, timeZone), timeZone);
    if (fire > afterMs) return fire;
  }
  throw new Error('unreachable: a daily time recurs within two days');
}
