import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeedFiles } from '../../../shared/gtfs/feed-source.js';
import { loadGtfs, loadGtfsFiles } from '../../../shared/gtfs/load.js';
import { SMALL_FEED } from '../../fixtures/gtfs/small-feed.js';

describe('feed sources', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'busflow-gtfs-'));
    const feedDir = join(dir, 'feed');
    await mkdir(feedDir);
    for (const [name, text] of Object.entries(SMALL_FEED)) await writeFile(join(feedDir, name), text);
    await writeFile(join(feedDir, 'README.md'), 'not part of the feed');
    const entries = Object.fromEntries(Object.entries(SMALL_FEED).map(([n, t]) => [n, strToU8(t)]));
    await writeFile(join(dir, 'flat.zip'), zipSync(entries));
    // Published feeds often wrap their files in a folder; macOS adds resource forks.
    const nested = Object.fromEntries(Object.entries(entries).map(([n, b]) => [`gtfs-hcmc/${n}`, b]));
    await writeFile(join(dir, 'nested.zip'), zipSync({ ...nested, '__MACOSX/gtfs-hcmc/._trips.txt': strToU8('junk') }));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads only the .txt files of a directory', async () => {
    const files = await readFeedFiles(join(dir, 'feed'));
    expect([...files.keys()].sort()).toEqual(Object.keys(SMALL_FEED).sort());
    expect(files.get('stops.txt')).toBe(SMALL_FEED['stops.txt']);
  });

  it('gives the same network from a directory, a zip and a zip with a folder inside', async () => {
    const fromMemory = loadGtfsFiles(new Map(Object.entries(SMALL_FEED)));
    const fromDir = await loadGtfs(join(dir, 'feed'));
    const fromZip = await loadGtfs(join(dir, 'flat.zip'));
    const fromNested = await loadGtfs(join(dir, 'nested.zip'));
    expect(fromDir).toEqual(fromMemory);
    expect(fromZip).toEqual(fromDir);
    expect(fromNested).toEqual(fromDir);
    expect(fromZip.network.trips.size).toBe(5);
  });

  it('fails plainly on a path that does not exist', async () => {
    await expect(loadGtfs(join(dir, 'missing.zip'))).rejects.toThrow(/ENOENT/);
  });
});
