/** The command-line tools say in one line why a network could not be imported. */
import { describe, expect, it } from 'vitest';
import { networkFailureLine } from '../../../infra/local/network-failure.js';
import { GtfsFeedError } from '../../../shared/gtfs/issues.js';

describe('networkFailureLine', () => {
  it('names the feed and the reason of any error in one line, without its stack', () => {
    const err = new Error("ENOENT: no such file or directory, stat 'feed.zip'\n    at stat (node:fs)");
    expect(networkFailureLine('feed.zip', err)).toBe("Cannot import feed.zip: ENOENT: no such file or directory, stat 'feed.zip'");
  });

  it('gives a refused feed its first error', () => {
    const err = new GtfsFeedError('the feed has no usable trips', [
      { file: 'agency.txt', line: 2, field: 'agency_url', message: 'agency_url is missing', severity: 'warning' },
      { file: 'trips.txt', line: 3, field: 'route_id', message: 'unknown route_id "X"; trip ignored', severity: 'error' },
    ]);
    const line = networkFailureLine('feed.zip', err);
    expect(line).toBe('Refused feed.zip: the feed has no usable trips (1 errors); first: error: trips.txt:3 [route_id] unknown route_id "X"; trip ignored');
    expect(line).not.toContain('\n');
  });
});
