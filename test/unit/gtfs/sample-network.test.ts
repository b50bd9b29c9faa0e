import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHcmcSample } from '../../../simulator/networks/build-hcmc-sample.js';
import { tripsOn } from '../../../shared/gtfs/calendar.js';
import type { GtfsImport, Network } from '../../../shared/gtfs/model.js';
import { loadGtfs } from '../../../shared/gtfs/load.js';

const SAMPLE_DIR = fileURLToPath(new URL('../../../simulator/networks/hcmc-sample/', import.meta.url));
const WEEKDAY = '2026-09-01';
const HOLIDAY = '2026-09-02';

/** First-stop departures per route and direction on a date, sorted. */
function departuresByRouteDirection(network: Network, date: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const trip of tripsOn(network, date)) {
    const key = `${trip.routeId}/${trip.directionId}`;
    out.set(key, [...(out.get(key) ?? []), trip.stopTimes[0]!.departureS]);
  }
  return out;
}

describe('the built-in HCMC sample network', () => {
  let sample: GtfsImport;
  beforeAll(async () => {
    sample = await loadGtfs(SAMPLE_DIR);
  });

  it('loads without a single issue, in Asia/Ho_Chi_Minh, run by two operators', () => {
    expect(sample.issues).toEqual([]);
    expect(sample.network.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(sample.network.agencies.size).toBe(2);
  });

  it('has 6–10 bus routes, most but not all subsidised, each run in both directions', () => {
    const routes = [...sample.network.routes.values()];
    expect(routes.length).toBeGreaterThanOrEqual(6);
    expect(routes.length).toBeLessThanOrEqual(10);
    expect(routes.every((r) => r.routeType === 3)).toBe(true);
    const subsidised = routes.filter((r) => r.subsidised).length;
    expect(subsidised).toBeGreaterThan(routes.length / 2);
    expect(subsidised).toBeLessThan(routes.length);
    for (const route of routes) {
      const patterns = [...sample.network.patterns.values()].filter((p) => p.routeId === route.routeId);
      const directions = new Set(patterns.map((p) => p.directionId));
      expect(directions, route.routeId).toEqual(new Set([0, 1]));
    }
  });

  it('has a loop route whose stop distances still increase along its shape', () => {
    const loops = [...sample.network.patterns.values()].filter((p) => p.isLoop);
    expect(loops.length).toBeGreaterThan(0);
    for (const loop of loops) {
      expect(loop.stops[0]!.stopId).toBe(loop.stops[loop.stops.length - 1]!.stopId);
      expect(loop.stops[0]!.distanceM).toBeCloseTo(0, 3);
      expect(loop.stops[loop.stops.length - 1]!.distanceM).toBeCloseTo(loop.lengthM, 3);
    }
  });

  it('spaces consecutive stops 250–700 m apart along the shape (≥ 90 % of them), stops within 30 m of it', () => {
    const gaps: number[] = [];
    for (const p of sample.network.patterns.values()) {
      p.stops.forEach((s, i) => {
        if (i > 0) gaps.push(s.distanceM - p.stops[i - 1]!.distanceM);
        expect(s.offsetM).toBeLessThan(30);
      });
    }
    const within = gaps.filter((g) => g >= 250 && g <= 700).length;
    expect(within / gaps.length).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ['a weekday', WEEKDAY],
    ['the National Day holiday (frequency-based timetable)', HOLIDAY],
  ])('runs every 8–20 minutes from 05:00 to 22:00 on %s', (_label, date) => {
    const byRouteDirection = departuresByRouteDirection(sample.network, date);
    expect(byRouteDirection.size).toBe(sample.network.routes.size * 2);
    for (const [key, departures] of byRouteDirection) {
      expect(departures[0], key).toBe(5 * 3600);
      expect(departures[departures.length - 1]!, key).toBeGreaterThanOrEqual(21 * 3600 + 40 * 60);
      expect(departures[departures.length - 1]!, key).toBeLessThanOrEqual(22 * 3600);
      for (let i = 1; i < departures.length; i++) {
        const headwayMin = (departures[i]! - departures[i - 1]!) / 60;
        expect(headwayMin, `${key} at ${departures[i]}`).toBeGreaterThanOrEqual(8);
        expect(headwayMin, `${key} at ${departures[i]}`).toBeLessThanOrEqual(20);
      }
    }
  });

  it('runs shorter headways at the peaks than at midday on weekdays', () => {
    const departures = departuresByRouteDirection(sample.network, WEEKDAY).get('01/0')!;
    const headwayAt = (s: number) => {
      const i = departures.findIndex((d) => d >= s);
      return departures[i + 1]! - departures[i]!;
    };
    expect(headwayAt(7 * 3600)).toBeLessThan(headwayAt(12 * 3600));
  });

  it('is exactly what build-hcmc-sample.ts generates', () => {
    for (const [name, text] of Object.entries(buildHcmcSample())) {
      expect(readFileSync(`${SAMPLE_DIR}${name}`, 'utf8'), name).toBe(text);
    }
  });
});
