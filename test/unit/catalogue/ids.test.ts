import { describe, expect, it } from 'vitest';
import {
  busIdSchema,
  cursorSchema,
  operatorIdSchema,
  orderNumberSchema,
  routeIdSchema,
  serviceDaySchema,
  staffIdSchema,
  stopIdSchema,
  tripIdSchema,
  tripOrderIdSchema,
} from '../../../shared/catalogue/ids.js';

const schemas = {
  busIdSchema,
  operatorIdSchema,
  tripOrderIdSchema,
  routeIdSchema,
  tripIdSchema,
  stopIdSchema,
  staffIdSchema,
  orderNumberSchema,
  serviceDaySchema,
  cursorSchema,
};

/** What no id may be: too long for a key, empty, control characters, non-ASCII, a key separator. */
const bad = ['A'.repeat(3000), '', 'R1\u0000', 'R1\nR2', 'Tuyến 1', '🚌', 'R1#FROM#2026-11-26'];

describe('ids', () => {
  it.each(Object.entries(schemas))('%s refuses long, empty, control, non-ASCII and # values', (_name, schema) => {
    for (const value of bad) expect(schema.safeParse(value).success, JSON.stringify(value.slice(0, 20))).toBe(false);
  });

  it.each([
    ['busIdSchema', 'SGB-01-01'],
    ['operatorIdSchema', 'HTX15'],
    ['tripOrderIdSchema', '0f8e2a4c-6b1d-4e2f-9a3b-5c7d8e9f0a1b'],
    ['routeIdSchema', '01'],
    ['tripIdSchema', '01-0-0500'],
    ['stopIdSchema', 'BX.MIEN_TAY:2'],
    ['staffIdSchema', 'DRV-SGB-01-01'],
    ['orderNumberSchema', 'LVC 2026/001'],
    ['serviceDaySchema', '2026-11-26'],
    ['cursorSchema', `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..${'i'.repeat(16)}.${'c'.repeat(120)}.${'t'.repeat(22)}`],
  ] as const)('%s accepts %s', (name, value) => {
    expect(schemas[name].parse(value)).toBe(value);
  });

  it('bounds each id where a storage key can hold it', () => {
    expect(routeIdSchema.safeParse('R'.repeat(128)).success).toBe(true);
    expect(routeIdSchema.safeParse('R'.repeat(129)).success).toBe(false);
    expect(busIdSchema.safeParse('B'.repeat(65)).success).toBe(false);
    expect(operatorIdSchema.safeParse('O'.repeat(33)).success).toBe(false);
    expect(orderNumberSchema.parse('  LVC-1 ')).toBe('LVC-1');
  });
});
