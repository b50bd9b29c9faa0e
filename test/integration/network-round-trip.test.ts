/** Every feed the tests use survives parse → store in DynamoDB Local → load unchanged, and a failed import says why. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoNetworkRepository, NetworkImportError } from '../../shared/adapters/dynamodb/network-repository.js';
import type { Network } from '../../shared/gtfs/model.js';
import { loadGtfs, loadGtfsFiles } from '../../shared/gtfs/load.js';
import { SAMPLE_NETWORK_DIR } from '../../simulator/networks/index.js';
import { GOOGLE_SAMPLE_FEED_ZIP } from '../fixtures/gtfs/google-sample-feed.js';
import { lines, smallFeed } from '../fixtures/gtfs/small-feed.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

/** A one-agency feed that leaves agency_id blank in agency.txt and out of routes.txt, as GTFS allows. */
const singleAgencyWithoutIds = () =>
  smallFeed({
    'agency.txt': lines('agency_name,agency_url,agency_timezone', 'Xe buýt Mẫu,https://a1.example/,Asia/Ho_Chi_Minh'),
    'routes.txt': lines('route_id,route_short_name,route_long_name,route_type', 'R1,01,Đông - Tây,3', 'R2,02,Vòng Chợ,3'),
  });

const feeds: [string, () => Promise<Network>][] = [
  ['the built-in sample network', async () => (await loadGtfs(SAMPLE_NETWORK_DIR)).network],
  ['the small test feed', async () => loadGtfsFiles(smallFeed()).network],
  ['a one-agency feed without agency_id', async () => loadGtfsFiles(singleAgencyWithoutIds()).network],
  ['the GTFS specification sample feed', async () => (await loadGtfs(GOOGLE_SAMPLE_FEED_ZIP)).network],
];

describe('network round trip through DynamoDB Local', () => {
  it.each(feeds)(
    'gives back %s exactly as parsed',
    async (_name, load) => {
      const network = await load();
      const result = await stack.network.importNetwork(network, 'round-trip');
      expect((await stack.network.loadNetwork(result.version))!).toEqual(network);
    },
    60_000,
  );

  it('gives the agency of a one-agency feed without agency_id a stable id, and its routes to it', () => {
    const a = loadGtfsFiles(singleAgencyWithoutIds());
    const b = loadGtfsFiles(singleAgencyWithoutIds());
    expect(a.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect([...a.network.agencies.keys()]).toEqual(['Xe buýt Mẫu']);
    expect([...a.network.routes.values()].map((r) => r.agencyId)).toEqual(['Xe buýt Mẫu', 'Xe buýt Mẫu']);
    expect([...b.network.agencies.keys()]).toEqual([...a.network.agencies.keys()]);
  });

  it('says in one line why a network could not be stored', async () => {
    const network = loadGtfsFiles(smallFeed()).network;
    const nowhere = new DynamoNetworkRepository(stack.doc, 'no-such-table');
    const err = await nowhere.importNetwork(network, 'feed.zip').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkImportError);
    expect((err as Error).message).toMatch(/^network \w+ from feed\.zip could not be stored: .+/);
    expect((err as Error).message).not.toContain('\n');
  });
});
