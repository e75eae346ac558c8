// Signature checks of native protocol v1, in plain JavaScript so that the verification worker
// threads load it without a TypeScript loader. Shared by the main thread and the workers.
import { createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';

/**
 * Builds the verification key of a registered device key: a KeyObject for EdDSA and ES256,
 * the secret bytes for HS256. Throws on malformed key material.
 * @param {{alg: string, jwk?: object, secret?: string}} key
 */
export function importVerifyKey(key) {
  if (key.alg === 'HS256') return Buffer.from(key.secret, 'base64url');
  return createPublicKey({ key: key.jwk, format: 'jwk' });
}

/**
 * Checks one JWS signature with the algorithm fixed by the registered key.
 * @param {string} alg 'EdDSA' | 'ES256' | 'HS256'
 * @param {import('node:crypto').KeyObject | Buffer} verifyKey from importVerifyKey
 * @param {string | Uint8Array} signingInput JWS: ASCII `base64url(header).base64url(payload)`; COSE: the Sig_structure or MAC_structure bytes
 * @param {Buffer} signature decoded signature bytes
 * @returns {boolean}
 */
export function verifySignature(alg, verifyKey, signingInput, signature) {
  const data = typeof signingInput === 'string' ? Buffer.from(signingInput, 'ascii') : Buffer.from(signingInput);
  switch (alg) {
    case 'EdDSA':
      return signature.length === 64 && verify(null, data, verifyKey, signature);
    case 'ES256':
      // JWS ES256 signatures are r||s (RFC 7518 §3.4), not DER.
      return signature.length === 64 && verify('sha256', data, { key: verifyKey, dsaEncoding: 'ieee-p1363' }, signature);
    case 'HS256': {
      const mac = createHmac('sha256', verifyKey).update(data).digest();
      return signature.length === mac.length && timingSafeEqual(mac, signature);
    }
    default:
      return false;
  }
}
