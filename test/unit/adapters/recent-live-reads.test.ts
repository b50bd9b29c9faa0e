/** `RecentLiveReads` / `ShortReadCache`: the passengers' live reads kept a second or two, one read per key at a time. */
import { describe, expect, it } from 'vitest';
import { RecentLiveReads, ShortReadCache } from '../../../shared/adapters/recent-live-reads.js';
import type { CachedArrival } from '../../../shared/domain/predictions/serving.js';
import type { LiveVehicleRecord } from '../../../shared/domain/vehicles/live-view.js';
import { TEST_NOW } from '../../support/test-clock.js';

/** A read that answers only when told, counting its calls. */
function heldRead<T>() {
  const pending: ((v: T) => void)[] = [];
  let calls = 0;
  return {
    calls: () => calls,
    read: () => {
      calls++;
      return new Promise<T>((resolve) => pending.push(resolve));
    },
    answer: (v: T) => pending.shift()!(v),
  };
}

describe('ShortReadCache', () => {
  it('answers from the last read within its time to live, and reads again once it has passed', async () => {
    let now = TEST_NOW;
    let wall = 0;
    let reads = 0;
    const cache = new ShortReadCache<number>(
      () => now,
      2000,
      () => wall,
    );
    const read = async () => ++reads;
    expect(await cache.get('R1', read)).toBe(1);
    now += 1999;
    wall += 1999;
    expect(await cache.get('R1', read)).toBe(1);
    // Another key is its own read.
    expect(await cache.get('R2', read)).toBe(2);
    now += 1;
    wall += 1;
    expect(await cache.get('R1', read)).toBe(3);
    expect(reads).toBe(3);
  });

  it('shares one read in flight between concurrent asks of a key', async () => {
    const held = heldRead<string>();
    const cache = new ShortReadCache<string>(() => TEST_NOW);
    const asks = [cache.get('S1', held.read), cache.get('S1', held.read), cache.get('S1', held.read)];
    expect(held.calls()).toBe(1);
    held.answer('one read');
    expect(await Promise.all(asks)).toEqual(['one read', 'one read', 'one read']);
  });

  it('expires on wall time even when the stack clock is held still, and on the stack clock even when wall time is', async () => {
    let now = TEST_NOW;
    let wall = 0;
    let reads = 0;
    const cache = new ShortReadCache<number>(
      () => now,
      2000,
      () => wall,
    );
    const read = async () => ++reads;
    await cache.get('R1', read);
    wall += 2000;
    expect(await cache.get('R1', read)).toBe(2);
    now += 2000;
    expect(await cache.get('R1', read)).toBe(3);
    // A stack clock set back does not serve a read from "the future".
    now -= 10_000;
    expect(await cache.get('R1', read)).toBe(4);
  });

  it('does not keep a failed read: the next ask reads again', async () => {
    let reads = 0;
    const cache = new ShortReadCache<number>(() => TEST_NOW);
    const failing = async () => {
      reads++;
      throw new Error('table unreachable');
    };
    await expect(cache.get('R1', failing)).rejects.toThrow('table unreachable');
    await expect(cache.get('R1', async () => ++reads)).resolves.toBe(2);
  });

  it('drops the oldest key beyond its bound', async () => {
    let reads = 0;
    const read = async () => ++reads;
    const cache = new ShortReadCache<number>(
      () => TEST_NOW,
      2000,
      () => 0,
      2,
    );
    await cache.get('A', read);
    await cache.get('B', read);
    await cache.get('C', read);
    expect(await cache.get('B', read)).toBe(2);
    expect(await cache.get('A', read)).toBe(4);
  });
});

describe('RecentLiveReads', () => {
  it("keeps a stop's arrivals, a route's buses and one bus apart, each read once within its time to live", async () => {
    const calls: string[] = [];
    const arrival: CachedArrival = { kind: 'passed', tripId: 'T1', busId: 'B1', fixTsMs: TEST_NOW };
    const bus: LiveVehicleRecord = { busId: 'B1', operatorId: 'OP1' };
    const reads = new RecentLiveReads(
      {
        ofStop: async (stopId, nowMs) => {
          calls.push(`stop ${stopId} at ${nowMs - TEST_NOW}`);
          return new Map([['T1', arrival]]);
        },
      },
      {
        onRoute: async (routeId) => {
          calls.push(`route ${routeId}`);
          return [bus];
        },
        get: async (busId) => {
          calls.push(`bus ${busId}`);
          return busId === 'B1' ? bus : undefined;
        },
      },
      () => TEST_NOW,
      2000,
      () => 0,
    );
    for (let i = 0; i < 3; i++) {
      expect((await reads.ofStop('S1', TEST_NOW)).get('T1')).toEqual(arrival);
      expect(await reads.onRoute('S1')).toEqual([bus]);
      expect(await reads.get('B1')).toEqual(bus);
      expect(await reads.get('B9')).toBeUndefined();
    }
    expect(calls).toEqual(['stop S1 at 0', 'route S1', 'bus B1', 'bus B9']);
  });
});
