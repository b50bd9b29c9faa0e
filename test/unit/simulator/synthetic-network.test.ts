import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { haversineM } from '../../../shared/kernel/geo/polyline.js';
import { serviceRunsOn } from '../../../shared/gtfs/calendar.js';
import type { Network } from '../../../shared/gtfs/model.js';
import { planDay } from '../../../simulator/core/day-plan.js';
import { parseSyntheticSpec, syntheticNetwork, SyntheticSpecError } from '../../../simulator/networks/synthetic.js';

const SERVICE_DAY = '2026-11-26';
const BEN_THANH = { lat: 10.7716, lon: 106.6983 };
const realRoutes: { RouteNo: string; RouteName: string }[] = JSON.parse(
  readFileSync(new URL('../../../simulator/networks/hcmc-routes-2026.json', import.meta.url), 'utf8'),
).routes;

describe('parseSyntheticSpec', () => {
  it.each([
    ['routes=270,buses=3000', { routes: 270, buses: 3000 }],
    [' buses = 100 , routes=10 ', { routes: 10, buses: 100 }],
  ])('reads %j', (text, expected) => {
    expect(parseSyntheticSpec(text)).toEqual(expected);
  });

  it.each([
    ['routes=abc,buses=3000', 'routes=abc'],
    ['routes=270,buses=0', 'buses=0'],
    ['routes=270,buses=-5', 'buses=-5'],
    ['routes=2.5,buses=30', 'routes=2.5'],
    ['routes=270,busses=3000', '"busses"'],
    ['routes=270,3000', '"3000"'],
    ['routes=270', 'missing buses'],
    ['buses=10', 'missing routes'],
    ['routes=1,routes=2,buses=3', '"routes" given twice'],
  ])('rejects %j naming %s', (text, named) => {
    expect(() => parseSyntheticSpec(text)).toThrow(SyntheticSpecError);
    expect(() => parseSyntheticSpec(text)).toThrow(named);
  });
});

describe('syntheticNetwork, small (routes=10, buses=100)', () => {
  const spec = parseSyntheticSpec('routes=10,buses=100');
  const network = syntheticNetwork(spec);

  it('is the same network for the same spec and seed, and another for another seed', () => {
    expect(syntheticNetwork(spec)).toStrictEqual(network);
    expect(syntheticNetwork({ ...spec, seed: 1 })).toStrictEqual(network);
    const other = syntheticNetwork({ ...spec, seed: 2 });
    expect(other.shapes.get('R001-0')!.points).not.toEqual(network.shapes.get('R001-0')!.points);
  });

  it('plans within 5 % of 100 buses', () => {
    const duties = planDay(network, SERVICE_DAY, { seed: 1 }).duties.length;
    expect(Math.abs(duties - 100)).toBeLessThanOrEqual(5);
  });

  it('reads its times in the given time zone, every day of 2020–2035', () => {
    expect(network.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(syntheticNetwork({ ...spec, timezone: 'Asia/Bangkok' }).timezone).toBe('Asia/Bangkok');
    const daily = network.services.get('DAILY')!;
    expect([...network.services.keys()]).toEqual(['DAILY']);
    for (const day of ['2020-01-01', '2026-09-02', '2026-11-29', '2035-12-31']) expect(serviceRunsOn(daily, day)).toBe(true);
    expect(serviceRunsOn(daily, '2036-01-01')).toBe(false);
  });

  it.each([
    [{ routes: 10, buses: 5 }, 'cannot run 5 buses'],
    [{ routes: 2, buses: 1000 }, 'cannot run 1000 buses'],
    [{ routes: 0, buses: 10 }, 'routes must be a positive integer'],
    [{ routes: 10, buses: 100, timezone: 'Mars/Olympus' }, 'Mars/Olympus'],
  ])('refuses %j', (bad, message) => {
    expect(() => syntheticNetwork(bad)).toThrow(SyntheticSpecError);
    expect(() => syntheticNetwork(bad)).toThrow(message);
  });
});

describe('syntheticNetwork at HCMC scale (routes=270, buses=3000)', () => {
  let network: Network;
  beforeAll(() => {
    network = syntheticNetwork({ routes: 270, buses: 3000 });
  }, 60_000);

  it('plans within 5 % of 3000 buses', () => {
    const duties = planDay(network, SERVICE_DAY, { seed: 1 }).duties.length;
    expect(Math.abs(duties - 3000)).toBeLessThanOrEqual(150);
  }, 60_000);

  it('names routes after the real list, suffixing numbers once the list runs out', () => {
    const routes = [...network.routes.values()];
    expect(routes).toHaveLength(270);
    routes.forEach((route, i) => {
      const real = realRoutes[i % realRoutes.length]!;
      expect(route.longName).toBe(real.RouteName);
      if (i < realRoutes.length) expect(route.shortName).toBe(real.RouteNo);
      else expect(route.shortName).toMatch(new RegExp(`^${real.RouteNo.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}[A-Z]+$`));
      expect(route.routeType).toBe(3);
      expect(network.agencies.has(route.agencyId)).toBe(true);
    });
    expect(new Set(routes.map((r) => r.shortName)).size).toBe(270);
    expect(network.agencies.size).toBeGreaterThanOrEqual(2);
    expect(network.agencies.size).toBeLessThanOrEqual(4);
    const subsidisedShare = routes.filter((r) => r.subsidised).length / routes.length;
    expect(subsidisedShare).toBeGreaterThan(0.75);
    expect(subsidisedShare).toBeLessThan(0.95);
  });

  it('runs every route in two directions, each its own pattern, shape and stops', () => {
    expect(network.patterns.size).toBe(540);
    for (const routeId of network.routes.keys()) {
      const [there, back] = [0, 1].map((dir) => network.patterns.get(`${routeId}:${dir}:1`)!);
      expect(there!.directionId).toBe(0);
      expect(back!.directionId).toBe(1);
      expect(there!.isLoop || back!.isLoop).toBe(false);
      expect(back!.headsign).toBe(network.stops.get(there!.stops[0]!.stopId)!.name);
      const shape0 = network.shapes.get(there!.shapeId)!.points;
      const shape1 = network.shapes.get(back!.shapeId)!.points;
      expect(shape1.map((p) => [p.lat, p.lon])).toEqual(shape0.map((p) => [p.lat, p.lon]).reverse());
      for (const p of [there!, back!]) {
        for (const [k, s] of p.stops.entries()) expect(s.stopId).toBe(`${routeId}-${p.directionId}-${k}`);
        expect(p.tripIds.length).toBeGreaterThan(0);
        for (const tripId of p.tripIds) expect(network.trips.get(tripId)!.patternId).toBe(p.patternId);
      }
      // The two ends of a route meet at its terminals, so buses turn round there.
      expect(haversineM(network.stops.get(there!.stops.at(-1)!.stopId)!, network.stops.get(back!.stops[0]!.stopId)!)).toBeLessThan(50);
    }
    const tripCount = [...network.patterns.values()].reduce((n, p) => n + p.tripIds.length, 0);
    expect(tripCount).toBe(network.trips.size);
  });

  it('draws routes 8–25 km long inside a 25 km disk around Bến Thành', () => {
    for (const shape of network.shapes.values()) {
      expect(shape.lengthM).toBeGreaterThanOrEqual(8_000);
      expect(shape.lengthM).toBeLessThanOrEqual(25_000);
      expect(shape.points[0]!.distanceM).toBe(0);
      for (let i = 1; i < shape.points.length; i++) expect(shape.points[i]!.distanceM).toBeGreaterThanOrEqual(shape.points[i - 1]!.distanceM);
      expect(shape.points.at(-1)!.distanceM).toBeCloseTo(shape.lengthM, 6);
    }
    for (const stop of network.stops.values()) expect(haversineM(BEN_THANH, stop)).toBeLessThanOrEqual(25_050);
  });

  it('spaces stops 250–700 m apart for at least 95 % of consecutive stops', () => {
    let inRange = 0;
    let total = 0;
    for (const p of network.patterns.values()) {
      for (let k = 1; k < p.stops.length; k++) {
        const gapM = p.stops[k]!.distanceM - p.stops[k - 1]!.distanceM;
        total++;
        if (gapM >= 250 && gapM <= 700) inRange++;
      }
    }
    expect(inRange / total).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps pattern distances non-decreasing from 0 to near the shape length', () => {
    for (const p of network.patterns.values()) {
      expect(p.stops[0]!.distanceM).toBe(0);
      for (let k = 1; k < p.stops.length; k++) expect(p.stops[k]!.distanceM).toBeGreaterThanOrEqual(p.stops[k - 1]!.distanceM);
      const lengthM = network.shapes.get(p.shapeId)!.lengthM;
      expect(p.lengthM).toBe(lengthM);
      expect(Math.abs(p.stops.at(-1)!.distanceM - lengthM)).toBeLessThan(5);
    }
  });

  it('gives every trip increasing stop times with a 20 s dwell, along its pattern', () => {
    let bad = 0;
    for (const trip of network.trips.values()) {
      const pattern = network.patterns.get(trip.patternId)!;
      const st = trip.stopTimes;
      if (st.length !== pattern.stops.length) bad++;
      for (let k = 0; k < st.length; k++) {
        const s = st[k]!;
        const dwell = k === 0 || k === st.length - 1 ? 0 : 20;
        if (s.departureS - s.arrivalS !== dwell || s.stopSequence !== k + 1) bad++;
        if (s.stopId !== pattern.stops[k]!.stopId || s.distanceM !== pattern.stops[k]!.distanceM) bad++;
        if (k > 0 && s.arrivalS <= st[k - 1]!.departureS) bad++;
      }
    }
    expect(bad).toBe(0);
  });

  it('runs service from 05:00 to 22:00 at one headway of 3 min or more per route', () => {
    for (const p of network.patterns.values()) {
      const departures = p.tripIds.map((id) => network.trips.get(id)!.stopTimes[0]!.departureS);
      const headwayS = departures[1]! - departures[0]!;
      expect(headwayS).toBeGreaterThanOrEqual(180);
      expect(departures[0]).toBe(5 * 3600);
      expect(departures.at(-1)!).toBeLessThanOrEqual(22 * 3600);
      expect(departures.at(-1)! + headwayS).toBeGreaterThan(22 * 3600);
      for (const [i, d] of departures.entries()) expect(d).toBe(5 * 3600 + i * headwayS);
      const hhmm = (s: number) => `${String(Math.floor(s / 3600)).padStart(2, '0')}${String((s % 3600) / 60).padStart(2, '0')}`;
      expect(p.tripIds[0]).toBe(`${p.routeId}-${p.directionId}-0500`);
      expect(p.tripIds.at(-1)).toBe(`${p.routeId}-${p.directionId}-${hhmm(departures.at(-1)!)}`);
    }
  });
});
