import { describe, expect, it } from 'vitest';
import { loadGtfsFiles } from '../../../shared/gtfs/load.js';
import { lines, smallFeed } from '../../fixtures/gtfs/small-feed.js';

describe('frequencies.txt expansion', () => {
  const { network, issues } = loadGtfsFiles(
    smallFeed({
      'frequencies.txt': lines(
        'trip_id,start_time,end_time,headway_secs,exact_times',
        'T1,06:00:00,07:00:00,600,1', // 06:00 … 06:50: the end is exclusive
        'T1,07:00:00,07:30:00,900,1',
        'T2,20:00:00,20:40:00,1200,0',
      ),
    }),
  );

  it('replaces each template with a trip per headway, start before end_time', () => {
    expect(issues).toEqual([]);
    const fromT1 = [...network.trips.values()].filter((t) => t.frequency?.templateTripId === 'T1');
    expect(fromT1.map((t) => t.tripId)).toEqual([
      'T1@06:00:00',
      'T1@06:10:00',
      'T1@06:20:00',
      'T1@06:30:00',
      'T1@06:40:00',
      'T1@06:50:00',
      'T1@07:00:00',
      'T1@07:15:00',
    ]);
    expect(network.trips.has('T1')).toBe(false);
    expect(network.trips.has('T2')).toBe(false);
    expect(network.trips.has('T3')).toBe(true); // not a template
  });

  it('shifts every stop time by the same amount, keeping running and dwell times', () => {
    const trip = network.trips.get('T1@07:15:00')!;
    expect(trip.stopTimes.map((st) => [st.arrivalS, st.departureS])).toEqual([
      [26_100, 26_100],
      [26_220, 26_250],
      [26_400, 26_430],
      [26_580, 26_580],
    ]);
    expect(trip.frequency).toEqual({ templateTripId: 'T1', headwayS: 900, exactTimes: true });
  });

  it('marks frequency-based (exact_times 0) trips so only their headway is relied on', () => {
    const fromT2 = [...network.trips.values()].filter((t) => t.frequency?.templateTripId === 'T2');
    expect(fromT2.map((t) => [t.tripId, t.stopTimes[0]!.departureS, t.frequency!.exactTimes])).toEqual([
      ['T2@20:00:00', 72_000, false],
      ['T2@20:20:00', 73_200, false],
    ]);
  });

  it('puts the expanded trips on their template pattern', () => {
    const pattern = network.patterns.get(network.trips.get('T1@06:00:00')!.patternId)!;
    expect(pattern.tripIds).toContain('T3');
    expect(pattern.tripIds).toContain('T1@07:15:00');
    expect(pattern.tripIds).not.toContain('T1');
  });

  it('reports a frequency for an unknown trip and a period that ends before it starts', () => {
    const { issues: bad } = loadGtfsFiles(
      smallFeed({
        'frequencies.txt': lines(
          'trip_id,start_time,end_time,headway_secs,exact_times',
          'NOPE,06:00:00,07:00:00,600,1',
          'T1,07:00:00,06:00:00,600,1',
          'T2,07:00:00,08:00:00,0,1',
        ),
      }),
    );
    expect(bad.map((i) => [i.line, i.field, i.severity])).toEqual([
      [3, 'end_time', 'error'],
      [4, 'headway_secs', 'error'],
      [2, 'trip_id', 'error'],
    ]);
  });
});
