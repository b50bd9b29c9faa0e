/**
 * GTFS times and dates. A stop time is seconds since "noon minus 12 h" of its service date in the agency's
 * time zone (local midnight except on daylight-saving days), and may exceed 24:00:00 for trips that run past
 * midnight. Dates are kept as ISO `YYYY-MM-DD`, like the rest of BusFlow's service days.
 */
import { zoneOffsetMs } from '../kernel/time/service-day.js';

const TIME_RE = /^(\d+):([0-5]\d):([0-5]\d)$/;
const DATE_RE = /^(\d{4})(\d{2})(\d{2})$/;

/** Seconds of a GTFS `H:MM:SS` / `HH:MM:SS` time (hours may be ≥ 24), or undefined if malformed. */
export function parseGtfsTime(text: string): number | undefined {
  const m = TIME_RE.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** `HH:MM:SS` for a number of service-day seconds (hours past 23 kept, as GTFS writes them). */
export function formatGtfsTime(seconds: number): string {
  const s = Math.round(seconds);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

/** ISO date of a GTFS `YYYYMMDD` date, or undefined if malformed or not a real calendar date. */
export function parseGtfsDate(text: string): string | undefined {
  const m = DATE_RE.exec(text.trim());
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** UTC epoch ms of `seconds` into service date `serviceDate` (YYYY-MM-DD) in `timeZone`, per the GTFS rule. */
export function serviceTimeToEpochMs(serviceDate: string, seconds: number, timeZone: string): number {
  const [y, m, d] = serviceDate.split('-').map(Number) as [number, number, number];
  const noonAsUtc = Date.UTC(y, m - 1, d, 12);
  // Noon is never inside a DST transition, so one offset lookup near it is exact.
  const noonUtc = noonAsUtc - zoneOffsetMs(noonAsUtc - zoneOffsetMs(noonAsUtc, timeZone), timeZone);
  return noonUtc - 12 * 3_600_000 + seconds * 1000;
}
