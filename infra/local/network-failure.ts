/** Why a GTFS network could not be loaded or stored, said in one line for the command line (no stack trace). */
import { formatIssue, GtfsFeedError } from '../../shared/gtfs/issues.js';

/** One line naming the feed and the reason; for a refused feed, its first error too. */
export function networkFailureLine(source: string, err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
  if (err instanceof GtfsFeedError) {
    const first = err.issues.find((i) => i.severity === 'error');
    return `Refused ${source}: ${message}${first ? `; first: ${formatIssue(first)}` : ''}`;
  }
  return `Cannot import ${source}: ${message}`;
}
