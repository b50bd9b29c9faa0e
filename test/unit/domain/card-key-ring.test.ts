/** Which key versions a tap is hashed under, when a version retires, and which taps are of one card. */
import { describe, expect, it } from 'vitest';
import {
  checkKeyRing,
  currentKeyVersion,
  groupByCard,
  linkingKeyVersions,
  pseudonymsOf,
  retiredKeyVersions,
  retirementMs,
  sameCard,
  stableCardToken,
  storedCardFields,
  type CardPseudonyms,
} from '../../../shared/domain/privacy/card-key-ring.js';
import { TEST_NOW } from '../../support/test-clock.js';

const DAY = 24 * 3600 * 1000;
const WINDOW = 60 * DAY;
const V2_FROM = TEST_NOW;
const V3_FROM = TEST_NOW + 30 * DAY;
/** Version 1 since forever, version 2 from the test day, version 3 thirty days later (rotations closer than the window). */
const ring = [
  { version: 1, activeFromMs: 0 },
  { version: 2, activeFromMs: V2_FROM },
  { version: 3, activeFromMs: V3_FROM },
];

describe('the current key version', () => {
  it('is the newest version already active', () => {
    expect(currentKeyVersion(ring, V2_FROM - 1).version).toBe(1);
    expect(currentKeyVersion(ring, V2_FROM).version).toBe(2);
    expect(currentKeyVersion(ring, V3_FROM + 1).version).toBe(3);
  });

  it('does not exist before the first version is active', () => {
    expect(() => currentKeyVersion([{ version: 1, activeFromMs: TEST_NOW }], TEST_NOW - 1)).toThrow(/no card key is active yet/);
  });

  it('comes from a ring whose versions increase in number and activation', () => {
    expect(() => checkKeyRing([])).toThrow(/no key/);
    expect(() => checkKeyRing([ring[1]!, ring[0]!])).toThrow(/must increase/);
    expect(() => checkKeyRing([ring[0]!, { version: 2, activeFromMs: 0 }])).toThrow(/must increase/);
  });
});

describe('retiring a version', () => {
  it('happens one link window after its successor took over; the newest never retires', () => {
    expect(retirementMs(ring, 1, WINDOW)).toBe(V2_FROM + WINDOW);
    expect(retirementMs(ring, 2, WINDOW)).toBe(V3_FROM + WINDOW);
    expect(retirementMs(ring, 3, WINDOW)).toBeUndefined();
  });

  it('a tap gets link hashes under every superseded version not yet retired', () => {
    expect(linkingKeyVersions(ring, V2_FROM - 1, WINDOW)).toEqual([]);
    expect(linkingKeyVersions(ring, V2_FROM, WINDOW)).toEqual([1]);
    expect(linkingKeyVersions(ring, V3_FROM, WINDOW)).toEqual([1, 2]);
    expect(linkingKeyVersions(ring, V2_FROM + WINDOW - 1, WINDOW)).toEqual([1, 2]);
    expect(linkingKeyVersions(ring, V2_FROM + WINDOW, WINDOW)).toEqual([2]);
    expect(linkingKeyVersions(ring, V3_FROM + WINDOW, WINDOW)).toEqual([]);
  });

  it('lists the versions whose keys may be deleted', () => {
    expect(retiredKeyVersions(ring, V2_FROM + WINDOW - 1, WINDOW)).toEqual([]);
    expect(retiredKeyVersions(ring, V2_FROM + WINDOW, WINDOW)).toEqual([1]);
    expect(retiredKeyVersions(ring, V3_FROM + WINDOW, WINDOW)).toEqual([1, 2]);
  });
});

/** What a tap of `card` at `atMs` would carry, with a readable stand-in for the HMAC. */
function tapOf(card: string, atMs: number): CardPseudonyms {
  const hash = (version: number) => `h${version}(${card})`;
  const current = currentKeyVersion(ring, atMs).version;
  return {
    cardHash: hash(current),
    cardKeyVersion: current,
    cardLinkHashes: Object.fromEntries(linkingKeyVersions(ring, atMs, WINDOW).map((v) => [v, hash(v)])),
  };
}

describe('linking taps of one card', () => {
  it('links a tap before a rotation to one after it, and not to another card', () => {
    const before = tapOf('card-A', V2_FROM - DAY);
    const after = tapOf('card-A', V2_FROM + 10 * DAY);
    expect(after.cardHash).not.toBe(before.cardHash);
    expect(sameCard(before, after)).toBe(true);
    expect(sameCard(after, before)).toBe(true);
    expect(sameCard(before, tapOf('card-B', V2_FROM + 10 * DAY))).toBe(false);
  });

  it('links every pair of taps within the link window, across two rotations closer than the window', () => {
    const step = 3 * DAY + 7 * 3600 * 1000;
    for (let a = V2_FROM - 20 * DAY; a < V3_FROM + 20 * DAY; a += step) {
      for (let b = a; b <= a + WINDOW; b += step) expect(sameCard(tapOf('card-A', a), tapOf('card-A', b)), `${a} → ${b}`).toBe(true);
    }
  });

  it('no longer links taps further apart than the window once the older key retired', () => {
    const old = tapOf('card-A', V2_FROM - DAY);
    expect(sameCard(old, tapOf('card-A', V2_FROM + WINDOW))).toBe(false);
  });

  it('groups taps by card through any shared version, keeping their order', () => {
    const taps = [
      { id: 'a1', ...tapOf('card-A', V2_FROM - DAY) },
      { id: 'b1', ...tapOf('card-B', V2_FROM - DAY) },
      { id: 'a2', ...tapOf('card-A', V2_FROM + DAY) },
      { id: 'a3', ...tapOf('card-A', V3_FROM + DAY) },
      { id: 'c1', ...tapOf('card-C', V3_FROM + DAY) },
      { id: 'b2', ...tapOf('card-B', V3_FROM + 2 * DAY) },
    ];
    expect(groupByCard(taps).map((group) => group.map((t) => t.id))).toEqual([['a1', 'a2', 'a3'], ['b1', 'b2'], ['c1']]);
    expect(groupByCard([])).toEqual([]);
  });
});

describe('what a tap record stores of its card', () => {
  it('is the bare hash for the first key, as before rotation existed', () => {
    expect(storedCardFields('h1(card)')).toEqual({ cardHash: 'h1(card)' });
    expect(storedCardFields({ cardHash: 'h1(card)', cardKeyVersion: 1, cardLinkHashes: {} })).toEqual({ cardHash: 'h1(card)' });
  });

  it('names a later version and keeps the link hashes', () => {
    expect(storedCardFields(tapOf('card-A', V3_FROM))).toEqual({
      cardHash: 'h3(card-A)',
      cardKeyVersion: 3,
      cardLinkHashes: { 1: 'h1(card-A)', 2: 'h2(card-A)' },
    });
    expect(storedCardFields(tapOf('card-A', V3_FROM + WINDOW))).toEqual({ cardHash: 'h3(card-A)', cardKeyVersion: 3 });
  });
});

describe('a stored record read back as pseudonyms', () => {
  it('is of version 1 without link hashes when it stores the bare hash, and round-trips what it stores', () => {
    expect(pseudonymsOf({ cardHash: 'h1(card)' })).toEqual({ cardHash: 'h1(card)', cardKeyVersion: 1, cardLinkHashes: {} });
    const tap = tapOf('card-A', V3_FROM);
    expect(pseudonymsOf(storedCardFields(tap))).toEqual(tap);
  });
});

describe("a card's stable token", () => {
  const token = (atMs: number, card = 'card-A') => stableCardToken(storedCardFields(tapOf(card, atMs)));

  it('is the hash under the oldest version the tap carries', () => {
    expect(token(V2_FROM - DAY)).toBe('h1(card-A)');
    expect(token(V2_FROM)).toBe('h1(card-A)');
    expect(token(V3_FROM)).toBe('h1(card-A)');
    expect(token(V2_FROM + WINDOW)).toBe('h2(card-A)');
    expect(token(V3_FROM + WINDOW)).toBe('h3(card-A)');
    expect(stableCardToken({ cardHash: 'h1(card)' })).toBe('h1(card)');
  });

  it('stays one for a card from before the first rotation until version 1 retires, and differs between cards', () => {
    const step = 2 * DAY + 5 * 3600 * 1000;
    for (let t = V2_FROM - 20 * DAY; t < V2_FROM + WINDOW; t += step) expect(token(t), `${t}`).toBe(token(V2_FROM - 20 * DAY));
    expect(token(V2_FROM + DAY, 'card-B')).not.toBe(token(V2_FROM + DAY));
  });

  it('changes when the oldest version it used retires: one link window after the rotation', () => {
    expect(token(V2_FROM + WINDOW - 1)).not.toBe(token(V2_FROM + WINDOW));
  });
});
