import { describe, expect, it } from 'vitest';
import { GtfsFeedError, type GtfsIssue } from '../../../shared/gtfs/issues.js';
import { loadGtfsFiles } from '../../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../../shared/gtfs/time.js';
import { lines, SMALL_FEED, smallFeed } from '../../fixtures/gtfs/small-feed.js';

const errors = (issues: GtfsIssue[]) => issues.filter((i) => i.severity === 'error');
const at = (issues: GtfsIssue[], file: string, line: number) => issues.filter((i) => i.file === file && i.line === line);

describe('importing a good feed', () => {
  const { network, issues } = loadGtfsFiles(smallFeed());

  it('imports every entity without issues', () => {
    expect(issues).toEqual([]);
    expect(network.timezone).toBe('Asia/Ho_Chi_Minh');
    expect([...network.routes.keys()]).toEqual(['R1', 'R2']);
    expect(network.stops.size).toBe(7);
    expect([...network.trips.keys()].sort()).toEqual(['T1', 'T2', 'T3', 'T4', 'T5']);
    expect(network.stops.get('S2')!.name).toBe('Chợ, cổng 2');
  });

  it('reads the subsidised extension column of routes.txt', () => {
    expect(network.routes.get('R1')).toMatchObject({ shortName: '01', subsidised: true, extra: { subsidised: '1' } });
    expect(network.routes.get('R2')!.subsidised).toBe(false);
  });

  it('turns stop times into service-day seconds with distances along the pattern', () => {
    const t1 = network.trips.get('T1')!;
    expect(t1.stopTimes.map((st) => [st.arrivalS, st.departureS])).toEqual([
      [21_600, 21_600],
      [21_720, 21_750],
      [21_900, 21_930],
      [22_080, 22_080],
    ]);
    const d = t1.stopTimes.map((st) => st.distanceM);
    expect(d[0]).toBeCloseTo(55, -1); // S1 is ~55 m along SH1, which starts west of it
    for (let i = 1; i < d.length; i++) expect(d[i]!).toBeGreaterThan(d[i - 1]! + 400);
  });

  it('groups trips into one pattern per route, direction and stop sequence', () => {
    const r1 = [...network.patterns.values()].filter((p) => p.routeId === 'R1');
    expect(r1.map((p) => [p.directionId, p.stops.map((s) => s.stopId).join(' '), p.tripIds.join(' ')])).toEqual([
      [0, 'S1 S2 S3 S4', 'T1 T3'],
      [1, 'S4 S3 S2 S1', 'T2'],
      [0, 'S1 S4', 'T5'],
    ]);
    expect(network.trips.get('T3')!.patternId).toBe(network.trips.get('T1')!.patternId);
  });

  it('keeps times past midnight above 24 h and maps them to the next calendar day', () => {
    const t3 = network.trips.get('T3')!;
    const last = t3.stopTimes[3]!;
    expect(last.arrivalS).toBe(24 * 3600 + 4 * 60);
    expect(new Date(serviceTimeToEpochMs('2026-09-01', last.arrivalS, network.timezone)).toISOString()).toBe(
      '2026-09-01T17:04:00.000Z', // 00:04 on 2 September in UTC+7
    );
  });

  it('interpolates blank intermediate times by distance and marks them as not timepoints', () => {
    const t3 = network.trips.get('T3')!.stopTimes;
    expect(t3.map((st) => st.timepoint)).toEqual([true, false, false, true]);
    const [a, b, c, d] = t3;
    const share = (b!.distanceM - a!.distanceM) / (d!.distanceM - a!.distanceM);
    expect(b!.arrivalS).toBe(Math.round(a!.departureS + share * 540));
    expect(a!.departureS < b!.arrivalS && b!.arrivalS < c!.arrivalS && c!.arrivalS < d!.arrivalS).toBe(true);
  });

  it('recognises a loop route and builds a straight-line shape where the trip has none', () => {
    const loop = network.patterns.get(network.trips.get('T4')!.patternId)!;
    expect(loop.isLoop).toBe(true);
    expect(network.shapes.get(loop.shapeId)!.synthetic).toBe(true);
    expect(loop.stops[3]!.distanceM).toBeCloseTo(loop.lengthM, 6);
  });
});

describe('importing a broken feed', () => {
  const broken = smallFeed({
    'stops.txt': lines(
      'stop_id,stop_name,stop_lat,stop_lon',
      'S1,Tây,10.7600,106.6800',
      'S2,Chợ,10.7600,106.6845',
      'S3,Giữa,10.7600,106.6890',
      'S4,Đông,10.7600,106.6935',
      'BAD,Ngoài khơi,95.0,106.7', // line 6: latitude out of range
      'ZERO,Không,0,0', // line 7
    ),
    'trips.txt': lines(
      'route_id,service_id,trip_id,direction_id,shape_id',
      'R1,WK,T1,0,SH1',
      'R9,WK,TX,0,SH1', // line 3: unknown route
      'R1,NOPE,TY,0,SH1', // line 4: unknown service
      'R1,WK,TB,0,SH1',
      'R1,WK,TT,0,SH1',
      'R1,WK,TS,0,NOSHAPE', // line 7: unknown shape, falls back
    ),
    'stop_times.txt': lines(
      'trip_id,arrival_time,departure_time,stop_id,stop_sequence',
      'T1,06:00:00,06:00:00,S1,1',
      'T1,06:02:00,06:02:00,S2,2',
      'T1,06:04:00,06:04:00,GHOST,3', // line 4: unknown stop, row dropped
      'T1,06:06:00,06:06:00,S4,4',
      'TZ,06:00:00,06:00:00,S1,1', // line 6: unknown trip
      'TB,07:00:00,07:00:00,S1,1',
      'TB,06:50:00,06:50:00,S2,2', // line 8: goes backwards, trip dropped
      'TT,08:00:00,08:00:00,S1,1',
      'TT,8h05,8h05,S4,2', // line 10: bad time format, row dropped → 1 stop time left
      'TS,09:00:00,09:00:00,S1,1',
      'TS,09:04:00,09:04:00,S4,2',
    ),
  });
  const { network, issues } = loadGtfsFiles(broken);

  it('reports each problem with its file, line and field', () => {
    const expectIssue = (file: string, line: number, field: string, severity: string, text: RegExp) => {
      const expected = expect.objectContaining({ field, severity, message: expect.stringMatching(text) });
      expect(at(issues, file, line)).toContainEqual(expected);
    };
    expectIssue('stops.txt', 6, 'stop_lat', 'error', /above 90/);
    expectIssue('stops.txt', 7, 'stop_lat', 'error', /0,0/);
    expectIssue('trips.txt', 3, 'route_id', 'error', /unknown route_id "R9"/);
    expectIssue('trips.txt', 4, 'service_id', 'error', /unknown service_id "NOPE"/);
    expectIssue('trips.txt', 7, 'shape_id', 'warning', /straight-line/);
    expectIssue('stop_times.txt', 4, 'stop_id', 'error', /unknown stop_id "GHOST"/);
    expectIssue('stop_times.txt', 6, 'trip_id', 'error', /unknown trip_id "TZ"/);
    expectIssue('stop_times.txt', 8, 'arrival_time', 'error', /06:50:00 is before the previous departure 07:00:00/);
    expectIssue('stop_times.txt', 10, 'arrival_time', 'error', /not a GTFS time/);
    expectIssue('stop_times.txt', 10, 'departure_time', 'error', /not a GTFS time/);
    expectIssue('trips.txt', 6, 'trip_id', 'error', /has 1 usable stop times/);
    expect(errors(issues)).toHaveLength(10);
  });

  it('imports the valid rest', () => {
    expect([...network.trips.keys()].sort()).toEqual(['T1', 'TS']);
    expect(network.trips.get('T1')!.stopTimes.map((st) => st.stopId)).toEqual(['S1', 'S2', 'S4']);
    expect(network.stops.has('BAD')).toBe(false);
    expect(network.shapes.get(network.trips.get('TS')!.shapeId)!.synthetic).toBe(true);
  });

  it('reports a missing required file and a missing required column', () => {
    const { issues: missing } = loadGtfsFiles(
      smallFeed({
        'calendar_dates.txt': undefined,
        'shapes.txt': lines('shape_id,shape_pt_lat,shape_pt_lon', 'SH1,10.76,106.68'),
      }),
    );
    expect(missing).toContainEqual(expect.objectContaining({ file: 'shapes.txt', line: 1, field: 'shape_pt_sequence', severity: 'error' }));
    const noAgency = refusal(smallFeed({ 'agency.txt': undefined }));
    expect(noAgency.issues).toContainEqual(expect.objectContaining({ file: 'agency.txt', line: 0, severity: 'error' }));
    expect(noAgency.issues).toContainEqual(expect.objectContaining({ file: 'routes.txt', line: 2, field: 'agency_id' }));
  });
});

/** The GtfsFeedError that importing `files` throws. */
function refusal(files: Map<string, string>): GtfsFeedError {
  try {
    loadGtfsFiles(files);
  } catch (err) {
    if (err instanceof GtfsFeedError) return err;
    throw err;
  }
  throw new Error('the feed was imported');
}

describe('stations, platforms and duplicate ids', () => {
  const { network, issues } = loadGtfsFiles(
    smallFeed({
      'stops.txt': lines(
        'stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station',
        'ST,Ga Bến Thành,10.7716,106.6983,1,',
        'S1,Tây,10.7600,106.6800,0,ST',
        'S2,Chợ,10.7600,106.6845,0,S1', // line 4: a stop cannot be a parent station
        'S3,Giữa,10.7600,106.6890,,',
        'S4,Đông,10.7600,106.6935,,',
        'S4,Đông again,10.7600,106.6936,,', // line 7: duplicate id
        'N1,,,,3,ST', // a generic node without position: not imported
        'L1,Vòng A,10.7700,106.6800,,',
        'L2,Vòng B,10.7700,106.6845,,',
        'L3,Vòng C,10.7740,106.6823,,',
      ),
      'stop_times.txt': `${SMALL_FEED['stop_times.txt']}T5,09:10:00,09:10:00,ST,3,\n`, // line 20: a station
    }),
  );

  it('keeps the station hierarchy, drops duplicates and refuses stop times at a station', () => {
    expect(network.stops.get('S1')!.parentStation).toBe('ST');
    expect(network.stops.get('S2')!.parentStation).toBeUndefined();
    expect(network.stops.get('S4')!.name).toBe('Đông');
    expect(network.stops.has('N1')).toBe(false);
    expect(issues.map((i) => [i.file, i.line, i.field, i.severity])).toEqual([
      ['stops.txt', 7, 'stop_id', 'error'],
      ['stops.txt', 4, 'parent_station', 'warning'],
      ['stop_times.txt', 20, 'stop_id', 'error'],
    ]);
    expect(network.trips.get('T5')!.stopTimes).toHaveLength(2);
  });
});

describe('refusing an unusable feed', () => {
  it('throws a GtfsFeedError listing the issues when no trip is usable', () => {
    const error = refusal(smallFeed({ 'routes.txt': lines('route_id,route_short_name,route_type', 'R7,07,3') }));
    expect(error.message).toMatch(/no usable trips/);
    expect(error.issues).toContainEqual(expect.objectContaining({ file: 'trips.txt', line: 6, field: 'route_id', severity: 'error' }));
    expect(errors([...error.issues])).toHaveLength(5 + 18); // five trips, then their eighteen stop times
  });

  it('refuses a feed without stop_times.txt', () => {
    expect(() => loadGtfsFiles(smallFeed({ 'stop_times.txt': undefined }))).toThrow(GtfsFeedError);
  });
});

describe('feeds without shapes.txt', () => {
  const { network, issues } = loadGtfsFiles(smallFeed({ 'shapes.txt': undefined }));

  it('draws straight-line shapes through the stops, with increasing distances', () => {
    expect(issues.filter((i) => i.field === 'shape_id')).toHaveLength(4); // T1, T2, T3, T5 name a shape no longer there
    for (const pattern of network.patterns.values()) {
      const shape = network.shapes.get(pattern.shapeId)!;
      expect(shape.synthetic).toBe(true);
      expect(shape.points).toHaveLength(pattern.stops.length);
      expect(pattern.stops[0]!.distanceM).toBe(0);
      for (let i = 1; i < pattern.stops.length; i++) {
        expect(pattern.stops[i]!.distanceM).toBeGreaterThan(pattern.stops[i - 1]!.distanceM);
      }
      expect(pattern.stops[pattern.stops.length - 1]!.distanceM).toBeCloseTo(shape.lengthM, 6);
    }
  });

  it('uses no shape file at all without complaint when trips name none', () => {
    const trips = SMALL_FEED['trips.txt']!.replace(/,SH[12]$/gm, ',');
    expect(loadGtfsFiles(smallFeed({ 'shapes.txt': undefined, 'trips.txt': trips })).issues).toEqual([]);
  });
});
