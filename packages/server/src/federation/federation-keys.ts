/**
 * The installation's federation signing key (Ed25519), kept, sealed and rotated by the same module
 * as the audit key (audit/server-key.ts, purpose `federation`), and the JWS compact messages it
 * signs: `alg` EdDSA, `kid` = `<administration>/<key id>` (DESIGN §8).
 */
import { federationKid, type FederationMessage } from '@sealwatch/core';
import { verifyServerSignature, type ServerKey, type ServerKeyRing } from '../audit/server-key';
import type { FederationKey } from '../storage/federation-ports';

/** How long a rotated-out key stays published, so partners can still check messages it signed in flight. */
export const KEY_OVERLAP_MS = 7 * 86_400_000;

/** The keys a partner may check our messages with: the current one and those rotated out less than the overlap ago. */
export function publishedKeys(ring: ServerKeyRing, now: number): FederationKey[] {
  return ring.publicKeys
    .filter((k) => k.validUntil === null || Date.parse(k.validUntil) + KEY_OVERLAP_MS > now)
    .map((k) => ({ kid: k.keyId, kty: 'OKP', crv: 'Ed25519', x: k.publicJwk.x }));
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** The message as a JWS compact signed with `key`. */
export function signFederationMessage(key: ServerKey, administration: string, message: FederationMessage): string {
  const signingInput = `${b64({ alg: 'EdDSA', kid: federationKid(administration, key.keyId), typ: 'sealwatch-federation+jws' })}.${b64(message)}`;
  return `${signingInput}.${key.sign(signingInput)}`;
}

/** Checks an EdDSA signature over `signingInput` with a pinned key. */
export function verifyFederationSignature(key: FederationKey, signingInput: string, signature: Buffer): boolean {
  try {
    return verifyServerSignature({ x: key.x }, signingInput, signature.toString('base64url'));
  } catch {
    return false;
  }
}
