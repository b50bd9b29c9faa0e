/**
 * Service days: Asia/Ho_Chi_Minh dates whose service runs past midnight. An instant before the day-start hour
 * (local) belongs to the previous service day, as GTFS times beyond 24:00 do.
 */
export const SERVICE_TIMEZONE = 'Asia/Ho_Chi_Minh';
export const DEFAULT_SERVICE_DAY_START_HOUR = 3;

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** UTC offset of `timeZone` at `tsMs`, in ms. Cached per zone and hour: offsets change on the hour at most. */
export function zoneOffsetMs(tsMs: number, timeZone: string): number {
  const hourStart = Math.floor(tsMs / HOUR_MS) * HOUR_MS;
  const cacheKey = `${timeZone}|${hourStart}`;
  const cached = offsetCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(hourStart)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offset = asUtc - hourStart;
  if (offsetCache.size > 10_000) offsetCache.clear();
  offsetCache.set(cacheKey, offset);
  return offset;
}

/** The service day (YYYY-MM-DD) an instant belongs to. */
export function serviceDayOf(tsMs: number, timeZone: string = SERVICE_TIMEZONE, dayStartHour: number = DEFAULT_SERVICE_DAY_START_HOUR): string {
  const local = tsMs + zoneOffsetMs(tsMs, timeZone) - dayStartHour * HOUR_MS;
  return new Date(local).toISOString().slice(0, 10);
}

/** The calendar date (YYYY-MM-DD) of an instant in `timeZone`, with no service-day shift. */
export function localDateOf(tsMs: number, timeZone: string = SERVICE_TIMEZONE): string {
  return serviceDayOf(tsMs, timeZone, 0);
}

/** The local time of day of an instant in `timeZone`, as `HH:MM` (24-hour clock). */
export function localHhmm(tsMs: number, timeZone: string = SERVICE_TIMEZONE): string {
  return new Date(tsMs + zoneOffsetMs(tsMs, timeZone)).toISOString().slice(11, 16);
}

/**
 * The `days` service days that end with `endDay` (YYYY-MM-DD), oldest first: `serviceDaysEndingOn('2026-03-10', 3)`
 * is 2026-03-08, 2026-03-09, 2026-03-10. Service days are calendar dates, so the steps are calendar days.
 */
export function serviceDaysEndingOn(endDay: string, days: number): string[] {
  const end = Date.parse(`${endDay}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(endDay) || Number.isNaN(end)) throw new RangeError(`not a service day: ${endDay}`);
  return Array.from({ length: Math.max(0, days) }, (_, i) => new Date(end - (days - 1 - i) * 24 * HOUR_MS).toISOString().slice(0, 10));
}
