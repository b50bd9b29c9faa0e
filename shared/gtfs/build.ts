/**
 * The import pipeline, staged: parse and validate the files, group trips into patterns on their shapes,
 * expand frequencies, and refuse the feed when no trip survives.
 */
import type { FeedFiles } from './feed-source.js';
import { expandFrequencies } from './frequencies.js';
import { GtfsFeedError, IssueLog } from './issues.js';
import type { GtfsImport } from './model.js';
import { buildPatterns } from './patterns.js';
import { validateFeed } from './validate.js';

/** Builds a network from feed files; throws GtfsFeedError listing the issues when no trip is usable. */
export function buildNetwork(files: FeedFiles): GtfsImport {
  const log = new IssueLog();
  const feed = validateFeed(files, log);
  const { patterns, shapes, trips } = buildPatterns(feed, log);
  expandFrequencies(trips, patterns, feed.frequencies, log);
  if (trips.size === 0) throw new GtfsFeedError('the feed has no usable trips', log.issues);
  return {
    network: {
      timezone: feed.timezone,
      agencies: feed.agencies,
      routes: feed.routes,
      stops: feed.stops,
      trips,
      patterns,
      shapes,
      services: feed.services,
    },
    issues: log.issues,
  };
}
