/**
 * Card numbers are never stored or logged in clear: each is replaced by HMAC-SHA256 under a secret key, so
 * the same card maps to the same pseudonym (trips can be linked for statistics) but cannot be reversed
 * without the key.
 */
import { createHmac } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, type CardHashKeySource, type SecretSource } from './config.js';

export type CardPseudonymiser = (cardId: string) => string;

export function createCardPseudonymiser(key: string | Uint8Array): CardPseudonymiser {
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return (cardId) => createHmac('sha256', keyBytes).update(cardId, 'utf8').digest('base64url');
}

/** Resolves the card key from where configuration says it is (inline locally, Secrets Manager on AWS). */
export function loadCardHashKey(source: CardHashKeySource, region: string): Promise<string> {
  return loadSecretKey(source, region, 'card hash key', 'BUSFLOW_CARD_HASH_KEY', 'CARD_HASH_KEY_SECRET_ARN');
}

/** Resolves a key of at least 32 characters: inline, or from Secrets Manager; throws a ConfigError naming what to set. */
export async function loadSecretKey(source: SecretSource, region: string, what: string, inlineVar: string, arnVar: string): Promise<string> {
  switch (source.kind) {
    case 'inline':
      return source.key;
    case 'secret': {
      const client = new SecretsManagerClient({ region });
      const out = await client.send(new GetSecretValueCommand({ SecretId: source.secretId }));
      if (!out.SecretString || out.SecretString.length < 32) throw new ConfigError(`${what} secret is empty or shorter than 32 characters`);
      return out.SecretString;
    }
    case 'none':
      throw new ConfigError(`no ${what}: set ${inlineVar} (local) or ${arnVar} (AWS)`);
  }
}
