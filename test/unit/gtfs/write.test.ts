/**
 * The network written back as GTFS and imported again with BusFlow's own import gives the same network: the
 * same routes, stops, services and trips (frequency-expanded ones with the same ids), patterns and shapes.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Network } from '../../../shared/gtfs/model.js';
import { loadGtfs, loadGtfsFiles } from '../../../shared/gtfs/load.js';
import { writeGtfsFiles, writeGtfsZip } from '../../../shared/gtfs/write.js';
import { SAMPLE_NETWORK_DIR } from '../../../simulator/networks/index.js';
import { smallFeed } from '../../fixtures/gtfs/small-feed.js';

function expectSameNetwork(again: Network, network: Network): void {
  expect(again.timezone).toBe(network.timezone);
  expect([...again.agencies.values()]).toEqual(expect.arrayContaining([...network.agencies.values()]));
  expect(again.agencies.size).toBe(network.agencies.size);
  expect(Object.fromEntries(again.routes)).toEqual(Object.fromEntries(network.routes));
  expect(Object.fromEntries(again.stops)).toEqual(Object.fromEntries(network.stops));
  expect(Object.fromEntries(again.services)).toEqual(Object.fromEntries(network.services));
  expect([...again.trips.keys()].sort()).toEqual([...network.trips.keys()].sort());
  for (const [tripId, trip] of network.trips) {
    const back = again.trips.get(tripId)!;
    expect({ ...back, patternId: '', stopTimes: back.stopTimes.map((st) => ({ ...st, distanceM: Math.round(st.distanceM) })) }, tripId).toEqual({
      ...trip,
      patternId: '',
      stopTimes: trip.stopTimes.map((st) => ({ ...st, distanceM: Math.round(st.distanceM) })),
    });
  }
  expect(again.patterns.size).toBe(network.patterns.size);
  expect([...again.shapes.keys()].sort()).toEqual([...network.shapes.keys()].sort());
}

describe('writing a network as GTFS', () => {
  it.each([
    ['the small test feed', async () => loadGtfsFiles(smallFeed()).network],
    ['the HCMC sample network (frequencies, calendar_dates, Vietnamese names)', async () => (await loadGtfs(SAMPLE_NETWORK_DIR)).network],
  ])('round-trips %s through BusFlow’s own import', async (_, load) => {
    const network = await load();
    const imported = loadGtfsFiles(new Map(Object.entries(unzipSync(writeGtfsZip(network))).map(([name, bytes]) => [name, strFromU8(bytes)])));
    expect(imported.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expectSameNetwork(imported.network, network);
  });

  it('writes frequency-expanded trips back as their template and frequency rows, with exact_times', async () => {
    const { network } = await loadGtfs(SAMPLE_NETWORK_DIR);
    const files = writeGtfsFiles(network);
    const frequencies = files.get('frequencies.txt')!.trim().split('\r\n');
    expect(frequencies[0]).toBe('trip_id,start_time,end_time,headway_secs,exact_times');
    expect(frequencies).toEqual(expect.arrayContaining(['01-0-H,05:00:00,07:00:00,900,1', '01-0-H,07:00:00,19:00:00,720,1']));
    expect(files.get('trips.txt')).not.toContain('@');
    expect(files.get('stops.txt')).toContain('BTH,,Bến Thành,10.7716,106.6983,0,');
  });

  it('quotes fields holding commas and quotes, and gives the same bytes for the same network', () => {
    const { network } = loadGtfsFiles(smallFeed());
    expect(writeGtfsFiles(network).get('stops.txt')).toContain('"Chợ, cổng 2"');
    expect(writeGtfsZip(network)).toEqual(writeGtfsZip(network));
  });
});
