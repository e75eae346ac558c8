/**
 * The installation's encryption keys for ECDH-ES payload encryption (jwe.ts): one P-256 and one
 * X25519 key pair, created on first start and kept in settings (as the audit signing key is), so
 * every process of a cluster uses the same pair. Their public halves are published as a JWK Set
 * at GET /api/v1/ingest/encryption-key; each `kid` is the key's RFC 7638 thumbprint. The private
 * keys are PKCS#8 sealed with the master key (keys/sealed-settings.ts).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { SealedSettings } from '../keys/sealed-settings';
import type { AgreementKeys } from './jwe';

export type EncryptionJwk =
  | { kty: 'EC'; crv: 'P-256'; x: string; y: string; use: 'enc'; alg: 'ECDH-ES'; kid: string }
  | { kty: 'OKP'; crv: 'X25519'; x: string; use: 'enc'; alg: 'ECDH-ES'; kid: string };

export interface ServerEncryptionKeys {
  agreement: AgreementKeys;
  /** The public keys as a JWK Set (RFC 7517 §5). */
  jwks: { keys: EncryptionJwk[] };
}

const SETTINGS = { 'P-256': 'ingest_encryption_key_p256_pkcs8', X25519: 'ingest_encryption_key_x25519_pkcs8' } as const;

/** RFC 7638 thumbprint: the required members in lexicographic order, no whitespace, SHA-256. */
export function encryptionKeyThumbprint(jwk: { kty: string; crv: string; x: string; y?: string }): string {
  const canonical =
    jwk.kty === 'EC'
      ? `{"crv":"${jwk.crv}","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`
      : `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}"}`;
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}

async function loadOne(settings: SealedSettings, curve: 'P-256' | 'X25519'): Promise<KeyObject> {
  // Another process of a cluster may store its key first: then that one is used.
  const stored = await settings.getOrCreate(SETTINGS[curve], () => {
    const { privateKey } = curve === 'P-256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('x25519');
    return privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  });
  return createPrivateKey({ key: Buffer.from(stored, 'base64'), format: 'der', type: 'pkcs8' });
}

/** Loads the stored key pairs, or creates and stores them. */
export async function loadServerEncryptionKeys(settings: SealedSettings): Promise<ServerEncryptionKeys> {
  const p256 = await loadOne(settings, 'P-256');
  const x25519 = await loadOne(settings, 'X25519');
  const ec = createPublicKey(p256).export({ format: 'jwk' }) as { x: string; y: string };
  const okp = createPublicKey(x25519).export({ format: 'jwk' }) as { x: string };
  const ecJwk = { kty: 'EC' as const, crv: 'P-256' as const, x: ec.x, y: ec.y };
  const okpJwk = { kty: 'OKP' as const, crv: 'X25519' as const, x: okp.x };
  const ecKid = encryptionKeyThumbprint(ecJwk);
  const okpKid = encryptionKeyThumbprint(okpJwk);
  return {
    agreement: { 'P-256': { kid: ecKid, privateKey: p256 }, X25519: { kid: okpKid, privateKey: x25519 } },
    jwks: {
      keys: [
        { ...ecJwk, use: 'enc', alg: 'ECDH-ES', kid: ecKid },
        { ...okpJwk, use: 'enc', alg: 'ECDH-ES', kid: okpKid },
      ],
    },
  };
}
