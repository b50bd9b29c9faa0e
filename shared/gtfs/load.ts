/** Loading a GTFS feed: read its files, validate and build the network. */
import { buildNetwork } from './build.js';
import { type FeedFiles, readFeedFiles } from './feed-source.js';
import type { GtfsImport } from './model.js';

/** Loads a GTFS feed from a directory or a .zip; throws GtfsFeedError when no trip is usable. */
export async function loadGtfs(pathOrZip: string): Promise<GtfsImport> {
  return loadGtfsFiles(await readFeedFiles(pathOrZip));
}

/** Builds the network from feed files already in memory; throws GtfsFeedError when no trip is usable. */
export function loadGtfsFiles(files: FeedFiles): GtfsImport {
  return buildNetwork(files);
}
