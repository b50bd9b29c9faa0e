/** The Table Schema validator the TIDES conformance tests rely on: it must catch what TIDES forbids. */
import { describe, expect, it } from 'vitest';
import { parseCsv, tidesSchema, validateCsv, type TableSchema } from '../../support/table-schema.js';

const schema: TableSchema = {
  primaryKey: ['day', 'id'],
  missingValues: ['', 'NA'],
  fields: [
    { name: 'day', type: 'date', constraints: { required: true } },
    { name: 'id', type: 'string', constraints: { required: true } },
    { name: 'at', type: 'datetime' },
    { name: 'seq', type: 'integer', constraints: { minimum: 1 } },
    { name: 'dir', type: 'integer', constraints: { enum: [0, 1] } },
    { name: 'amount', type: 'number', constraints: { maximum: 100 } },
    { name: 'capped', type: 'boolean' },
    { name: 'door', type: 'string', constraints: { enum: ['Doors did not open', 'All doors opened'] } },
    { name: 'token', type: 'string', constraints: { unique: true } },
  ],
};
const HEADER = 'day,id,at,seq,dir,amount,capped,door,token';
const csv = (...rows: string[]) => `${[HEADER, ...rows].join('\r\n')}\r\n`;
const GOOD = '2026-11-26,T1,2026-11-26T01:00:00Z,1,0,70.5,false,All doors opened,a';

describe('validateCsv', () => {
  it('accepts a conforming table, with missing optional values', () => {
    expect(validateCsv(csv(GOOD, '2026-11-26,T2,,,NA,,,,'), schema)).toEqual([]);
  });

  it('rejects a value outside the enumeration', () => {
    const errors = validateCsv(csv(GOOD.replace('All doors opened', 'Opened')), schema);
    expect(errors).toEqual([{ row: 1, field: 'door', message: '"Opened" is not one of the enumerated values' }]);
    expect(validateCsv(csv(GOOD.replace(',0,', ',2,')), schema).map((e) => e.field)).toEqual(['dir']);
  });

  it('rejects a missing required value', () => {
    expect(validateCsv(csv(GOOD.replace('T1', '')), schema)).toEqual([{ row: 1, field: 'id', message: 'a required value is missing' }]);
  });

  it('rejects values not of their type', () => {
    const bad = (from: string, to: string) => validateCsv(csv(GOOD.replace(from, to)), schema).map((e) => e.field);
    expect(bad('2026-11-26T01:00:00Z', '2026-11-26T01:00:00.000Z')).toEqual(['at']);
    expect(bad('2026-11-26T01:00:00Z', '2026-11-26 01:00:00')).toEqual(['at']);
    expect(bad('2026-11-26,', '2026-02-30,')).toEqual(['day']);
    expect(bad(',1,0,', ',1.5,0,')).toEqual(['seq']);
    expect(bad('70.5', '"7,0"')).toEqual(['amount']);
    expect(bad('false', 'no')).toEqual(['capped']);
  });

  it('rejects values out of their bounds', () => {
    expect(validateCsv(csv(GOOD.replace(',1,0,', ',0,0,')), schema).map((e) => e.message)).toEqual(['0 is below the minimum 1']);
    expect(validateCsv(csv(GOOD.replace('70.5', '100')), schema)).toEqual([]);
    expect(validateCsv(csv(GOOD.replace('70.5', '100.5')), schema).map((e) => e.message)).toEqual(['100.5 is above the maximum 100']);
  });

  it('rejects columns in the wrong order, missing or unknown', () => {
    const swapped = [`id,day${HEADER.slice('day,id'.length)}`, GOOD].join('\r\n');
    expect(validateCsv(swapped, schema)).toEqual([{ row: 0, message: expect.stringContaining('column 1 is "id", expected "day"') }]);
    expect(validateCsv([HEADER.replace(',token', ''), GOOD].join('\r\n'), schema)[0]!.message).toContain('missing: token');
    expect(validateCsv([`${HEADER},extra`, `${GOOD},x`].join('\r\n'), schema)[0]!.message).toContain('unknown: extra');
  });

  it('rejects a row of the wrong width, a repeated unique value and a repeated primary key', () => {
    expect(validateCsv(csv(GOOD.slice(0, GOOD.lastIndexOf(','))), schema)).toEqual([{ row: 1, message: '8 values for 9 columns' }]);
    const errors = validateCsv(csv(GOOD, GOOD), schema);
    expect(errors.map((e) => e.message)).toEqual(['"a" repeats the value of row 1', 'primary key (day, id) ["2026-11-26","T1"] repeats row 1']);
  });

  it('reports a type or format it does not know instead of passing it', () => {
    const odd: TableSchema = {
      fields: [
        { name: 'p', type: 'geopoint' },
        { name: 'd', type: 'date', format: '%d/%m/%Y' },
      ],
    };
    expect(validateCsv('p,d\r\n"1,2",26/11/2026\r\n', odd).map((e) => e.message)).toEqual([
      '"1,2" is type geopoint is not supported by this validator',
      '"26/11/2026" is format "%d/%m/%Y" of type date is not supported by this validator',
    ]);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\r\n,\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
      ['', ''],
    ]);
  });
});

describe('tidesSchema', () => {
  it('reads the project copy of the official TIDES schemas', () => {
    const visits = tidesSchema('stop_visits');
    expect(visits.primaryKey).toEqual(['service_date', 'trip_id_performed', 'trip_stop_sequence']);
    expect(visits.fields.find((f) => f.name === 'door_status')?.constraints?.enum).toContain('Doors did not open');
  });
});
