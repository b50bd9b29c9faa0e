/** Networks stored in DynamoDB Local: versioned by content, idempotent, and read back whole. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs } from '../../shared/gtfs/load.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

let stack: TestStack;
let network: Network;
beforeAll(async () => {
  stack = await startTestStack();
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('network repository', () => {
  it('imports the sample network, makes it current, and reads it back whole', async () => {
    const result = await stack.network.importNetwork(network, 'sample');
    expect(result).toMatchObject({ written: true, counts: { routes: network.routes.size, trips: network.trips.size } });
    expect(await stack.network.currentVersion()).toBe(result.version);
    const back = (await stack.network.loadNetwork())!;
    expect(back.timezone).toBe(network.timezone);
    for (const part of ['agencies', 'routes', 'stops', 'services', 'patterns', 'trips'] as const) {
      expect(new Set(back[part].keys()), part).toEqual(new Set(network[part].keys()));
    }
    const tripId = [...network.trips.keys()][17]!;
    // Numbers are stored in full; absent optional fields stay absent.
    expect(back.trips.get(tripId)).toStrictEqual(JSON.parse(JSON.stringify(network.trips.get(tripId))));
    const patternId = [...network.patterns.keys()][3]!;
    expect(back.patterns.get(patternId)).toEqual(JSON.parse(JSON.stringify(network.patterns.get(patternId))));
    const shape = network.shapes.get(network.patterns.get(patternId)!.shapeId)!;
    const shapeBack = back.shapes.get(shape.shapeId)!;
    expect(shapeBack.points).toHaveLength(shape.points.length);
    expect(shapeBack.points[shapeBack.points.length - 1]!.distanceM).toBeCloseTo(shape.lengthM, 0);
  }, 60_000);

  it('does not write the same network twice, and a changed one becomes a new current version', async () => {
    const again = await stack.network.importNetwork(network, 'sample');
    expect(again.written).toBe(false);
    const changedRoute = { ...network.routes.values().next().value!, longName: 'Renamed route' };
    const changed: Network = { ...network, routes: new Map([...network.routes, [changedRoute.routeId, changedRoute]]) };
    const next = await stack.network.importNetwork(changed, 'edited');
    expect(next.written).toBe(true);
    expect(next.version).not.toBe(again.version);
    expect(await stack.network.currentVersion()).toBe(next.version);
    expect((await stack.network.versions()).map((v) => v.version)).toEqual([again.version, next.version]);
    expect((await stack.network.loadNetwork(again.version))!.routes.get(changedRoute.routeId)!.longName).not.toBe('Renamed route');
  }, 60_000);
});
