/**
 * Rotating the card-hash key without losing the link between a card's taps.
 *
 * The key ring holds numbered key versions, each active from an instant; the newest active one is *current*. A tap
 * is hashed under the current version and, as long as an older version may still be needed to link it to an
 * earlier tap of the same card, under that older version too (its *link hashes*). An older version is needed
 * until the link window (the longest time a record with a card hash is kept) has passed since the next version
 * took over: by then no stored tap hashed only under it can be linked to a new one, so it is *retired* — no hash
 * under it is made again, and its key material is deleted from the ring.
 *
 * Why the link holds: tap A is hashed at tA under version a (current then); tap B at tB, with tB − tA within the
 * window. If a is still current at tB, B has the same hash. Otherwise a's successor took over after tA, so a
 * retires after tA + window ≥ tB: B carries a link hash under a. Either way A and B share a (version, hash).
 */

/** A key version, without its key material (which only adapters hold). */
export interface CardKeyVersion {
  version: number;
  /** From this instant on, new taps are hashed under this version (epoch ms, UTC). */
  activeFromMs: number;
}

/** What a tap record keeps of its card: the hash under the current version and the link hashes under older ones. */
export interface CardPseudonyms {
  cardHash: string;
  cardKeyVersion: number;
  /** Hashes under the older, not yet retired versions, by version number. */
  cardLinkHashes: Readonly<Record<string, string>>;
}

/** Turns a card number into what a tap record keeps: a bare hash (one key) or the pseudonyms of a key ring. */
export type CardPseudonymiser = (cardId: string) => string | CardPseudonyms;

/** The card fields as a record stores them: `cardKeyVersion` absent means 1, `cardLinkHashes` absent means none. */
export interface StoredCardFields {
  cardHash: string;
  cardKeyVersion?: number;
  cardLinkHashes?: Record<string, string>;
}

/**
 * The card fields a tap record stores. Version 1 without link hashes is stored as `cardHash` alone, as before
 * rotation existed: a record without `cardKeyVersion` is of version 1.
 */
export function storedCardFields(p: string | CardPseudonyms): StoredCardFields {
  if (typeof p === 'string') return { cardHash: p };
  const links = Object.keys(p.cardLinkHashes).length > 0 ? { cardLinkHashes: { ...p.cardLinkHashes } } : {};
  return { cardHash: p.cardHash, ...(p.cardKeyVersion === 1 ? {} : { cardKeyVersion: p.cardKeyVersion }), ...links };
}

/** A stored record's card fields read back as pseudonyms (what `sameCard` and `groupByCard` compare). */
export function pseudonymsOf(stored: StoredCardFields): CardPseudonyms {
  return { cardHash: stored.cardHash, cardKeyVersion: stored.cardKeyVersion ?? 1, cardLinkHashes: stored.cardLinkHashes ?? {} };
}

/**
 * One token for a card that outlives a rotation: the hash under the oldest version the tap carries (a link hash
 * when it has any, else `cardHash`). Taps before a rotation have only the old version's hash, and taps after it
 * carry that hash as a link until the old version retires, so a card keeps its token for one link window past
 * each rotation; from the retirement on, its token is the hash under the next version. A function of the tap
 * alone: every export that holds the tap gives it the same token.
 */
export function stableCardToken(stored: StoredCardFields): string {
  const p = pseudonymsOf(stored);
  const oldest = Math.min(p.cardKeyVersion, ...Object.keys(p.cardLinkHashes).map(Number));
  return oldest === p.cardKeyVersion ? p.cardHash : p.cardLinkHashes[String(oldest)]!;
}

export class CardKeyRingError extends Error {
  override name = 'CardKeyRingError';
}

/** Checks a ring: at least one version, numbers and activation instants strictly increasing together. */
export function checkKeyRing(ring: readonly CardKeyVersion[]): void {
  if (ring.length === 0) throw new CardKeyRingError('the card key ring has no key');
  for (let i = 1; i < ring.length; i++) {
    const [before, after] = [ring[i - 1]!, ring[i]!];
    if (after.version <= before.version || after.activeFromMs <= before.activeFromMs) {
      throw new CardKeyRingError(`card key versions must increase in number and activation: ${before.version} then ${after.version}`);
    }
  }
}

/** The version new taps are hashed under at `atMs`: the newest one already active. */
export function currentKeyVersion(ring: readonly CardKeyVersion[], atMs: number): CardKeyVersion {
  const active = ring.filter((v) => v.activeFromMs <= atMs);
  const current = active[active.length - 1];
  if (!current) throw new CardKeyRingError(`no card key is active yet at ${new Date(atMs).toISOString()}`);
  return current;
}

/** When a version retires: its successor's activation plus the link window; undefined while it has no successor. */
export function retirementMs(ring: readonly CardKeyVersion[], version: number, linkWindowMs: number): number | undefined {
  const successor = ring.find((v) => v.version > version);
  return successor ? successor.activeFromMs + linkWindowMs : undefined;
}

/** The older versions a tap hashed at `atMs` also gets link hashes under: superseded, but not retired yet. */
export function linkingKeyVersions(ring: readonly CardKeyVersion[], atMs: number, linkWindowMs: number): number[] {
  const current = currentKeyVersion(ring, atMs);
  return ring.filter((v) => v.version < current.version && (retirementMs(ring, v.version, linkWindowMs) ?? Infinity) > atMs).map((v) => v.version);
}

/** The versions whose keys may be deleted at `atMs`: no hash under them is ever made again. */
export function retiredKeyVersions(ring: readonly CardKeyVersion[], atMs: number, linkWindowMs: number): number[] {
  return ring.filter((v) => (retirementMs(ring, v.version, linkWindowMs) ?? Infinity) <= atMs).map((v) => v.version);
}

/** Whether two taps are of the same card: they agree on the hash under some version both carry. */
export function sameCard(a: CardPseudonyms, b: CardPseudonyms): boolean {
  const ofB = hashesByVersion(b);
  return [...hashesByVersion(a)].some(([version, hash]) => ofB.get(version) === hash);
}

/** Taps grouped by card, linking through any shared (version, hash); groups and their taps keep the input order. */
export function groupByCard<T extends CardPseudonyms>(taps: readonly T[]): T[][] {
  const parent = taps.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const firstWith = new Map<string, number>();
  taps.forEach((tap, i) => {
    for (const [version, hash] of hashesByVersion(tap)) {
      const seen = firstWith.get(`${version}:${hash}`);
      if (seen === undefined) firstWith.set(`${version}:${hash}`, i);
      else parent[root(i)] = root(seen);
    }
  });
  const groups = new Map<number, T[]>();
  taps.forEach((tap, i) => {
    const r = root(i);
    groups.set(r, [...(groups.get(r) ?? []), tap]);
  });
  return [...groups.values()];
}

function hashesByVersion(p: CardPseudonyms): Map<number, string> {
  return new Map<number, string>([...Object.entries(p.cardLinkHashes).map(([v, h]) => [Number(v), h] as const), [p.cardKeyVersion, p.cardHash]]);
}
