/**
 * The server's Ed25519 signing keys, one per purpose: `audit` signs audit checkpoints, so that a
 * third party holding the public key can check an evidence export offline; `federation` signs the
 * messages sent to partner administrations (docs/federation.md). Each is created on first use and
 * kept in settings, sealed with the master key (keys/sealed-settings.ts); `sealwatch audit
 * rotate-key` / `sealwatch federation rotate-key` replace one and keep the old public keys with
 * their validity, so what they signed still verifies; the public JWK and thumbprint (RFC 7638) are
 * what an administration publishes.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { SealedSettings } from '../keys/sealed-settings';
import type { KeyValueStore } from '../storage/ports';

/** What a key signs: audit checkpoints, or federation messages. One key (and one history) each. */
export type SigningKeyPurpose = 'audit' | 'federation';

const settingsOf = (purpose: SigningKeyPurpose) => ({
  secret: `${purpose}_signing_key_pkcs8` as const,
  /** When the current key started signing (null: since the installation). Not secret. */
  since: `${purpose}_signing_key_since`,
  /** The earlier keys' public parts with their validity, JSON, oldest first. Not secret. */
  previous: `${purpose}_signing_keys_previous`,
});

/** A server signing key's public part and when it signed (validUntil null: the current key). */
export interface PublicServerKey {
  keyId: string;
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
  validFrom: string | null;
  validUntil: string | null;
}

/** The current key, and every earlier key's public part. */
export interface ServerKeyRing {
  current: ServerKey;
  /** Current first, then earlier keys newest first. */
  publicKeys: PublicServerKey[];
}

/** Loads the current key (creating it on first use) with the earlier keys' public parts. */
export async function loadServerKeyRing(
  settings: KeyValueStore,
  secrets: SealedSettings,
  purpose: SigningKeyPurpose = 'audit',
): Promise<ServerKeyRing> {
  const names = settingsOf(purpose);
  const current = await loadServerKey(secrets, purpose);
  const previous = JSON.parse((await settings.get(names.previous)) ?? '[]') as PublicServerKey[];
  const since = await settings.get(names.since);
  return {
    current,
    publicKeys: [{ keyId: current.keyId, publicJwk: current.publicJwk, validFrom: since, validUntil: null }, ...[...previous].reverse()],
  };
}

/**
 * Replaces the signing key with a new Ed25519 key. The old public key is kept with its validity
 * (`validUntil` = now), so `audit verify` and exports still check the checkpoints it signed.
 * Running processes pick the new key up at their next checkpoint.
 */
export async function rotateServerKey(
  settings: KeyValueStore,
  secrets: SealedSettings,
  now: string,
  purpose: SigningKeyPurpose = 'audit',
): Promise<ServerKeyRing> {
  const names = settingsOf(purpose);
  const ring = await loadServerKeyRing(settings, secrets, purpose);
  const old = { ...ring.publicKeys[0], validUntil: now };
  const previous = JSON.parse((await settings.get(names.previous)) ?? '[]') as PublicServerKey[];
  await settings.set(names.previous, JSON.stringify([...previous, old]));
  await secrets.set(names.secret, generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'));
  await settings.set(names.since, now);
  return loadServerKeyRing(settings, secrets, purpose);
}

export interface ServerKey {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key. */
  keyId: string;
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
  /** base64url Ed25519 signature of the UTF-8 message. */
  sign(message: string): string;
}

/** The RFC 7638 thumbprint of an Ed25519 JWK: members in lexicographic order, no whitespace. */
export function jwkThumbprint(jwk: { crv: string; kty: string; x: string }): string {
  return createHash('sha256').update(`{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}"}`, 'utf8').digest('base64url');
}

function fromPrivate(privateKey: KeyObject): ServerKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  const publicJwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: jwk.x };
  return {
    keyId: jwkThumbprint(publicJwk),
    publicJwk,
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64url'),
  };
}

/** Loads the stored key, or creates and stores one. */
export async function loadServerKey(settings: SealedSettings, purpose: SigningKeyPurpose = 'audit'): Promise<ServerKey> {
  // Another process of a cluster may store its key first: then that one is used.
  const stored = await settings.getOrCreate(settingsOf(purpose).secret, () =>
    generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  );
  return fromPrivate(createPrivateKey({ key: Buffer.from(stored, 'base64'), format: 'der', type: 'pkcs8' }));
}

/** Checks a signature made by `ServerKey.sign` with the public JWK alone. */
export function verifyServerSignature(publicJwk: { x: string }, message: string, signature: string): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x }, format: 'jwk' });
  return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64url'));
}
