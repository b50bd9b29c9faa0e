/**
 * Pagination cursors: the storage's last key, encrypted (JWE compact, `dir` + A256GCM, with a key derived from the
 * cursor key by HKDF) so that callers can neither read nor forge it, and bound to the query it came from: a
 * cursor handed to another query (another serviceDay, operatorId, filter or caller's scope) is refused as a 400
 * on `cursor`, not silently read as a position in a list it does not belong to.
 */
import { createHash, hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { ValidationError } from '../../domain/errors.js';

const HEADER = { alg: 'dir', enc: 'A256GCM' } as const;
const keys = new Map<string, Uint8Array>();

/** The content-encryption key of a cursor key: derived, so the secret itself never encrypts anything. */
function cek(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new Uint8Array(hkdfSync('sha256', secret, 'busflow', 'busflow page cursor v1 A256GCM', 32));
    keys.set(secret, key);
  }
  return key;
}

/** What a cursor is bound to: the query's filter as the storage runs it (paging parameters left out), canonical. */
function queryBinding(query: Readonly<Record<string, unknown>>): string {
  const canonical = Object.keys(query)
    .filter((k) => query[k] !== undefined && k !== 'limit' && k !== 'cursor')
    .sort()
    .map((k) => [k, query[k]]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

export async function encodeCursor(
  lastKey: Record<string, unknown> | undefined,
  secret: string,
  query: Readonly<Record<string, unknown>>,
): Promise<string | undefined> {
  if (!lastKey) return undefined;
  const plaintext = new TextEncoder().encode(JSON.stringify({ k: lastKey, q: queryBinding(query) }));
  return new CompactEncrypt(plaintext).setProtectedHeader(HEADER).encrypt(cek(secret));
}

export async function decodeCursor(
  cursor: string | undefined,
  secret: string,
  query: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown> | undefined> {
  if (!cursor) return undefined;
  let sealed: { k?: unknown; q?: unknown };
  try {
    const { plaintext } = await compactDecrypt(cursor, cek(secret), { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    sealed = JSON.parse(new TextDecoder().decode(plaintext)) as typeof sealed;
  } catch {
    throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
  }
  if (sealed.q !== queryBinding(query)) throw new ValidationError([{ field: 'cursor', message: 'belongs to another query: start again without it' }]);
  if (!sealed.k || typeof sealed.k !== 'object') throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
  return sealed.k as Record<string, unknown>;
}
