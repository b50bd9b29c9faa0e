/** `CurrentNetwork`: the current version loaded once and indexed once, checked again only after a while. */
import { describe, expect, it, vi } from 'vitest';
import { CurrentNetwork } from '../../../shared/adapters/network/current-network.js';
import { NotFound } from '../../../shared/domain/errors.js';
import type { Network } from '../../../shared/gtfs/model.js';
import { loadGtfsFiles } from '../../../shared/gtfs/load.js';
import { smallFeed } from '../../fixtures/gtfs/small-feed.js';

const network = loadGtfsFiles(smallFeed()).network;

function repo(versions: (string | undefined)[]) {
  const calls = { currentVersion: 0, loadNetwork: [] as string[] };
  let current = versions[0];
  return {
    calls,
    set: (v: string | undefined) => {
      current = v;
    },
    currentVersion: async () => {
      calls.currentVersion++;
      return current;
    },
    loadNetwork: async (version?: string): Promise<Network | undefined> => {
      calls.loadNetwork.push(version!);
      if (version === 'broken') throw new Error('store unreachable');
      return network;
    },
  };
}

describe('CurrentNetwork', () => {
  it('loads and indexes the current version once, and answers from it until the recheck interval has passed', async () => {
    let now = 0;
    const r = repo(['v1']);
    const current = new CurrentNetwork(r, () => now, 60_000);
    const first = await current.get();
    expect(first.version).toBe('v1');
    expect(first.passengers.routes().map((x) => x.routeId)).toEqual(['R1', 'R2']);
    now = 59_000;
    expect(await current.get()).toBe(first);
    expect(r.calls).toEqual({ currentVersion: 1, loadNetwork: ['v1'] });
    // Rechecked: the same version is kept, indexes and all.
    now = 61_000;
    expect(await current.get()).toBe(first);
    expect(r.calls).toEqual({ currentVersion: 2, loadNetwork: ['v1'] });
    // A new version is loaded and indexed; the version loaded answers meanwhile, no request waits for the check.
    r.set('v2');
    now = 200_000;
    expect(await current.get()).toBe(first);
    expect(await current.get()).toBe(first);
    await vi.waitFor(async () => expect((await current.get()).version).toBe('v2'));
    expect(await current.get()).not.toBe(first);
    expect(r.calls).toEqual({ currentVersion: 3, loadNetwork: ['v1', 'v2'] });
  });

  it('keeps answering the version loaded when a check fails, and checks again on the next request', async () => {
    let now = 0;
    const r = repo(['v1']);
    const current = new CurrentNetwork(r, () => now, 60_000);
    const first = await current.get();
    r.set('broken');
    now = 61_000;
    expect(await current.get()).toBe(first);
    await vi.waitFor(() => expect(r.calls.loadNetwork).toEqual(['v1', 'broken']));
    r.set('v2');
    expect(await current.get()).toBe(first);
    await vi.waitFor(async () => expect((await current.get()).version).toBe('v2'));
  });

  it('writes the GTFS zip once per version', async () => {
    const loaded = await new CurrentNetwork(repo(['v1'])).get();
    expect(loaded.gtfsZip()).toBe(loaded.gtfsZip());
  });

  it("keeps each stop's scheduled trips of the day, one object per trip shared by its stops, until the day changes", async () => {
    const loaded = await new CurrentNetwork(repo(['v1'])).get();
    const s2 = loaded.scheduledTripsAtStop('S2', '2026-09-07');
    // A Monday: the weekday trips through S2, each with its instants on that day.
    expect(s2.map((t) => t.tripId).sort()).toEqual(['T1', 'T2', 'T3']);
    expect(s2.find((t) => t.tripId === 'T1')!.stops[1]).toMatchObject({ stopId: 'S2', scheduledArrivalMs: Date.parse('2026-09-06T23:02:00Z') });
    expect(loaded.scheduledTripsAtStop('S2', '2026-09-07')).toBe(s2);
    const s1 = loaded.scheduledTripsAtStop('S1', '2026-09-07');
    expect(s1.find((t) => t.tripId === 'T1')).toBe(s2.find((t) => t.tripId === 'T1'));
    // A Saturday with its added service: other trips, other instants.
    const saturday = loaded.scheduledTripsAtStop('S1', '2026-09-12');
    expect(saturday.map((t) => t.tripId)).toEqual(['T5']);
    expect(loaded.scheduledTripsAtStop('S2', '2026-09-07')).not.toBe(s2);
    expect(loaded.scheduledTripsAtStop('S2', '2026-09-07')).toEqual(s2);
  });

  it('answers an empty network while none is imported, and NotFound for its GTFS zip', async () => {
    const loaded = await new CurrentNetwork(repo([undefined])).get();
    expect(loaded.passengers.routes()).toEqual([]);
    expect(loaded.scheduledTripsAtStop('S1', '2026-09-07')).toEqual([]);
    expect(() => loaded.gtfsZip()).toThrow(NotFound);
  });

  it('does not keep a failed load: the next request tries again', async () => {
    const r = repo(['broken']);
    const current = new CurrentNetwork(r, () => 0, 60_000);
    await expect(current.get()).rejects.toThrow('store unreachable');
    r.set('v1');
    expect((await current.get()).version).toBe('v1');
  });
});
