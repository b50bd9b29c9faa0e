/** The card key ring in its secret, hashing under it, and rotating it: a card stays linkable, a retired key is gone. */
import { describe, expect, it } from 'vitest';
import {
  createClockedPseudonymiser,
  createRingPseudonymiser,
  parseCardKeyRing,
  pruneCardKeyRing,
  rotateCardKeyRing,
  serialiseCardKeyRing,
} from '../../../shared/adapters/card-key-ring.js';
import { createCardPseudonymiser } from '../../../shared/adapters/card-pseudonymiser.js';
import { sameCard } from '../../../shared/domain/privacy/card-key-ring.js';
import { fixedClock } from '../../../shared/domain/ports/clock.js';
import { TEST_NOW } from '../../support/test-clock.js';

const DAY = 24 * 3600 * 1000;
const WINDOW = 60 * DAY;
const KEY_1 = 'first-card-hash-key-0123456789abcdefghijkl';
const KEY_2 = 'second-card-hash-key-0123456789abcdefghijk';
const CARD = '9704123412341234';
const OTHER_CARD = '9704999988887777';

describe('the key ring in its secret', () => {
  it('reads a bare key as version 1 active since forever, hashing exactly as before rotation existed', () => {
    const ring = parseCardKeyRing(KEY_1);
    expect(ring).toEqual([{ version: 1, activeFromMs: 0, key: KEY_1 }]);
    expect(createRingPseudonymiser(ring, WINDOW)(CARD, TEST_NOW)).toEqual({
      cardHash: createCardPseudonymiser(KEY_1)(CARD),
      cardKeyVersion: 1,
      cardLinkHashes: {},
    });
  });

  it('reads and writes the JSON ring', () => {
    const ring = [
      { version: 1, activeFromMs: 0, key: KEY_1 },
      { version: 2, activeFromMs: TEST_NOW, key: KEY_2 },
    ];
    const text = serialiseCardKeyRing(ring);
    expect(JSON.parse(text)).toEqual({
      keys: [
        { version: 1, key: KEY_1, activeFrom: '1970-01-01T00:00:00.000Z' },
        { version: 2, key: KEY_2, activeFrom: '2026-03-10T03:00:00.000Z' },
      ],
    });
    expect(parseCardKeyRing(text)).toEqual(ring);
  });

  it('refuses a short key, bad JSON, a missing field and versions out of order, naming the problem', () => {
    expect(() => parseCardKeyRing('short')).toThrow('the card hash key must be at least 32 characters');
    expect(() => parseCardKeyRing('{"keys":')).toThrow('the card key ring is not valid JSON');
    expect(() => parseCardKeyRing('{"keys":[{"version":1,"key":"short","activeFrom":"2026-01-01T00:00:00Z"}]}')).toThrow(/keys\.0\.key: must be at least 32/);
    expect(() => parseCardKeyRing(`{"keys":[{"version":1,"key":"${KEY_1}"}]}`)).toThrow(/keys\.0\.activeFrom/);
    const outOfOrder = {
      keys: [
        { version: 2, key: KEY_2, activeFrom: '2026-01-01T00:00:00Z' },
        { version: 1, key: KEY_1, activeFrom: '2026-02-01T00:00:00Z' },
      ],
    };
    expect(() => parseCardKeyRing(JSON.stringify(outOfOrder))).toThrow(/must increase/);
  });
});

describe('rotating the key', () => {
  const rotationAt = TEST_NOW + 7 * DAY;
  const rotated = rotateCardKeyRing(parseCardKeyRing(KEY_1), { key: KEY_2, activeFromMs: rotationAt, nowMs: TEST_NOW, linkWindowMs: WINDOW });
  const pseudonymise = createRingPseudonymiser(rotated, WINDOW);

  it('adds the next version, taking over when told', () => {
    expect(rotated.map(({ version, activeFromMs }) => ({ version, activeFromMs }))).toEqual([
      { version: 1, activeFromMs: 0 },
      { version: 2, activeFromMs: rotationAt },
    ]);
  });

  it("keeps a card's taps before and after the rotation linked, and apart from another card's", () => {
    const before = pseudonymise(CARD, rotationAt - DAY);
    const after = pseudonymise(CARD, rotationAt + 20 * DAY);
    expect(before).toEqual({ cardHash: createCardPseudonymiser(KEY_1)(CARD), cardKeyVersion: 1, cardLinkHashes: {} });
    expect(after).toEqual({
      cardHash: createCardPseudonymiser(KEY_2)(CARD),
      cardKeyVersion: 2,
      cardLinkHashes: { 1: createCardPseudonymiser(KEY_1)(CARD) },
    });
    expect(sameCard(before, after)).toBe(true);
    expect(sameCard(before, pseudonymise(OTHER_CARD, rotationAt + 20 * DAY))).toBe(false);
  });

  it('makes no hash under a retired key once its window is over, and pruning deletes the key from the secret', () => {
    const retiresAt = rotationAt + WINDOW;
    expect(pseudonymise(CARD, retiresAt - 1).cardLinkHashes).toEqual({ 1: createCardPseudonymiser(KEY_1)(CARD) });
    expect(pseudonymise(CARD, retiresAt).cardLinkHashes).toEqual({});

    expect(pruneCardKeyRing(rotated, retiresAt - 1, WINDOW).map((v) => v.version)).toEqual([1, 2]);
    const pruned = pruneCardKeyRing(rotated, retiresAt, WINDOW);
    expect(pruned.map((v) => v.version)).toEqual([2]);
    expect(serialiseCardKeyRing(pruned)).not.toContain(KEY_1);
    // Even a pseudonymiser asked for a time before the retirement can no longer produce version 1 hashes.
    expect(createRingPseudonymiser(pruned, WINDOW)(CARD, rotationAt + DAY).cardLinkHashes).toEqual({});
  });

  it('the next rotation prunes what has retired by then', () => {
    const later = rotationAt + WINDOW + DAY;
    const third = rotateCardKeyRing(rotated, { key: `${KEY_1}-3`, activeFromMs: later, nowMs: later, linkWindowMs: WINDOW });
    expect(third.map((v) => v.version)).toEqual([2, 3]);
  });

  it('refuses a new key that is short, takes over in the past, or before the newest', () => {
    const ring = parseCardKeyRing(KEY_1);
    expect(() => rotateCardKeyRing(ring, { key: 'short', activeFromMs: TEST_NOW, nowMs: TEST_NOW })).toThrow(/at least 32/);
    expect(() => rotateCardKeyRing(ring, { key: KEY_2, activeFromMs: TEST_NOW - 1, nowMs: TEST_NOW })).toThrow(/in the past/);
    expect(() => rotateCardKeyRing(rotated, { key: `${KEY_2}x`, activeFromMs: rotationAt, nowMs: TEST_NOW })).toThrow(/after version 2/);
  });
});

describe('the ingest pseudonymiser', () => {
  it('hashes with a bare key exactly as before, and by the clock under the versions of a ring', () => {
    const clock = fixedClock(TEST_NOW);
    expect(createClockedPseudonymiser(KEY_1, clock)(CARD)).toEqual({ cardHash: createCardPseudonymiser(KEY_1)(CARD), cardKeyVersion: 1, cardLinkHashes: {} });

    const ring = serialiseCardKeyRing([
      { version: 1, activeFromMs: 0, key: KEY_1 },
      { version: 2, activeFromMs: TEST_NOW + DAY, key: KEY_2 },
    ]);
    const pseudonymise = createClockedPseudonymiser(ring, clock, WINDOW);
    expect(pseudonymise(CARD)).toEqual({ cardHash: createCardPseudonymiser(KEY_1)(CARD), cardKeyVersion: 1, cardLinkHashes: {} });
    clock.advance(DAY);
    expect(pseudonymise(CARD)).toEqual({
      cardHash: createCardPseudonymiser(KEY_2)(CARD),
      cardKeyVersion: 2,
      cardLinkHashes: { 1: createCardPseudonymiser(KEY_1)(CARD) },
    });
  });
});

describe('a ring with no key active yet', () => {
  it('is refused when the ingest pseudonymiser is made, not at the first tap', () => {
    const ring = serialiseCardKeyRing([{ version: 1, activeFromMs: TEST_NOW + DAY, key: KEY_1 }]);
    expect(() => createClockedPseudonymiser(ring, fixedClock(TEST_NOW))).toThrow(/no card key is active yet at 2026-03-10T03:00:00.000Z/);
  });
});
