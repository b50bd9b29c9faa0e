/**
 * Tests live on a fixed day (test/support/test-clock.ts): none may take a service day, a date or a time of day
 * from the machine's clock, or the suite passes or fails with the calendar. Measuring elapsed wall time
 * (deadlines, durations) is fine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const testDir = join(root, 'test');

/** Calls that turn the machine's clock into a day or a time of day. */
const DAY_FROM_WALL_CLOCK = /\b(serviceDayOf|localDateOf|endedServiceDay|localHhmm|zoneOffsetMs)\(\s*(Date\.now\(\)|new Date\(\)|performance\.now\(\))/;
/** `new Date()` with no argument is today: there is always a fixed instant to give instead. */
const TODAY = /new Date\(\s*\)/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return ['fixtures', 'bench'].includes(e.name) ? [] : testFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

function offences(source: string): number[] {
  return source.split('\n').flatMap((line, i) => (DAY_FROM_WALL_CLOCK.test(line) || TODAY.test(line) ? [i + 1] : []));
}

describe('tests and the calendar', () => {
  it('recognises a day or a time of day taken from the machine clock', () => {
    expect(offences('const day = serviceDayOf(Date.now());\nconst d = new Date();\nconst t = new Date(TEST_NOW);')).toEqual([1, 2]);
    expect(offences('const deadline = Date.now() + 5_000;')).toEqual([]);
  });

  it('no test takes its day or time of day from the machine clock', () => {
    const found = testFiles(testDir).flatMap((file) => offences(readFileSync(file, 'utf8')).map((line) => `${relative(root, file)}:${line}`));
    // This file names the patterns it looks for.
    expect(found.filter((f) => !f.startsWith('test/unit/architecture/fixed-clock.test.ts'))).toEqual([]);
  });
});
