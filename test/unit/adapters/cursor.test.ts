import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../shared/adapters/http/cursor.js';
import { ValidationError } from '../../../shared/domain/errors.js';

const SECRET = 'cursor-test-secret-0123456789abcdef';

describe('page cursors', () => {
  it('round-trips the storage key', () => {
    const key = { pk: 'ORDER#1', sk: 'ORDER', dayKey: 'DAY#2026-11-26' };
    expect(decodeCursor(encodeCursor(key, SECRET), SECRET)).toEqual(key);
  });

  it.each([
    ['no seal', 'e30'],
    ['a forged seal', `e30.${'A'.repeat(22)}`],
    ['a seal of the right length in characters but not in bytes', `e30.${'ệ'.repeat(22)}`],
    ['an empty body', `.${'A'.repeat(22)}`],
  ])('refuses %s as a ValidationError naming cursor', (_name, cursor) => {
    expect(() => decodeCursor(cursor, SECRET)).toThrow(ValidationError);
    try {
      decodeCursor(cursor, SECRET);
    } catch (err) {
      expect((err as ValidationError).field).toBe('cursor');
    }
  });
});
