import { describe, expect, it } from 'vitest';
import { API_REQUEST_KINDS, apiRequestMix, MIX_WEIGHTS, searchQueries, type MixSample } from '../../bench/api-mix.js';

const sample: MixSample = {
  stops: [
    { stopId: '01-0-01', name: 'Tôn Đức Thắng 1', lat: 10.777229, lon: 106.706259, routeIds: ['01'] },
    { stopId: '01-0-02', name: 'Bến Thành', lat: 10.773349, lon: 106.70528, routeIds: ['01', '04'] },
    { stopId: '04-0-03', name: 'Hàm Nghi 1', lat: 10.771007, lon: 106.703329, routeIds: ['04'] },
    { stopId: 'X-1', name: 'Trạm không tuyến', lat: 10.77, lon: 106.7, routeIds: [] },
  ],
  routeIds: ['01', '04'],
  busIds: ['BUS-001', 'BUS-002', 'BUS-003'],
};

describe('the API benchmark request mix', () => {
  it('holds every kind of request in any slice of one round of the weights', () => {
    const round = Object.values(MIX_WEIGHTS).reduce((a, b) => a + b, 0);
    const mix = apiRequestMix(sample, round * 5);
    for (let start = 0; start + round <= mix.length; start += round) {
      expect(new Set(mix.slice(start, start + round).map((r) => r.kind))).toEqual(new Set(API_REQUEST_KINDS));
    }
    expect(mix.filter((r) => r.kind === 'arrivals')).toHaveLength(MIX_WEIGHTS.arrivals * 5);
  });

  it('asks arrivals at every stop, with a route serving it or without one', () => {
    const mix = apiRequestMix(sample, 200);
    const plain = mix.filter((r) => r.kind === 'arrivals').map((r) => r.path);
    expect(new Set(plain)).toEqual(
      new Set(['/v1/stops/01-0-01/arrivals', '/v1/stops/01-0-02/arrivals', '/v1/stops/04-0-03/arrivals', '/v1/stops/X-1/arrivals']),
    );
    const withRoute = new Set(mix.filter((r) => r.kind === 'arrivals-route').map((r) => r.path));
    expect(withRoute).toEqual(
      new Set([
        '/v1/stops/01-0-01/arrivals?routeId=01',
        '/v1/stops/01-0-02/arrivals?routeId=01',
        '/v1/stops/01-0-02/arrivals?routeId=04',
        '/v1/stops/04-0-03/arrivals?routeId=04',
      ]),
    );
  });

  it("asks the fleet's buses, the routes' vehicles, stops near a point and both feeds", () => {
    const mix = apiRequestMix(sample, 200);
    const paths = (kind: string) => new Set(mix.filter((r) => r.kind === kind).map((r) => r.path));
    expect(paths('vehicle')).toEqual(new Set(['/v1/vehicles/BUS-001', '/v1/vehicles/BUS-002', '/v1/vehicles/BUS-003']));
    expect(paths('vehicles-route')).toEqual(new Set(['/v1/vehicles?routeId=01', '/v1/vehicles?routeId=04']));
    expect(paths('gtfs-rt')).toEqual(new Set(['/v1/gtfs-rt/vehicle-positions', '/v1/gtfs-rt/trip-updates']));
    // Near each stop (a few tens of metres off it), with the radii a passenger picks.
    const nearby = [...paths('nearby')].map((p) => new URLSearchParams(p.split('?')[1]));
    const nearStops = new Set(
      nearby.map((q) => {
        const [lat, lon] = q.get('near')!.split(',').map(Number);
        return sample.stops.find((s) => Math.abs(s.lat + 0.0004 - lat!) < 1e-5 && Math.abs(s.lon - 0.0003 - lon!) < 1e-5)?.stopId;
      }),
    );
    expect(nearStops).toEqual(new Set(sample.stops.map((s) => s.stopId)));
    expect(new Set(nearby.map((q) => q.get('radius')))).toEqual(new Set(['300', '500', '1000']));
    expect(mix.every((r) => r.method === 'GET')).toBe(true);
  });

  it('searches stop names with their diacritics, without them and in capitals', () => {
    expect(searchQueries(sample.stops)).toEqual(['Tôn Đức Thắng 1', 'ben thanh', 'HAM NGHI 1', 'tram']);
    const searched = apiRequestMix(sample, 200)
      .filter((r) => r.kind === 'search')
      .map((r) => new URLSearchParams(r.path.split('?')[1]).get('q')!);
    // The mix walks the stops in its own order: one query per stop, each a form of that stop's name.
    expect(searched.length).toBeGreaterThan(4);
    expect(new Set(searched).size).toBe(4);
    const formsByStop = [
      ['Tôn Đức Thắng 1', 'ton duc thang 1', 'TON DUC THANG 1', 'ton'],
      ['Bến Thành', 'ben thanh', 'BEN THANH', 'ben'],
      ['Hàm Nghi 1', 'ham nghi 1', 'HAM NGHI 1', 'ham'],
      ['Trạm không tuyến', 'tram khong tuyen', 'TRAM KHONG TUYEN', 'tram'],
    ];
    for (const forms of formsByStop) expect(forms.filter((f) => searched.includes(f))).toHaveLength(1);
  });

  it('refuses a sample without buses, routes or served stops rather than lose a kind', () => {
    expect(() => apiRequestMix({ ...sample, busIds: [] }, 10)).toThrow(RangeError);
    expect(() => apiRequestMix({ ...sample, stops: [sample.stops[3]!] }, 10)).toThrow(RangeError);
  });
});
