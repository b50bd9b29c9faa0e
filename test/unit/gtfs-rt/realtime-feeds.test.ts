import { describe, expect, it } from 'vitest';
import { RealtimeFeedCache } from '../../../shared/adapters/gtfs-rt/realtime-feeds.js';
import type { LoadedNetwork } from '../../../shared/adapters/network/current-network.js';
import type { RealtimeVehicle } from '../../../shared/domain/gtfs-rt/ports.js';
import { TEST_NOW } from '../../support/test-clock.js';

function cache(failFirst = false) {
  let nowMs = TEST_NOW;
  let reads = 0;
  const network = { get: async () => ({ version: undefined, network: undefined }) as unknown as LoadedNetwork };
  const vehicles = {
    vehicles: async (): Promise<RealtimeVehicle[]> => {
      reads++;
      if (failFirst && reads === 1) throw new Error('table unavailable');
      return [];
    },
  };
  const orders = { of: async () => ({ cancelled: new Set<string>(), plannedDepartureMs: new Map<string, number>() }) };
  const feeds = new RealtimeFeedCache(network, vehicles, orders, () => nowMs, 5_000);
  const advance = (ms: number) => {
    nowMs += ms;
  };
  return { feeds, reads: () => reads, advance };
}

describe('the served GTFS-Realtime feeds', () => {
  it('reads the vehicles once per few seconds of the clock, serving the last build meanwhile', async () => {
    const c = cache();
    const first = await c.feeds.get();
    expect(first.vehiclePositions.header.timestamp).toBe(Math.floor(TEST_NOW / 1000));
    c.advance(4_000);
    expect(await c.feeds.get()).toBe(first);
    expect(c.reads()).toBe(1);
    c.advance(2_000);
    // Expired: a new build starts, the recent one is answered without waiting for it.
    expect(await c.feeds.get()).toBe(first);
    await new Promise((r) => setTimeout(r, 10));
    expect((await c.feeds.get()).tripUpdates.header.timestamp).toBe(Math.floor((TEST_NOW + 6_000) / 1000));
    expect(c.reads()).toBe(2);
  });

  it('does not keep a failed build: the next request tries again', async () => {
    const c = cache(true);
    await expect(c.feeds.get()).rejects.toThrow('table unavailable');
    expect((await c.feeds.get()).vehiclePositions.entity).toEqual([]);
    expect(c.reads()).toBe(2);
  });

  it('encodes each feed once per build', async () => {
    const built = await cache().feeds.get();
    expect(built.encoded('tripUpdates')).toBe(built.encoded('tripUpdates'));
  });
});
