import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, parseCsvTable } from '../../../shared/gtfs/csv.js';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('RFC 4180 CSV', () => {
  it('splits plain records on LF, CRLF and lone CR alike', () => {
    const expected = [
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ];
    expect(fields('a,b\n1,2\n3,4\n')).toEqual(expected);
    expect(fields('a,b\r\n1,2\r\n3,4\r\n')).toEqual(expected);
    expect(fields('a,b\r1,2\r3,4')).toEqual(expected);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
    expect(fields('name,desc\n"Chợ, cổng 2","say ""hi""\nthen go"\n')).toEqual([
      ['name', 'desc'],
      ['Chợ, cổng 2', 'say "hi"\nthen go'],
    ]);
  });

  it('numbers records by the line they start on, counting line breaks inside quotes', () => {
    const records = parseCsv('h1,h2\r\n"multi\r\nline\r\ntext",x\r\nlast,y\r\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records[1]!.fields[0]).toBe('multi\r\nline\r\ntext');
  });

  it('drops a UTF-8 byte-order mark', () => {
    expect(fields('\uFEFFstop_id,stop_name\nS1,Bến Thành\n')).toEqual([
      ['stop_id', 'stop_name'],
      ['S1', 'Bến Thành'],
    ]);
  });

  it('skips blank lines but keeps their line numbers counted', () => {
    const records = parseCsv('a\n\n1\n\r\n2');
    expect(records).toEqual([
      { line: 1, fields: ['a'] },
      { line: 3, fields: ['1'] },
      { line: 5, fields: ['2'] },
    ]);
  });

  it('keeps empty fields, trailing commas and a quoted empty record', () => {
    expect(fields('a,b,c\n,,\n1,,3,\n""\n')).toEqual([['a', 'b', 'c'], ['', '', ''], ['1', '', '3', ''], ['']]);
    expect(fields('x,')).toEqual([['x', '']]);
  });

  it('keeps a stray quote inside an unquoted field as text', () => {
    expect(fields('a,5" screen,b\n')).toEqual([['a', '5" screen', 'b']]);
  });

  it('refuses a quoted field that never closes, naming the line where it opened', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\n1,"x\ny",\n"open\n')).toThrow(expect.objectContaining({ line: 4 }));
  });

  it('maps rows onto a trimmed header and reports rows of the wrong width', () => {
    const table = parseCsvTable(' stop_id , stop_name\nS1,Tây\nS2\nS3,Đông,extra\n');
    expect(table.header).toEqual(['stop_id', 'stop_name']);
    expect(table.rows.map((r) => [r.line, r.values, r.fieldCount])).toEqual([
      [2, { stop_id: 'S1', stop_name: 'Tây' }, 2],
      [3, { stop_id: 'S2', stop_name: '' }, 1],
      [4, { stop_id: 'S3', stop_name: 'Đông' }, 3],
    ]);
  });

  it('gives an empty table for an empty file', () => {
    expect(parseCsvTable('')).toEqual({ header: [], headerLine: 1, rows: [] });
    expect(parseCsvTable('\uFEFF')).toEqual({ header: [], headerLine: 1, rows: [] });
  });
});
