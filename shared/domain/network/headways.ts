/**
 * Headways by time band: how often a route's buses leave the first stop of each direction, per band of the
 * service day, for the service that runs most of the route's trips (the ordinary day, e.g. DAILY).
 */
import type { Trip } from '../../gtfs/model.js';

/** Bands of the service day (seconds from local midnight of the service day; it starts at 03:00). */
export const TIME_BANDS = [
  { band: 'early', fromS: 3 * 3600, toS: 6 * 3600 },
  { band: 'morningPeak', fromS: 6 * 3600, toS: 9 * 3600 },
  { band: 'midday', fromS: 9 * 3600, toS: 16 * 3600 },
  { band: 'eveningPeak', fromS: 16 * 3600, toS: 19 * 3600 },
  { band: 'evening', fromS: 19 * 3600, toS: 27 * 3600 },
] as const;

type TimeBand = (typeof TIME_BANDS)[number]['band'];

interface BandHeadway {
  band: TimeBand;
  fromS: number;
  toS: number;
  /** Departures from the first stop in the band. */
  departures: number;
  /** Shortest, longest and mean gap between departures in the band, minutes; absent with fewer than two. */
  headwayMin?: { min: number; max: number; mean: number };
}

export interface DirectionHeadways {
  directionId: 0 | 1;
  serviceId: string;
  bands: BandHeadway[];
}

/** A route's headways per direction and band, from its trips (any order). */
export function headwaysByBand(trips: readonly Trip[]): DirectionHeadways[] {
  const byDirection = new Map<0 | 1, Trip[]>();
  for (const t of trips) {
    const list = byDirection.get(t.directionId ?? 0);
    if (list) list.push(t);
    else byDirection.set(t.directionId ?? 0, [t]);
  }
  return [...byDirection.entries()]
    .sort(([a], [b]) => a - b)
    .map(([directionId, list]) => {
      const serviceId = mainService(list);
      const departures = list
        .filter((t) => t.serviceId === serviceId)
        .map((t) => t.stopTimes[0]!.departureS)
        .sort((a, b) => a - b);
      return { directionId, serviceId, bands: TIME_BANDS.map((b) => bandHeadway(b, departures)) };
    });
}

function bandHeadway(b: (typeof TIME_BANDS)[number], departures: readonly number[]): BandHeadway {
  const inBand = departures.filter((s) => s >= b.fromS && s < b.toS);
  const out: BandHeadway = { band: b.band, fromS: b.fromS, toS: b.toS, departures: inBand.length };
  if (inBand.length < 2) return out;
  const gaps = inBand.slice(1).map((s, i) => (s - inBand[i]!) / 60);
  const mean = (inBand.at(-1)! - inBand[0]!) / 60 / gaps.length;
  return { ...out, headwayMin: { min: Math.min(...gaps), max: Math.max(...gaps), mean: Math.round(mean * 10) / 10 } };
}

/** The service with most trips (ties: the first id), the day a passenger usually meets. */
function mainService(trips: readonly Trip[]): string {
  const counts = new Map<string, number>();
  for (const t of trips) counts.set(t.serviceId, (counts.get(t.serviceId) ?? 0) + 1);
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]![0];
}
