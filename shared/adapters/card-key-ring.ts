/**
 * The card-hash key ring as it is kept in its secret, and the pseudonymiser over it (the rules are in
 * `shared/domain/privacy/card-key-ring.ts`). The secret holds either a bare key — the generated value before the
 * first rotation, read as version 1 active since forever, so the pseudonyms stored so far stay valid — or
 *
 *   {"keys":[{"version":1,"key":"…","activeFrom":"1970-01-01T00:00:00.000Z"},{"version":2,"key":"…","activeFrom":"2026-07-01T00:00:00.000Z"}]}
 *
 * Rotating adds a version that takes over at a chosen instant and deletes the keys of retired versions.
 */
import { z } from 'zod';
import { DAY_MS, retention } from '../catalogue/index.js';
import {
  CardKeyRingError,
  checkKeyRing,
  currentKeyVersion,
  linkingKeyVersions,
  retiredKeyVersions,
  type CardKeyVersion,
  type CardPseudonyms,
} from '../domain/privacy/card-key-ring.js';
import type { Clock } from '../domain/ports/clock.js';
import { createCardPseudonymiser } from './card-pseudonymiser.js';

/**
 * How long a tap must stay linkable to a later tap of the same card: the retention of raw taps (telemetry). Any
 * longer-kept record with a card hash (journeys) is linkable across a rotation within this window only.
 */
export const CARD_LINK_WINDOW_MS = retention.telemetryDays * DAY_MS;

export interface KeyedCardKeyVersion extends CardKeyVersion {
  key: string;
}

const MIN_KEY_LENGTH = 32;
const secretSchema = z.object({
  keys: z
    .array(
      z.object({
        version: z.number().int().positive(),
        key: z.string().min(MIN_KEY_LENGTH, `must be at least ${MIN_KEY_LENGTH} characters`),
        activeFrom: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1),
});

/** Reads a secret value: a bare key, or the JSON ring above. Throws a CardKeyRingError naming what is wrong. */
export function parseCardKeyRing(secretValue: string): KeyedCardKeyVersion[] {
  const trimmed = secretValue.trim();
  if (!trimmed.startsWith('{')) {
    if (trimmed.length < MIN_KEY_LENGTH) throw new CardKeyRingError(`the card hash key must be at least ${MIN_KEY_LENGTH} characters`);
    return [{ version: 1, activeFromMs: 0, key: secretValue }];
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new CardKeyRingError('the card key ring is not valid JSON');
  }
  const parsed = secretSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CardKeyRingError(`card key ring ${issue.path.join('.')}: ${issue.message}`);
  }
  const ring = parsed.data.keys.map((k) => ({ version: k.version, activeFromMs: Date.parse(k.activeFrom), key: k.key }));
  checkKeyRing(ring);
  return ring;
}

export function serialiseCardKeyRing(ring: readonly KeyedCardKeyVersion[]): string {
  checkKeyRing(ring);
  return JSON.stringify({ keys: ring.map((v) => ({ version: v.version, key: v.key, activeFrom: new Date(v.activeFromMs).toISOString() })) });
}

/** Pseudonymises a card at `atMs` under the current version, with link hashes under the versions not yet retired. */
export function createRingPseudonymiser(
  ring: readonly KeyedCardKeyVersion[],
  linkWindowMs: number = CARD_LINK_WINDOW_MS,
): (cardId: string, atMs: number) => CardPseudonyms {
  checkKeyRing(ring);
  const hashers = new Map(ring.map((v) => [v.version, createCardPseudonymiser(v.key)]));
  return (cardId, atMs) => {
    const current = currentKeyVersion(ring, atMs);
    const cardLinkHashes: Record<string, string> = {};
    for (const version of linkingKeyVersions(ring, atMs, linkWindowMs)) cardLinkHashes[version] = hashers.get(version)!(cardId);
    return { cardHash: hashers.get(current.version)!(cardId), cardKeyVersion: current.version, cardLinkHashes };
  };
}

/**
 * The ingest path's pseudonymiser over the card key secret, at the clock's now. A bare key gives the same hash as
 * before rotation existed; after a rotation, new taps get the new version's hash and link hashes under the older.
 */
export function createClockedPseudonymiser(secretValue: string, clock: Clock, linkWindowMs: number = CARD_LINK_WINDOW_MS): (cardId: string) => CardPseudonyms {
  const ring = parseCardKeyRing(secretValue);
  // A ring whose first key is not active yet would fail every tap: fail at start instead, saying why.
  currentKeyVersion(ring, clock.now());
  const pseudonymise = createRingPseudonymiser(ring, linkWindowMs);
  return (cardId) => pseudonymise(cardId, clock.now());
}

/** The ring without the keys of versions retired at `nowMs`: once written back, nobody can make their hashes again. */
export function pruneCardKeyRing(ring: readonly KeyedCardKeyVersion[], nowMs: number, linkWindowMs: number = CARD_LINK_WINDOW_MS): KeyedCardKeyVersion[] {
  const retired = new Set(retiredKeyVersions(ring, nowMs, linkWindowMs));
  return ring.filter((v) => !retired.has(v.version));
}

/** Adds the next version, taking over at `activeFromMs` (not in the past, after the newest), and prunes retired keys. */
export function rotateCardKeyRing(
  ring: readonly KeyedCardKeyVersion[],
  next: { key: string; activeFromMs: number; nowMs: number; linkWindowMs?: number },
): KeyedCardKeyVersion[] {
  const newest = ring[ring.length - 1]!;
  if (next.key.length < MIN_KEY_LENGTH) throw new CardKeyRingError(`the new card hash key must be at least ${MIN_KEY_LENGTH} characters`);
  if (next.activeFromMs < next.nowMs) throw new CardKeyRingError('a new card key cannot take over in the past: taps already hashed would not carry it');
  if (next.activeFromMs <= newest.activeFromMs) throw new CardKeyRingError(`a new card key must take over after version ${newest.version} does`);
  const rotated = [...ring, { version: newest.version + 1, activeFromMs: next.activeFromMs, key: next.key }];
  return pruneCardKeyRing(rotated, next.nowMs, next.linkWindowMs ?? CARD_LINK_WINDOW_MS);
}
