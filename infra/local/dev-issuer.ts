/**
 * The local token issuer: the stand-in for Cognito. It holds an ES256 key pair (kept in `.busflow/`, made on
 * first use), publishes its JWKS, signs tokens with `role` and `operatorId` claims (`npm run token`), and
 * verifies them for the local HTTP server exactly as API Gateway's JWT authorizer would (issuer, audience,
 * expiry, signature against the JWKS).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JSONWebKeySet, type JWK, type JWTPayload } from 'jose';
import type { Role } from '../../shared/adapters/http/principal.js';

const LOCAL_ISSUER = 'https://busflow.local/issuer';
const LOCAL_AUDIENCE = 'busflow-api';
const ALG = 'ES256';

export interface DevIssuer {
  jwks: JSONWebKeySet;
  sign(claims: { role: Role; operatorId?: string; sub?: string }, ttlSeconds?: number): Promise<string>;
  /** The verified claims, or undefined for a missing, expired, forged or foreign token. */
  verify(token: string): Promise<JWTPayload | undefined>;
}

interface StoredKeys {
  privateJwk: JWK;
  publicJwk: JWK;
}

/** An issuer with a fresh key pair (tests), or the one kept in `dir` (the local stack and `npm run token`). */
export async function devIssuer(dir?: string): Promise<DevIssuer> {
  const keys = dir ? await loadOrCreate(dir) : await createKeys();
  const privateKey = await importJWK(keys.privateJwk, ALG);
  const jwks: JSONWebKeySet = { keys: [{ ...keys.publicJwk, alg: ALG, use: 'sig', kid: keys.publicJwk.kid! }] };
  const keySet = createLocalJWKSet(jwks);
  return {
    jwks,
    sign: (claims, ttlSeconds = 12 * 3600) =>
      new SignJWT({ role: claims.role, ...(claims.operatorId ? { operatorId: claims.operatorId } : {}) })
        .setProtectedHeader({ alg: ALG, kid: keys.publicJwk.kid! })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setSubject(claims.sub ?? `${claims.role}:${claims.operatorId ?? 'centre'}`)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, keySet, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE });
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}

async function createKeys(): Promise<StoredKeys> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  return { privateJwk: { ...(await exportJWK(privateKey)), kid }, publicJwk: { ...(await exportJWK(publicKey)), kid } };
}

async function loadOrCreate(dir: string): Promise<StoredKeys> {
  const file = join(dir, 'dev-issuer.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StoredKeys;
  } catch {
    const keys = await createKeys();
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
    return keys;
  }
}
