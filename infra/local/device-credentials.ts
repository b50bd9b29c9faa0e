/**
 * Local MQTT credentials per bus: the local stand-in for IoT Core's X.509 certificate per thing. A secret is
 * 32 random bytes shown once; only its SHA-256 is kept (a fast hash suffices for a secret this long: there is
 * nothing to guess).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newDeviceSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function secretDigest(secret: string | Uint8Array): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: Uint8Array, storedDigest: string): boolean {
  const a = Buffer.from(secretDigest(secret), 'hex');
  const b = Buffer.from(storedDigest, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
