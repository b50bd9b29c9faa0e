/**
 * The passengers' view of the network: Vietnamese folding, ranked stop search, the stop grid against a full
 * scan, headways by time band, and the routes, patterns and stops of the sample network.
 */
import { describe, expect, it } from 'vitest';
import { buildPassengerNetwork } from '../../../shared/domain/network/passenger-network.js';
import { headwaysByBand } from '../../../shared/domain/network/headways.js';
import { StopGridIndex } from '../../../shared/domain/network/stop-grid.js';
import { matchRank, StopSearchIndex } from '../../../shared/domain/network/stop-search.js';
import { foldVietnamese } from '../../../shared/domain/network/vietnamese-fold.js';
import { NotFound } from '../../../shared/domain/errors.js';
import type { Stop, Trip } from '../../../shared/gtfs/model.js';
import { loadGtfs } from '../../../shared/gtfs/load.js';
import { haversineM } from '../../../shared/kernel/geo/polyline.js';
import { SAMPLE_NETWORK_DIR } from '../../../simulator/networks/index.js';

const stop = (stopId: string, name: string, lat = 10.77, lon = 106.7, code?: string): Stop => ({
  stopId,
  name,
  lat,
  lon,
  locationType: 0,
  ...(code ? { code } : {}),
});

describe('foldVietnamese', () => {
  it.each([
    ['Bến Thành', 'ben thanh'],
    ['BẾN THÀNH', 'ben thanh'],
    ['ben thanh', 'ben thanh'],
    ['Đường Đồng Khởi', 'duong dong khoi'],
    ['đ', 'd'],
    ['Chợ Lớn (cổng 2)', 'cho lon cong 2'],
    ['  Nguyễn   Huệ  ', 'nguyen hue'],
    ['Ngã tư Hàng Xanh', 'nga tu hang xanh'],
    ['Bến xe Miền Đông', 'ben xe mien dong'],
    ['', ''],
  ])('%j → %j', (text, folded) => {
    expect(foldVietnamese(text)).toBe(folded);
  });

  it('is the same for precomposed and decomposed input', () => {
    expect(foldVietnamese('Bến Thành'.normalize('NFC'))).toBe(foldVietnamese('Bến Thành'.normalize('NFD')));
  });
});

describe('matchRank', () => {
  it.each([
    ['ben thanh', 'ben thanh', 0],
    ['ben thanh 2', 'ben thanh', 1],
    ['cho ben thanh', 'ben thanh', 2],
    ['cong hoa ben', 'ben cong', 2],
    ['ngaben thanhx', 'ben thanh', 3],
    ['hang xanh', 'ben thanh', undefined],
    ['ben thanh', '', undefined],
  ] as const)('%j against %j → %s', (name, query, rank) => {
    expect(matchRank(name, query)).toBe(rank);
  });
});

describe('StopSearchIndex', () => {
  const index = new StopSearchIndex([
    stop('A', 'Chợ Bến Thành'),
    stop('B', 'Bến Thành'),
    stop('C', 'Bến Thành 2'),
    stop('D', 'Đinh Tiên Hoàng'),
    stop('E', 'Hàng Xanh', 10.8, 106.71, 'HX01'),
    stop('F', 'Phan Đình Phùng'),
  ]);
  const ids = (q: string, limit = 10) => index.search(q, limit).map((m) => m.stop.stopId);

  it.each([
    ['ben thanh', ['B', 'C', 'A']],
    ['BEN THANH', ['B', 'C', 'A']],
    ['Bến Thành', ['B', 'C', 'A']],
    ['d', ['D', 'F']],
    ['đinh', ['D', 'F']],
    ['hx01', ['E']],
    ['thanh ben', ['B', 'C', 'A']],
    ['khong co', []],
    ['   ', []],
  ])('%j finds %j, best first', (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });

  it('keeps to the limit', () => {
    expect(ids('ben thanh', 1)).toEqual(['B']);
  });
});

describe('StopGridIndex', () => {
  // A deterministic cloud of stops around the centre of Saigon.
  const stops: Stop[] = Array.from({ length: 2000 }, (_, i) =>
    stop(`S${i}`, `Stop ${i}`, 10.7 + ((i * 7919) % 1000) / 5000, 106.6 + ((i * 104729) % 1000) / 5000),
  );
  const grid = new StopGridIndex(stops);

  it.each([
    [{ lat: 10.7716, lon: 106.6983 }, 500],
    [{ lat: 10.8, lon: 106.7 }, 50],
    [{ lat: 10.75, lon: 106.65 }, 1500],
    [{ lat: 10.9, lon: 106.8 }, 5000],
    [{ lat: 21.03, lon: 105.85 }, 5000],
    [{ lat: 89.99, lon: 0 }, 5000],
  ])('finds around %j within %i m exactly what a full scan finds, nearest first', (at, radiusM) => {
    const scan = stops
      .map((s) => ({ stopId: s.stopId, distanceM: haversineM(at, s) }))
      .filter((s) => s.distanceM <= radiusM)
      .sort((a, b) => a.distanceM - b.distanceM || a.stopId.localeCompare(b.stopId));
    const found = grid.nearby(at, radiusM, 10_000).map((n) => ({ stopId: n.stop.stopId, distanceM: n.distanceM }));
    expect(found).toEqual(scan);
  });

  it('keeps to the limit, nearest first', () => {
    const found = grid.nearby({ lat: 10.8, lon: 106.7 }, 5000, 3);
    expect(found).toHaveLength(3);
    expect(found[0]!.distanceM).toBeLessThanOrEqual(found[2]!.distanceM);
  });

  it('answers an empty network with nothing', () => {
    expect(new StopGridIndex([]).nearby({ lat: 10.77, lon: 106.7 }, 500, 10)).toEqual([]);
  });
});

describe('headwaysByBand', () => {
  const trip = (tripId: string, departure: string, directionId: 0 | 1 = 0, serviceId = 'DAILY'): Trip => {
    const [h, m] = departure.split(':').map(Number);
    const s = h! * 3600 + m! * 60;
    const st = (stopId: string, t: number, stopSequence: number) => ({
      stopId,
      stopSequence,
      arrivalS: t,
      departureS: t,
      distanceM: 0,
      pickupType: 0,
      dropOffType: 0,
      timepoint: true,
    });
    return { tripId, routeId: 'R', serviceId, directionId, shapeId: 'S', patternId: 'P', stopTimes: [st('A', s, 1), st('B', s + 600, 2)] };
  };

  it.each([
    {
      name: 'every 10 min in the morning peak, every 20 min at midday',
      trips: ['06:00', '06:10', '06:20', '06:30', '09:00', '09:20', '09:40'].map((d, i) => trip(`T${i}`, d)),
      expected: { early: [0], morningPeak: [4, { min: 10, max: 10, mean: 10 }], midday: [3, { min: 20, max: 20, mean: 20 }], eveningPeak: [0], evening: [0] },
    },
    {
      name: 'uneven gaps: min, max and mean',
      trips: ['16:00', '16:05', '16:20', '16:30'].map((d, i) => trip(`T${i}`, d)),
      expected: { early: [0], morningPeak: [0], midday: [0], eveningPeak: [4, { min: 5, max: 15, mean: 10 }], evening: [0] },
    },
    {
      name: 'one departure in a band has no headway; after midnight counts as evening',
      trips: [trip('T0', '05:00'), trip('T1', '23:30'), trip('T2', '24:30')],
      expected: { early: [1], morningPeak: [0], midday: [0], eveningPeak: [0], evening: [2, { min: 60, max: 60, mean: 60 }] },
    },
  ])('$name', ({ trips, expected }) => {
    const [dir] = headwaysByBand(trips);
    expect(dir!.directionId).toBe(0);
    const got = Object.fromEntries(dir!.bands.map((b) => [b.band, b.headwayMin ? [b.departures, b.headwayMin] : [b.departures]]));
    expect(got).toEqual(expected);
  });

  it('reads each direction apart, for the service with most trips', () => {
    const trips = [trip('a', '07:00', 0), trip('b', '07:30', 0), trip('c', '07:05', 1), trip('d', '07:15', 1), trip('h', '07:01', 1, 'HOLIDAY')];
    const out = headwaysByBand(trips);
    expect(out.map((d) => [d.directionId, d.serviceId])).toEqual([
      [0, 'DAILY'],
      [1, 'DAILY'],
    ]);
    expect(out[1]!.bands.find((b) => b.band === 'morningPeak')!.headwayMin!.mean).toBe(10);
  });

  it('is empty without trips', () => {
    expect(headwaysByBand([])).toEqual([]);
  });
});

describe('the sample network for passengers', async () => {
  const { network } = await loadGtfs(SAMPLE_NETWORK_DIR);
  const passengers = buildPassengerNetwork(network);

  it('lists every route with its operator, directions and first and last departure', () => {
    const routes = passengers.routes();
    expect(routes.map((r) => r.routeId).sort()).toEqual([...network.routes.keys()].sort());
    const r01 = routes.find((r) => r.routeId === '01')!;
    expect(r01).toMatchObject({ shortName: '01', operator: { operatorId: 'SGB' }, subsidised: true, firstDeparture: '05:00:00' });
    expect(r01.directions.map((d) => d.directionId)).toEqual([0, 1]);
  });

  it("gives a route's patterns with stops in order, the shape as a GeoJSON LineString, and headways", () => {
    const r = passengers.route('01');
    for (const p of r.patterns) {
      const pattern = network.patterns.get(p.patternId)!;
      expect(p.stops.map((s) => s.stopId)).toEqual(pattern.stops.map((s) => s.stopId));
      expect(p.stops.map((s) => s.stopSequence)).toEqual(p.stops.map((_, i) => i + 1));
      expect(p.shape.type).toBe('LineString');
      expect(p.shape.coordinates[0]).toEqual([network.shapes.get(pattern.shapeId)!.points[0]!.lon, network.shapes.get(pattern.shapeId)!.points[0]!.lat]);
    }
    expect(r.headways.length).toBeGreaterThan(0);
    expect(r.headways[0]!.bands.find((b) => b.band === 'morningPeak')!.headwayMin).toBeDefined();
  });

  it('finds Bến Thành first near its own coordinates and by its name without accents', () => {
    expect(passengers.nearbyStops({ lat: 10.7716, lon: 106.6983 }, 500, 5)[0]).toMatchObject({ stopId: 'BTH', name: 'Bến Thành', distanceM: 0 });
    expect(passengers.searchStops('ben thanh', 5)[0]!.name).toBe('Bến Thành');
    expect(passengers.searchStops('BEN THANH', 5)[0]!.name).toBe('Bến Thành');
    expect(passengers.stop('BTH').routes.map((r) => r.routeId)).toContain('04');
  });

  it('throws NotFound for an unknown route or stop; an empty network answers nothing', () => {
    expect(() => passengers.route('NOPE')).toThrow(NotFound);
    expect(() => passengers.stop('NOPE')).toThrow(NotFound);
    const empty = buildPassengerNetwork();
    expect(empty.routes()).toEqual([]);
    expect(empty.nearbyStops({ lat: 10.77, lon: 106.7 }, 500, 5)).toEqual([]);
  });
});
