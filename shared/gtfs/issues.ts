/**
 * What an import found wrong with a feed. Errors drop the offending row (or the trip it breaks) and the
 * import goes on; warnings keep the data, possibly with a fallback. Every issue points at the file, line and
 * field so a feed producer can fix it.
 */

type GtfsIssueSeverity = 'error' | 'warning';

export interface GtfsIssue {
  /** GTFS file name, e.g. `stop_times.txt`. */
  file: string;
  /** 1-based line in the file (the header is line 1); 0 when the issue concerns the whole file. */
  line: number;
  /** Column name, or '' when no single field is to blame. */
  field: string;
  message: string;
  severity: GtfsIssueSeverity;
}

/** Collects issues during an import. */
export class IssueLog {
  readonly issues: GtfsIssue[] = [];

  /** Records an error: the data it concerns is not imported. */
  error(file: string, line: number, field: string, message: string): void {
    this.issues.push({ file, line, field, message, severity: 'error' });
  }

  /** Records a warning: the data is imported, perhaps with a documented fallback. */
  warning(file: string, line: number, field: string, message: string): void {
    this.issues.push({ file, line, field, message, severity: 'warning' });
  }
}

/** A feed that cannot be used at all (no usable trips): carries every issue found on the way. */
export class GtfsFeedError extends Error {
  constructor(
    message: string,
    readonly issues: readonly GtfsIssue[],
  ) {
    super(`${message} (${issues.filter((i) => i.severity === 'error').length} errors)`);
    this.name = 'GtfsFeedError';
  }
}

/** One line per issue, for logs and CLI output. */
export function formatIssue(issue: GtfsIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}` : issue.file;
  const field = issue.field ? ` [${issue.field}]` : '';
  return `${issue.severity}: ${where}${field} ${issue.message}`;
}
