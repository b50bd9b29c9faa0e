/**
 * The retention table of docs/infra.md says what the catalogue does: one row per table, with its personal-data
 * flag, its retention (the TTL figure the writers use) and whether it has point-in-time recovery.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retention, tables, type TableDef } from '../../../shared/catalogue/index.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'infra.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Data lifecycle'), doc.indexOf('## Stages'));
const rows = new Map(
  section
    .split('\n')
    .filter((line) => /^\| `[a-z-]+` \|/.test(line))
    .map((line) => {
      const cells = line.split(' | ').map((c) => c.replace(/^\| /, '').replace(/ \|$/, ''));
      return [cells[0]!.replaceAll('`', ''), { personal: cells[2], retention: cells[3], pitr: cells[4], why: cells[5] }] as const;
    }),
);

describe('the retention documented in docs/infra.md', () => {
  it('has one row per catalogue table and no other', () => {
    expect([...rows.keys()].sort()).toEqual(
      Object.values(tables)
        .map((t) => t.name)
        .sort(),
    );
  });

  it.each(Object.values(tables).map((def) => [def.name, def] as [string, TableDef]))('%s: personal data, retention, recovery and why', (name, def) => {
    const row = rows.get(name)!;
    const r = def.retention;
    expect(row.personal).toBe(r.personalData ? 'yes' : 'no');
    expect(row.pitr).toBe(r.rebuildable ? 'no' : 'yes');
    expect(row.why).toBe(r.why);
    if (r.ttlHours === undefined) {
      expect(def.ttlAttribute).toBeUndefined();
      expect(row.retention).toBe('until deleted');
    } else {
      expect(def.ttlAttribute).toBe('expiresAt');
      const figure = r.ttlHours % 24 === 0 ? `${r.ttlHours / 24} days` : `${r.ttlHours} hours`;
      expect(row.retention).toBe(`${figure} (TTL \`expiresAt\`)`);
    }
  });

  it('states the figures the writers use: 60 days of telemetry, 30 of rejects, 3 hours of cached arrivals', () => {
    expect(rows.get('telemetry')!.retention).toMatch(/^60 days/);
    expect(rows.get('rejects')!.retention).toMatch(/^30 days/);
    expect(rows.get('arrivals')!.retention).toMatch(/^3 hours/);
    expect([retention.telemetryDays, retention.rejectsDays, retention.arrivalsHours]).toEqual([60, 30, 3]);
    expect([tables.telemetry.retention.ttlHours, tables.rejects.retention.ttlHours, tables.arrivals.retention.ttlHours]).toEqual([60 * 24, 30 * 24, 3]);
  });

  it('keeps personal data only in tables that say why, and recovers every table that cannot be rebuilt', () => {
    for (const def of Object.values(tables)) {
      expect(def.retention.why.length, def.name).toBeGreaterThan(30);
      if (!def.retention.rebuildable) expect(rows.get(def.name)!.pitr).toBe('yes');
    }
  });
});
