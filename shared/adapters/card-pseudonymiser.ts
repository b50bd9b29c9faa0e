/**
 * Card numbers are never stored or logged in clear: each is replaced by HMAC-SHA256 under a secret key, so
 * the same card maps to the same pseudonym (trips can be linked for statistics) but cannot be reversed
 * without the key.
 */
import { createHmac } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, type CardHashKeySource } from './config.js';

export type CardPseudonymiser = (cardId: string) => string;

export function createCardPseudonymiser(key: string | Uint8Array): CardPseudonymiser {
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return (cardId) => createHmac('sha256', keyBytes).update(cardId, 'utf8').digest('base64url');
}

/** Resolves the key from where configuration says it is (inline locally, Secrets Manager on AWS). */
export async function loadCardHashKey(source: CardHashKeySource, region: string): Promise<string> {
  switch (source.kind) {
    case 'inline':
      return source.key;
    case 'secret': {
      const client = new SecretsManagerClient({ region });
      const out = await client.send(new GetSecretValueCommand({ SecretId: source.secretId }));
      if (!out.SecretString || out.SecretString.length < 32) throw new ConfigError('card hash key secret is empty or shorter than 32 characters');
      return out.SecretString;
    }
    case 'none':
      throw new ConfigError('no card hash key: set BUSFLOW_CARD_HASH_KEY (local) or CARD_HASH_KEY_SECRET_ARN (AWS)');
  }
}
