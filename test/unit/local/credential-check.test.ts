/** The broker's credential check: a bounded wait on the vehicles table, and a short cache of verified secrets. */
import { describe, expect, it } from 'vitest';
import { CredentialCheck } from '../../../infra/local/credential-check.js';
import { newDeviceSecret, secretDigest } from '../../../infra/local/device-credentials.js';

function directory(digests: Map<string, string>) {
  const calls: string[] = [];
  return {
    calls,
    devices: {
      credentialDigest: async (busId: string) => {
        calls.push(busId);
        return digests.get(busId);
      },
    },
  };
}

describe('CredentialCheck', () => {
  it('answers "unavailable" within its timeout when the vehicles table does not answer', async () => {
    const check = new CredentialCheck({ devices: { credentialDigest: () => new Promise(() => undefined) }, timeoutMs: 50 });
    const started = performance.now();
    const verdict = await check.verify('B1', Buffer.from('secret'));
    expect(verdict).toMatchObject({ ok: false, reason: 'credential check unavailable', error: expect.stringMatching(/within 50 ms/) });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('answers "unavailable" when the lookup fails', async () => {
    const check = new CredentialCheck({ devices: { credentialDigest: () => Promise.reject(new Error('connection reset')) } });
    expect(await check.verify('B1', Buffer.from('x'))).toMatchObject({ ok: false, reason: 'credential check unavailable', error: 'connection reset' });
  });

  it('trusts a verified secret for the cache TTL without asking the table', async () => {
    const secret = newDeviceSecret();
    const { calls, devices } = directory(new Map([['B1', secretDigest(secret)]]));
    let nowMs = 0;
    const check = new CredentialCheck({ devices, cacheTtlMs: 60_000, now: () => nowMs });
    expect(await check.verify('B1', Buffer.from(secret))).toEqual({ ok: true, cached: false });
    nowMs = 59_000;
    expect(await check.verify('B1', Buffer.from(secret))).toEqual({ ok: true, cached: true });
    expect(calls).toEqual(['B1']);
  });

  it('honours a changed credential: the new secret at once, the old one no longer after the TTL', async () => {
    const oldSecret = newDeviceSecret();
    const newSecret = newDeviceSecret();
    const digests = new Map([['B1', secretDigest(oldSecret)]]);
    let nowMs = 0;
    const check = new CredentialCheck({ devices: directory(digests).devices, cacheTtlMs: 60_000, now: () => nowMs });
    expect((await check.verify('B1', Buffer.from(oldSecret))).ok).toBe(true);
    digests.set('B1', secretDigest(newSecret));
    nowMs = 1_000;
    expect(await check.verify('B1', Buffer.from(newSecret))).toEqual({ ok: true, cached: false });
    nowMs = 61_001;
    expect(await check.verify('B1', Buffer.from(oldSecret))).toEqual({ ok: false, reason: 'wrong password' });
  });

  it('never caches a refusal, and refuses an unknown bus or a missing password', async () => {
    const secret = newDeviceSecret();
    const digests = new Map<string, string>();
    const { calls, devices } = directory(digests);
    const check = new CredentialCheck({ devices });
    expect(await check.verify('B1', Buffer.from(secret))).toEqual({ ok: false, reason: 'unknown bus' });
    digests.set('B1', secretDigest(secret));
    expect(await check.verify('B1', undefined)).toEqual({ ok: false, reason: 'wrong password' });
    expect(await check.verify('B1', Buffer.from(secret))).toEqual({ ok: true, cached: false });
    expect(calls).toEqual(['B1', 'B1']);
  });
});
