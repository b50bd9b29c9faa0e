/**
 * RFC 4180 CSV, as GTFS files use it: comma-separated, optional double quotes around a field, `""` for a
 * quote inside a quoted field, quoted fields may hold commas and line breaks. Tolerates what real feeds
 * contain: a UTF-8 byte-order mark, LF or CR line ends as well as CRLF, blank lines, a missing final newline.
 * A stray quote inside an unquoted field is kept as text, as most producers mean it literally.
 */

/** One record and the 1-based line of the file where it starts (a quoted line break makes records span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A data row keyed by the header's column names. */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
  /** How many fields the record had, to spot rows that disagree with the header. */
  fieldCount: number;
}

export interface CsvTable {
  header: string[];
  /** 1-based line of the header (1 unless the file starts with blank lines). */
  headerLine: number;
  rows: CsvRow[];
}

/** A quoted field that never closes: everything after it would be misread, so the file is refused. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/** Splits CSV text into records, skipping blank lines; throws CsvSyntaxError on an unterminated quote. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const n = src.length;
  let i = 0;
  let line = 1;

  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let quoted = false;
    let endOfRecord = false;
    while (!endOfRecord) {
      let value = '';
      if (src[i] === '"') {
        quoted = true;
        const openedOn = line;
        // Quoted field: runs to the next quote not followed by another quote.
        i++;
        for (;;) {
          const q = src.indexOf('"', i);
          if (q < 0) throw new CsvSyntaxError(openedOn, 'quoted field is not closed');
          value += src.slice(i, q);
          line += countLineBreaks(src, i, q);
          if (src[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
      }
      // Unquoted field, or text after a closing quote (kept, not dropped): up to the next comma or line end.
      let j = i;
      while (j < n && src[j] !== ',' && src[j] !== '\n' && src[j] !== '\r') j++;
      value += src.slice(i, j);
      fields.push(value);
      i = j;
      if (i >= n) {
        endOfRecord = true;
      } else if (src[i] === ',') {
        i++;
        // A comma at the very end of the text still opens one last (empty) field.
        if (i >= n) {
          fields.push('');
          endOfRecord = true;
        }
      } else {
        i += src[i] === '\r' && src[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
      }
    }
    // A line with nothing on it is not a record; a line holding `""` is one empty field.
    const blank = fields.length === 1 && fields[0] === '' && !quoted;
    if (!blank) records.push({ line: startLine, fields });
  }
  return records;
}

/** Line breaks (CRLF counted once) in src[from, to). */
function countLineBreaks(src: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = src[k];
    if (c === '\n') count++;
    else if (c === '\r' && src[k + 1] !== '\n') count++;
  }
  return count;
}

/** Parses CSV text whose first record is a header; header names are trimmed, values are kept verbatim. */
export function parseCsvTable(text: string): CsvTable {
  const records = parseCsv(text);
  const first = records[0];
  if (!first) return { header: [], headerLine: 1, rows: [] };
  const header = first.fields.map((h) => h.trim());
  const rows = records.slice(1).map((r): CsvRow => {
    const values: Record<string, string> = {};
    header.forEach((name, k) => {
      values[name] = r.fields[k] ?? '';
    });
    return { line: r.line, values, fieldCount: r.fields.length };
  });
  return { header, headerLine: first.line, rows };
}
