/**
 * How fast buses move: a time-of-day profile with the city's two peaks (~07:00 and ~17:30), a fixed character
 * per road segment, the day's weather, and incidents that block a corridor for an hour. Together they make the
 * timetable a poor predictor, as in a real city.
 */
import type { LatLon } from '../../shared/kernel/geo/polyline.js';
import { haversineM } from '../../shared/kernel/geo/polyline.js';
import type { Rng } from './rng.js';

interface Incident {
  at: LatLon;
  radiusM: number;
  fromMs: number;
  toMs: number;
  /** Speed multiplier inside the zone (0.2 = a crawl). */
  factor: number;
}

export interface TrafficDay {
  /** Local midnight of the service day, UTC ms. */
  midnightMs: number;
  /** Whole-day multiplier (rain < 1). */
  dayFactor: number;
  rain: boolean;
  incidents: Incident[];
}

const FREE_FLOW_KMH = 26;

/** Multiplier for the hour of day (local, fractional): dips at the morning and evening peaks. */
export function timeOfDayFactor(localHour: number): number {
  const morning = 0.42 * Math.exp(-(((localHour - 7.1) / 1.1) ** 2));
  const evening = 0.48 * Math.exp(-(((localHour - 17.6) / 1.3) ** 2));
  const night = localHour < 6 || localHour > 21 ? 0.15 : 0;
  return 1 - morning - evening + night;
}

/** The day's weather and incidents, drawn once per run. */
export function drawTrafficDay(rng: Rng, midnightMs: number, incidentSites: readonly LatLon[]): TrafficDay {
  const rain = rng.chance(0.35);
  const incidents: Incident[] = [];
  const count = incidentSites.length ? rng.int(1, 2) : 0;
  for (let i = 0; i < count; i++) {
    const startHour = rng.uniform(7, 19);
    const fromMs = midnightMs + startHour * 3_600_000;
    incidents.push({ at: rng.pick(incidentSites), radiusM: 600, fromMs, toMs: fromMs + 3_600_000, factor: 0.2 });
  }
  return { midnightMs, rain, dayFactor: rain ? rng.uniform(0.75, 0.9) : rng.uniform(0.95, 1.05), incidents };
}

/** Speed in km/h at a place and time, for a segment whose own character is `segmentFactor`. */
export function speedKmh(day: TrafficDay, tMs: number, where: LatLon, segmentFactor: number): number {
  const hour = (tMs - day.midnightMs) / 3_600_000;
  let v = FREE_FLOW_KMH * timeOfDayFactor(hour % 24) * day.dayFactor * segmentFactor;
  for (const inc of day.incidents) {
    if (tMs >= inc.fromMs && tMs < inc.toMs && haversineM(where, inc.at) < inc.radiusM) v *= inc.factor;
  }
  return Math.max(3, Math.min(60, v));
}
