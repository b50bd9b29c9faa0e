/**
 * Rotating the card-hash key in its Secrets Manager secret: a new key version that takes over at a chosen
 * instant, and the keys of retired versions deleted (see `shared/domain/privacy/card-key-ring.ts`). Run it to
 * rotate, and again later (`pruneOnly`) once a version has retired, so its key is gone for good.
 *
 * Secrets Manager keeps the value before a write as the version labelled AWSPREVIOUS; when keys were pruned that
 * label is taken off the old value, which still holds them, so the version becomes deprecated and nothing can ask
 * for it by label. Secrets Manager deletes such versions itself (see docs/privacy.md).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { GetSecretValueCommand, PutSecretValueCommand, UpdateSecretVersionStageCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CARD_LINK_WINDOW_MS, parseCardKeyRing, pruneCardKeyRing, rotateCardKeyRing, serialiseCardKeyRing } from '../../../shared/adapters/card-key-ring.js';

export interface CardKeyRotation {
  secretId: string;
  nowMs: number;
  /** When the new key takes over; undefined = only delete the keys of retired versions. */
  activeFromMs: number | undefined;
  linkWindowMs?: number;
}

export interface CardKeyRotationResult {
  /** Versions in the ring after the write, with when each took over. */
  versions: { version: number; activeFrom: string }[];
  deletedVersions: number[];
  written: boolean;
}

/** A new key: 36 random bytes, 48 base64url characters, as long as the generated one. */
function newCardKey(): string {
  return randomBytes(36).toString('base64url');
}

export async function rotateCardKeySecret(sm: SecretsManagerClient, rotation: CardKeyRotation, key: string = newCardKey()): Promise<CardKeyRotationResult> {
  const current = await sm.send(new GetSecretValueCommand({ SecretId: rotation.secretId }));
  if (!current.SecretString) throw new Error(`secret ${rotation.secretId} has no string value`);
  const ring = parseCardKeyRing(current.SecretString);
  const linkWindowMs = rotation.linkWindowMs ?? CARD_LINK_WINDOW_MS;
  const next =
    rotation.activeFromMs === undefined
      ? pruneCardKeyRing(ring, rotation.nowMs, linkWindowMs)
      : rotateCardKeyRing(ring, { key, activeFromMs: rotation.activeFromMs, nowMs: rotation.nowMs, linkWindowMs });
  const kept = new Set(next.map((v) => v.version));
  const deletedVersions = ring.map((v) => v.version).filter((v) => !kept.has(v));
  const versions = next.map((v) => ({ version: v.version, activeFrom: new Date(v.activeFromMs).toISOString() }));
  if (rotation.activeFromMs === undefined && deletedVersions.length === 0) return { versions, deletedVersions, written: false };

  await sm.send(new PutSecretValueCommand({ SecretId: rotation.secretId, SecretString: serialiseCardKeyRing(next), ClientRequestToken: randomUUID() }));
  if (deletedVersions.length > 0 && current.VersionId) {
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: rotation.secretId, VersionStage: 'AWSPREVIOUS', RemoveFromVersionId: current.VersionId }));
  }
  return { versions, deletedVersions, written: true };
}
