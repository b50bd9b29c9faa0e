/**
 * Which services run on a service date: the weekly pattern within the calendar's date range, overridden by
 * calendar_dates exceptions (added dates run even outside the range, removed dates never run).
 */
import type { Network, Service, Trip } from './model.js';

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Monday-first weekday index (0 = Monday … 6 = Sunday) of an ISO date. */
export function weekdayIndex(isoDate: string): number {
  if (!ISO_DATE_RE.test(isoDate)) throw new RangeError(`not an ISO date: "${isoDate}"`);
  return (new Date(`${isoDate}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** Whether `service` runs on the ISO date `isoDate`. */
export function serviceRunsOn(service: Service, isoDate: string): boolean {
  if (service.removedDates.includes(isoDate)) return false;
  if (service.addedDates.includes(isoDate)) return true;
  if (service.startDate === undefined || service.endDate === undefined) return false;
  if (isoDate < service.startDate || isoDate > service.endDate) return false;
  return service.weekdays[weekdayIndex(isoDate)] === true;
}

/** The service_ids that run on the ISO date `isoDate`. */
export function activeServiceIds(services: ReadonlyMap<string, Service>, isoDate: string): Set<string> {
  const out = new Set<string>();
  for (const s of services.values()) if (serviceRunsOn(s, isoDate)) out.add(s.serviceId);
  return out;
}

/** The trips that run on the service date `isoDate`, ordered by first departure then trip id. */
export function tripsOn(network: Network, isoDate: string): Trip[] {
  const active = activeServiceIds(network.services, isoDate);
  return [...network.trips.values()]
    .filter((t) => active.has(t.serviceId))
    .sort((a, b) => a.stopTimes[0]!.departureS - b.stopTimes[0]!.departureS || (a.tripId < b.tripId ? -1 : 1));
}
