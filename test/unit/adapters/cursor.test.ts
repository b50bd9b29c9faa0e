/** Page cursors: opaque (encrypted, not merely signed), unforgeable, and bound to the query they came from. */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../shared/adapters/http/cursor.js';
import { cursorSchema } from '../../../shared/catalogue/ids.js';
import { ValidationError } from '../../../shared/domain/errors.js';

const SECRET = 'cursor-test-secret-0123456789abcdef';
const query = { serviceDay: '2026-03-10', operatorId: 'SGB' };
const lastKey = { pk: 'DAY#2026-03-10', sk: 'OP#SGB#ROUTE#01#TRIP#01-0-0600-marker', busKey: 'BUS#SGB-01-01#2026-03-10' };

async function refusal(cursor: string, q: Record<string, unknown> = query, secret = SECRET): Promise<ValidationError> {
  const err = await decodeCursor(cursor, secret, q).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  expect((err as ValidationError).field).toBe('cursor');
  return err as ValidationError;
}

describe('page cursors', () => {
  it('round-trip the storage key for the same query, whatever the page size', async () => {
    const cursor = (await encodeCursor(lastKey, SECRET, { ...query, limit: 2 }))!;
    expect(await decodeCursor(cursor, SECRET, { ...query, limit: 50 })).toEqual(lastKey);
    expect(await decodeCursor(cursor, SECRET, { operatorId: 'SGB', serviceDay: '2026-03-10', routeId: undefined })).toEqual(lastKey);
    expect(await encodeCursor(undefined, SECRET, query)).toBeUndefined();
    expect(await decodeCursor(undefined, SECRET, query)).toBeUndefined();
  });

  it('are what the API says it hands out (the id schema accepts them)', async () => {
    expect(cursorSchema.safeParse(await encodeCursor(lastKey, SECRET, query)).success).toBe(true);
  });

  it('cannot be read: no part of a cursor, decoded or not, shows the key it holds', async () => {
    const cursor = (await encodeCursor(lastKey, SECRET, query))!;
    const decoded = cursor.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1'));
    for (const text of [cursor, ...decoded]) {
      for (const secretPart of ['marker', 'DAY#', 'OP#SGB', '2026-03-10', '"pk"', 'busKey']) expect(text).not.toContain(secretPart);
    }
    // The same key sealed twice gives two cursors: equal positions cannot be told apart from outside.
    expect(await encodeCursor(lastKey, SECRET, query)).not.toBe(cursor);
  });

  it('refuses a cursor of another query: another service day, another operator, another filter', async () => {
    const cursor = (await encodeCursor(lastKey, SECRET, query))!;
    expect((await refusal(cursor, { ...query, serviceDay: '2026-03-11' })).message).toMatch(/another query/);
    await refusal(cursor, { ...query, operatorId: 'HTX15' });
    await refusal(cursor, { serviceDay: '2026-03-10' });
    await refusal(cursor, { ...query, routeId: '01' });
  });

  it('refuses a cursor sealed with another key, tampered with, or made up', async () => {
    const cursor = (await encodeCursor(lastKey, SECRET, query))!;
    await refusal(cursor, query, 'another-secret-0123456789abcdefghij');
    const parts = cursor.split('.');
    const flipped = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
    await refusal([parts[0], parts[1], parts[2], flipped, parts[4]].join('.'));
    await refusal(`${Buffer.from('{"pk":"other"}').toString('base64url')}.${'A'.repeat(22)}`);
    await refusal(`e30.${'ệ'.repeat(22)}`);
  });
});
