import { describe, expect, it } from 'vitest';
import { chooseFare, dwellSeconds } from '../../../simulator/core/demand.js';
import { Rng } from '../../../simulator/core/rng.js';
import { speedKmh, timeOfDayFactor, type TrafficDay } from '../../../simulator/core/traffic.js';

describe('traffic', () => {
  it('is slowest at the morning and evening peaks', () => {
    expect(timeOfDayFactor(7.1)).toBeLessThan(timeOfDayFactor(10));
    expect(timeOfDayFactor(17.6)).toBeLessThan(timeOfDayFactor(14));
    expect(timeOfDayFactor(17.6)).toBeLessThan(timeOfDayFactor(7.1) + 0.1);
    expect(timeOfDayFactor(5.5)).toBeGreaterThan(timeOfDayFactor(12));
  });

  it('crawls inside an incident’s zone during its hour, and only there', () => {
    const at = { lat: 10.77, lon: 106.7 };
    const day: TrafficDay = {
      midnightMs: 0,
      dayFactor: 1,
      rain: false,
      incidents: [{ at, radiusM: 600, fromMs: 8 * 3_600_000, toMs: 9 * 3_600_000, factor: 0.2 }],
    };
    const inside = speedKmh(day, 8.5 * 3_600_000, at, 1);
    const later = speedKmh(day, 9.5 * 3_600_000, at, 1);
    const away = speedKmh(day, 8.5 * 3_600_000, { lat: 10.8, lon: 106.7 }, 1);
    expect(inside).toBeLessThan(away / 3);
    expect(later).toBeGreaterThan(inside * 3);
  });
});

describe('demand', () => {
  it('charges in whole VND with HCMC-like shares of products and media', () => {
    const rng = new Rng(9);
    const fares = Array.from({ length: 20_000 }, () => chooseFare(rng, 7000));
    const share = (f: (x: (typeof fares)[number]) => boolean) => fares.filter(f).length / fares.length;
    expect(share((f) => f.product === 'single')).toBeCloseTo(0.55, 1);
    expect(share((f) => f.medium === 'cash')).toBeGreaterThan(0.05);
    expect(fares.every((f) => Number.isInteger(f.amountVnd) && f.amountVnd >= 0)).toBe(true);
    expect(fares.filter((f) => f.product === 'single').every((f) => f.amountVnd === 7000)).toBe(true);
    expect(fares.filter((f) => ['free', 'priority', 'monthly'].includes(f.product)).every((f) => f.amountVnd === 0)).toBe(true);
    expect(fares.filter((f) => f.medium === 'cash').every((f) => f.product === 'single')).toBe(true);
  });

  it('dwells longer for more passengers', () => {
    const rng = new Rng(1);
    const avg = (b: number) => Array.from({ length: 200 }, () => dwellSeconds(b, b, rng)).reduce((x, y) => x + y) / 200;
    expect(avg(10)).toBeGreaterThan(avg(0) + 20);
  });
});
