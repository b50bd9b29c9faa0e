import { describe, expect, it } from 'vitest';
import type { GpsRecord } from '../../../shared/catalogue/index.js';
import { chunkGpsPoints, decodeGpsPoints, encodeGpsPoints, GPS_CHUNK_MAX_POINTS, GPS_CHUNK_SPAN_MS } from '../../../shared/domain/telemetry/gps-chunks.js';

const t0 = Date.parse('2026-11-26T01:00:00Z');
const track = (n: number, stepMs: number, from = t0): GpsRecord[] =>
  Array.from({ length: n }, (_, i) => ({ ts: from + i * stepMs, lat: 10.7 + i * 1e-4, lon: 106.6 }));

describe('GPS chunks', () => {
  it('keeps a short track in one chunk', () => {
    const chunks = chunkGpsPoints(track(12, 5_000));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ serviceDay: '2026-11-26', firstTsMs: t0, lastTsMs: t0 + 55_000 });
  });

  it('never lets a chunk span more than the chunk span', () => {
    const chunks = chunkGpsPoints(track(400, 5_000));
    for (const c of chunks) expect(c.lastTsMs - c.firstTsMs).toBeLessThan(GPS_CHUNK_SPAN_MS);
    expect(chunks.reduce((n, c) => n + c.points.length, 0)).toBe(400);
  });

  it('corrects the points by the clock offset and records it on the chunk', () => {
    const chunks = chunkGpsPoints(track(3, 5_000), 30_000);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ firstTsMs: t0 - 30_000, lastTsMs: t0 - 20_000, clockOffsetMs: 30_000 });
    expect(chunks[0]!.points.map((p) => p.ts)).toEqual([t0 - 30_000, t0 - 25_000, t0 - 20_000]);
  });

  it('caps the points in a chunk', () => {
    const chunks = chunkGpsPoints(track(GPS_CHUNK_MAX_POINTS + 1, 100));
    expect(chunks.map((c) => c.points.length)).toEqual([GPS_CHUNK_MAX_POINTS, 1]);
  });

  it('splits at the service-day boundary (03:00 local)', () => {
    const boundary = Date.parse('2026-11-26T20:00:00Z');
    const chunks = chunkGpsPoints(track(4, 30_000, boundary - 60_000));
    expect(chunks.map((c) => [c.serviceDay, c.points.length])).toEqual([
      ['2026-11-26', 2],
      ['2026-11-27', 2],
    ]);
  });

  it('encodes and decodes points without loss at the stored precision', () => {
    const points: GpsRecord[] = [
      { ts: t0, lat: 10.7716123, lon: 106.6983456, speedKmh: 23.46, heading: 181, accuracyM: 4.5, doorOpen: true, odometerM: 123456 },
      { ts: t0 + 5_000, lat: -0.5, lon: 0 },
      { ts: t0 + 9_999, lat: 10, lon: 106, doorOpen: false, speedKmh: 0 },
    ];
    const text = encodeGpsPoints(t0, points);
    expect(text.length).toBeLessThan(120);
    expect(decodeGpsPoints(t0, text)).toEqual([
      { ts: t0, lat: 10.771612, lon: 106.698346, speedKmh: 23.5, heading: 181, accuracyM: 4.5, doorOpen: true, odometerM: 123456 },
      { ts: t0 + 5_000, lat: -0.5, lon: 0 },
      { ts: t0 + 9_999, lat: 10, lon: 106, doorOpen: false, speedKmh: 0 },
    ]);
    expect(decodeGpsPoints(t0, '')).toEqual([]);
  });
});
