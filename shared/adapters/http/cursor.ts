/** Opaque pagination cursors: the storage's last key, sealed so that callers cannot read or forge it. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../domain/errors.js';

export function encodeCursor(lastKey: Record<string, unknown> | undefined, secret: string): string | undefined {
  if (!lastKey) return undefined;
  const body = Buffer.from(JSON.stringify(lastKey)).toString('base64url');
  return `${body}.${sign(body, secret)}`;
}

export function decodeCursor(cursor: string | undefined, secret: string): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  const [body, mac] = cursor.split('.');
  const expected = Buffer.from(body ? sign(body, secret) : '');
  // Compared as bytes: a non-ASCII seal of the right length in characters is longer in bytes.
  const given = Buffer.from(mac ?? '');
  if (!body || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
  }
  return JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
}

function sign(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url').slice(0, 22);
}
