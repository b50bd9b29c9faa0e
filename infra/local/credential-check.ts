/**
 * The broker's check of a bus's credentials against the vehicles table, made safe for a database that stops
 * answering: the lookup is given a few seconds, after which the connection is refused as "server unavailable"
 * (the device retries), and a verified credential is remembered for a short while, so that buses reconnecting
 * during an outage of the table get in without it. A credential changed in the table is honoured at once for
 * the new secret, and the old one stops working when its cache entry expires.
 */

/** Where the broker looks up a bus's credential. */
export interface DeviceDirectory {
  /** The SHA-256 of the bus's local secret, or undefined for an unknown bus. */
  credentialDigest(busId: string): Promise<string | undefined>;
}
import { secretMatches } from './device-credentials.js';

export interface CredentialCheckOptions {
  devices: DeviceDirectory;
  /** How long the vehicles table is given to answer. */
  timeoutMs?: number;
  /** How long a verified credential is trusted without asking the table again. */
  cacheTtlMs?: number;
  now?: () => number;
}

export type CredentialVerdict =
  | { ok: true; cached: boolean }
  | { ok: false; reason: 'unknown bus' | 'wrong password' }
  | { ok: false; reason: 'credential check unavailable'; error: string };

const DEFAULT_AUTH_TIMEOUT_MS = 3000;
const DEFAULT_CREDENTIAL_CACHE_TTL_MS = 60_000;

class TimedOut extends Error {
  override name = 'TimedOut';
}

export class CredentialCheck {
  private readonly verified = new Map<string, { digest: string; expiresAtMs: number }>();
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: CredentialCheckOptions) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS;
    this.ttlMs = opts.cacheTtlMs ?? DEFAULT_CREDENTIAL_CACHE_TTL_MS;
    this.now = opts.now ?? Date.now;
  }

  async verify(busId: string, password: Uint8Array | undefined): Promise<CredentialVerdict> {
    if (!password) return { ok: false, reason: 'wrong password' };
    const cached = this.verified.get(busId);
    if (cached && cached.expiresAtMs > this.now() && secretMatches(password, cached.digest)) return { ok: true, cached: true };
    let digest: string | undefined;
    try {
      digest = await withTimeout(this.opts.devices.credentialDigest(busId), this.timeoutMs);
    } catch (err) {
      const error = err instanceof TimedOut ? `no answer from the vehicles table within ${this.timeoutMs} ms` : (err as Error).message;
      return { ok: false, reason: 'credential check unavailable', error };
    }
    if (!digest) {
      this.verified.delete(busId);
      return { ok: false, reason: 'unknown bus' };
    }
    if (!secretMatches(password, digest)) {
      if (cached && cached.digest !== digest) this.verified.delete(busId);
      return { ok: false, reason: 'wrong password' };
    }
    this.verified.set(busId, { digest, expiresAtMs: this.now() + this.ttlMs });
    return { ok: true, cached: false };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
