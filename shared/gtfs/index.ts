/** GTFS import: the public surface used by the simulator and by BusFlow's network loading. */
export type {
  Agency, FrequencyOrigin, GtfsImport, Network, Pattern, PatternStop, Route, Service, Shape, ShapePoint, Stop,
  StopTime, Trip,
} from './model.js';
export { loadGtfs, loadGtfsFiles } from './model.js';
export { type FeedFiles, feedFilesFrom, readFeedFiles, unzipFeed } from './feed-source.js';
export { type GtfsIssue, type GtfsIssueSeverity, GtfsFeedError, formatIssue } from './issues.js';
export { activeServiceIds, serviceRunsOn, tripsOn, weekdayIndex } from './calendar.js';
export { formatGtfsDate, formatGtfsTime, parseGtfsDate, parseGtfsTime, serviceTimeToEpochMs } from './time.js';
export { expandedTripId } from './frequencies.js';
export { type CsvRecord, type CsvRow, type CsvTable, CsvSyntaxError, parseCsv, parseCsvTable } from './csv.js';
