/**
 * A small validator of CSV files against a Frictionless Table Schema (v1), enough for the TIDES schemas: the
 * header (names and order), each value's type in its default format, the constraints (required, unique, enum,
 * minimum/maximum, minLength/maxLength, pattern), missing values and the primary key. Anything it does not know
 * (another type or format) is reported as an error rather than passed silently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface FieldConstraints {
  required?: boolean;
  unique?: boolean;
  enum?: readonly (string | number | boolean)[];
  minimum?: number | string;
  maximum?: number | string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

interface FieldDescriptor {
  name: string;
  type?: string;
  format?: string;
  constraints?: FieldConstraints;
  trueValues?: readonly string[];
  falseValues?: readonly string[];
}

export interface TableSchema {
  fields: readonly FieldDescriptor[];
  primaryKey?: string | readonly string[];
  missingValues?: readonly string[];
}

/** One violation: `row` is the data row (1 = the first after the header; 0 = the header itself). */
export interface TableError {
  row: number;
  field?: string;
  message: string;
}

/** Rows of an RFC 4180 CSV text: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' || c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else cell += c;
    i++;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

type Cast = { ok: true; value: string | number | boolean } | { ok: false; why: string };

const DEFAULT_TRUE = ['true', 'True', 'TRUE', '1'];
const DEFAULT_FALSE = ['false', 'False', 'FALSE', '0'];

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** The typed value of a cell in the field's type and default format, or why it is not one. */
function castCell(field: FieldDescriptor, cell: string): Cast {
  const type = field.type ?? 'string';
  const format = field.format ?? 'default';
  if (format !== 'default' && !(type === 'string' && ['email', 'uri', 'uuid'].includes(format))) {
    return { ok: false, why: `format "${format}" of type ${type} is not supported by this validator` };
  }
  switch (type) {
    case 'string': {
      if (format === 'uuid' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(cell)) return { ok: false, why: 'not a uuid' };
      if (format === 'email' && !/^[^@\s]+@[^@\s]+$/.test(cell)) return { ok: false, why: 'not an email address' };
      if (format === 'uri' && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(cell)) return { ok: false, why: 'not a URI' };
      return { ok: true, value: cell };
    }
    case 'integer':
      return /^[+-]?\d+$/.test(cell) ? { ok: true, value: Number(cell) } : { ok: false, why: 'not an integer' };
    case 'number':
      if (cell === 'NaN') return { ok: true, value: Number.NaN };
      if (cell === 'INF' || cell === '-INF') return { ok: true, value: cell === 'INF' ? Infinity : -Infinity };
      return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(cell) ? { ok: true, value: Number(cell) } : { ok: false, why: 'not a number' };
    case 'boolean':
      if ((field.trueValues ?? DEFAULT_TRUE).includes(cell)) return { ok: true, value: true };
      if ((field.falseValues ?? DEFAULT_FALSE).includes(cell)) return { ok: true, value: false };
      return { ok: false, why: 'not a boolean' };
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell);
      return m && validDate(+m[1]!, +m[2]!, +m[3]!) ? { ok: true, value: cell } : { ok: false, why: 'not a date (YYYY-MM-DD)' };
    }
    case 'datetime': {
      // The default format: YYYY-MM-DDThh:mm:ssZ, UTC.
      const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(cell);
      return m && validDate(+m[1]!, +m[2]!, +m[3]!) && +m[4]! < 24 && +m[5]! < 60 && +m[6]! < 60
        ? { ok: true, value: cell }
        : { ok: false, why: 'not a datetime (YYYY-MM-DDThh:mm:ssZ)' };
    }
    case 'time': {
      const m = /^(\d{2}):(\d{2}):(\d{2})$/.exec(cell);
      return m && +m[1]! < 24 && +m[2]! < 60 && +m[3]! < 60 ? { ok: true, value: cell } : { ok: false, why: 'not a time (hh:mm:ss)' };
    }
    case 'year':
      return /^\d{4}$/.test(cell) ? { ok: true, value: Number(cell) } : { ok: false, why: 'not a year' };
    case 'any':
      return { ok: true, value: cell };
    default:
      return { ok: false, why: `type ${type} is not supported by this validator` };
  }
}

/** Every violation of `schema` in the CSV `text` (an empty list when it conforms). */
export function validateCsv(text: string, schema: TableSchema): TableError[] {
  const errors: TableError[] = [];
  const rows = parseCsv(text);
  const names = schema.fields.map((f) => f.name);
  const header = rows[0] ?? [];
  if (header.join(',') !== names.join(',')) {
    const missing = names.filter((n) => !header.includes(n));
    const extra = header.filter((n) => !names.includes(n));
    const firstOff = names.findIndex((n, i) => header[i] !== n);
    errors.push({
      row: 0,
      message: `header differs from the schema's fields${missing.length ? `; missing: ${missing.join(', ')}` : ''}${extra.length ? `; unknown: ${extra.join(', ')}` : ''}; column ${firstOff + 1} is "${header[firstOff] ?? ''}", expected "${names[firstOff]}"`,
    });
    return errors;
  }
  const missingValues = schema.missingValues ?? [''];
  const primaryKey = schema.primaryKey === undefined ? [] : typeof schema.primaryKey === 'string' ? [schema.primaryKey] : [...schema.primaryKey];
  const seen = new Map<string, Map<string, number>>();
  const keys = new Map<string, number>();
  rows.slice(1).forEach((cells, i) => {
    const row = i + 1;
    if (cells.length !== names.length) {
      errors.push({ row, message: `${cells.length} values for ${names.length} columns` });
      return;
    }
    schema.fields.forEach((field, col) => {
      const cell = cells[col]!;
      const c = field.constraints ?? {};
      if (missingValues.includes(cell)) {
        if (c.required || primaryKey.includes(field.name)) errors.push({ row, field: field.name, message: 'a required value is missing' });
        return;
      }
      const cast = castCell(field, cell);
      if (!cast.ok) {
        errors.push({ row, field: field.name, message: `"${cell}" is ${cast.why}` });
        return;
      }
      const value = cast.value;
      if (c.enum && !c.enum.some((e) => e === value || (typeof e === 'string' && typeof value !== 'string' && castEquals(field, e, value)))) {
        errors.push({ row, field: field.name, message: `"${cell}" is not one of the enumerated values` });
      }
      if (c.minimum !== undefined && compare(field, value, c.minimum) < 0)
        errors.push({ row, field: field.name, message: `${cell} is below the minimum ${c.minimum}` });
      if (c.maximum !== undefined && compare(field, value, c.maximum) > 0)
        errors.push({ row, field: field.name, message: `${cell} is above the maximum ${c.maximum}` });
      if (c.minLength !== undefined && cell.length < c.minLength) errors.push({ row, field: field.name, message: `"${cell}" is shorter than ${c.minLength}` });
      if (c.maxLength !== undefined && cell.length > c.maxLength) errors.push({ row, field: field.name, message: `"${cell}" is longer than ${c.maxLength}` });
      if (c.pattern !== undefined && !new RegExp(`^(?:${c.pattern})$`).test(cell))
        errors.push({ row, field: field.name, message: `"${cell}" does not match ${c.pattern}` });
      if (c.unique) {
        const values = seen.get(field.name) ?? seen.set(field.name, new Map()).get(field.name)!;
        const first = values.get(cell);
        if (first !== undefined) errors.push({ row, field: field.name, message: `"${cell}" repeats the value of row ${first}` });
        else values.set(cell, row);
      }
    });
    if (primaryKey.length) {
      const key = JSON.stringify(primaryKey.map((k) => cells[names.indexOf(k)]));
      const first = keys.get(key);
      if (first !== undefined) errors.push({ row, message: `primary key (${primaryKey.join(', ')}) ${key} repeats row ${first}` });
      else keys.set(key, row);
    }
  });
  return errors;
}

function castEquals(field: FieldDescriptor, enumValue: string, value: string | number | boolean): boolean {
  const cast = castCell(field, enumValue);
  return cast.ok && cast.value === value;
}

/** Orders typed values; bounds written as strings (dates) are cast in the field's type first. */
function compare(field: FieldDescriptor, value: string | number | boolean, bound: number | string): number {
  const b = typeof bound === 'string' ? castCell(field, bound) : { ok: true as const, value: bound };
  if (!b.ok) throw new Error(`bound ${bound} of ${field.name} is ${b.why}`);
  const [x, y] = [value, b.value];
  return x < y ? -1 : x > y ? 1 : 0;
}

export const TIDES_EXPORTED_TABLES = ['trips_performed', 'stop_visits', 'passenger_events', 'fare_transactions'] as const;
export type TidesTable = (typeof TIDES_EXPORTED_TABLES)[number];

/** The official TIDES schema of a table, from the project's copy in test/fixtures/tides. */
export function tidesSchema(table: TidesTable): TableSchema {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'tides', `${table}.schema.json`), 'utf8')) as TableSchema;
}

/** The errors as lines, for a readable assertion message. */
export function describeErrors(errors: readonly TableError[], limit = 10): string {
  return errors
    .slice(0, limit)
    .map((e) => `row ${e.row}${e.field ? ` ${e.field}` : ''}: ${e.message}`)
    .join('\n');
}
