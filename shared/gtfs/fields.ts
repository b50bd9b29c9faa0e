/**
 * Reading GTFS tables and their fields with issues that name file, line and column. A field problem is an
 * error (the row is dropped) when the value is required or cannot be guessed, a warning with a documented
 * fallback when it is optional.
 */
import { type CsvRow, CsvSyntaxError, parseCsvTable } from './csv.js';
import type { FeedFiles } from './feed-source.js';
import type { IssueLog } from './issues.js';
import { parseGtfsDate, parseGtfsTime } from './time.js';

export interface TableSpec {
  /** A required file that is missing is an error; an optional one is silently absent. */
  required: boolean;
  /** Columns without which no row of the file can be read. */
  columns: readonly string[];
}

/** The rows of one feed file, or undefined when it is absent or unreadable (with the issue logged). */
export function readTable(files: FeedFiles, file: string, spec: TableSpec, log: IssueLog): CsvRow[] | undefined {
  const text = files.get(file);
  if (text === undefined) {
    if (spec.required) log.error(file, 0, '', 'required file is missing');
    return undefined;
  }
  let table: ReturnType<typeof parseCsvTable>;
  try {
    table = parseCsvTable(text);
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    log.error(file, err.line, '', `file is not valid CSV: ${err.message}; the file is ignored`);
    return undefined;
  }
  const missing = spec.columns.filter((c) => !table.header.includes(c));
  for (const column of missing) {
    log.error(file, table.headerLine, column, 'required column is missing; the file is ignored');
  }
  if (missing.length > 0) return undefined;
  for (const row of table.rows) {
    if (row.fieldCount !== table.header.length) {
      log.warning(file, row.line, '', `row has ${row.fieldCount} fields, the header has ${table.header.length}`);
    }
  }
  return table.rows;
}

interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

/** Reads the fields of one row, logging every problem; `ok` tells whether the row may be imported. */
export class RowReader {
  private errors = 0;

  constructor(
    private readonly file: string,
    private readonly row: CsvRow,
    private readonly log: IssueLog,
  ) {}

  /** True when no error was logged for this row. */
  get ok(): boolean {
    return this.errors === 0;
  }

  /** The row's line in the file, for issues raised after parsing. */
  get line(): number {
    return this.row.line;
  }

  /** Logs an error about this row, which makes it unusable. */
  fail(field: string, message: string): void {
    this.errors++;
    this.log.error(this.file, this.row.line, field, message);
  }

  /** Logs a warning about this row. */
  warn(field: string, message: string): void {
    this.log.warning(this.file, this.row.line, field, message);
  }

  /** The trimmed value, '' when blank or absent. */
  raw(field: string): string {
    return (this.row.values[field] ?? '').trim();
  }

  /** A required non-blank text value (an error when blank). */
  required(field: string): string {
    const v = this.raw(field);
    if (v === '') this.fail(field, 'required value is missing');
    return v;
  }

  /** An optional text value, undefined when blank. */
  optional(field: string): string | undefined {
    const v = this.raw(field);
    return v === '' ? undefined : v;
  }

  /** A required number within the rule's bounds (an error otherwise). */
  requiredNumber(field: string, rule: NumberRule = {}): number {
    const v = this.raw(field);
    if (v === '') {
      this.fail(field, 'required value is missing');
      return Number.NaN;
    }
    const problem = numberProblem(v, rule);
    if (problem) {
      this.fail(field, `${problem}: "${v}"`);
      return Number.NaN;
    }
    return Number(v);
  }

  /** An optional number: blank gives `fallback`; a bad value gives `fallback` with a warning, or an error when `strict`. */
  optionalNumber<F extends number | undefined>(field: string, fallback: F, rule: NumberRule = {}, strict = false): number | F {
    const v = this.raw(field);
    if (v === '') return fallback;
    const problem = numberProblem(v, rule);
    if (!problem) return Number(v);
    if (strict) this.fail(field, `${problem}: "${v}"`);
    else this.warn(field, `${problem}: "${v}"; using ${fallback === undefined ? 'none' : fallback}`);
    return fallback;
  }

  /** An optional GTFS time in seconds; a malformed one is an error. */
  time(field: string): number | undefined {
    const v = this.raw(field);
    if (v === '') return undefined;
    const s = parseGtfsTime(v);
    if (s === undefined) this.fail(field, `not a GTFS time H:MM:SS: "${v}"`);
    return s;
  }

  /** A required GTFS time in seconds. */
  requiredTime(field: string): number {
    if (this.raw(field) === '') {
      this.fail(field, 'required value is missing');
      return Number.NaN;
    }
    return this.time(field) ?? Number.NaN;
  }

  /** A required GTFS date YYYYMMDD, as ISO YYYY-MM-DD. */
  requiredDate(field: string): string {
    const v = this.raw(field);
    if (v === '') {
      this.fail(field, 'required value is missing');
      return '';
    }
    const iso = parseGtfsDate(v);
    if (!iso) this.fail(field, `not a GTFS date YYYYMMDD: "${v}"`);
    return iso ?? '';
  }
}

function numberProblem(v: string, rule: NumberRule): string | undefined {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return 'not a number';
  const n = Number(v);
  if (rule.integer && !Number.isInteger(n)) return 'not an integer';
  if (rule.min !== undefined && n < rule.min) return `below ${rule.min}`;
  if (rule.max !== undefined && n > rule.max) return `above ${rule.max}`;
  return undefined;
}

/** Logs duplicates of an id column and keeps the first row holding each id. */
export function firstById<T extends { line: number }>(file: string, field: string, items: readonly T[], idOf: (t: T) => string, log: IssueLog): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) {
    const id = idOf(item);
    const first = out.get(id);
    if (first) log.error(file, item.line, field, `duplicate ${field} "${id}" (first on line ${first.line}); row ignored`);
    else out.set(id, item);
  }
  return out;
}
