/**
 * Device keys and message signing for native protocol v1 (DESIGN §5): a message is a JWS compact
 * serialisation whose header is {"alg":…,"kid":<device id>}. EdDSA is Ed25519 (RFC 8037), ES256
 * is ECDSA P-256 with the signature as r||s (RFC 7518 §3.4), HS256 is HMAC-SHA256.
 */
import {
  createECDH,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import type { DeviceKey, SigningAlg } from '@sealwatch/core';

/** A device's signing key and the public part to register (the API's `key` object, DESIGN §6). */
export interface DeviceSigningKey {
  alg: SigningAlg;
  /** The Ed25519 or P-256 private key, or for HS256 the shared secret as a secret KeyObject. */
  privateKey: KeyObject;
  registration: DeviceKey;
}

// DER of a PKCS#8 Ed25519 private key (RFC 8410) up to the 32-byte seed.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// Order n of the P-256 group: a private scalar must lie in [1, n - 1].
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** A fresh random key for a device. */
export function generateDeviceKey(alg: SigningAlg): DeviceSigningKey {
  switch (alg) {
    case 'EdDSA':
      return fromPrivate(alg, generateKeyPairSync('ed25519').privateKey);
    case 'ES256':
      return fromPrivate(alg, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    case 'HS256':
      return fromSecret(randomBytes(32));
  }
}

/**
 * A key derived from a seed and the device id, the same on every run, so a demo or simulated
 * fleet keeps working against keys registered by an earlier run. 32 bytes come from
 * HMAC-SHA256(seed, deviceId): the Ed25519 private seed, the HS256 secret, or the P-256 private
 * scalar (rehashed with a counter in the ~2^-32 case that it is not below the group order).
 * Anyone who knows the seed can sign for the device: for demos and tests only.
 */
export function deriveDemoKey(seed: string, deviceId: string, alg: SigningAlg): DeviceSigningKey {
  const bytes = createHmac('sha256', seed).update(deviceId).digest();
  switch (alg) {
    case 'EdDSA':
      return fromPrivate(alg, createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, bytes]), format: 'der', type: 'pkcs8' }));
    case 'HS256':
      return fromSecret(bytes);
    case 'ES256': {
      let d = bytes;
      for (let i = 1; !isP256Scalar(d); i++) d = createHmac('sha256', seed).update(`${deviceId}\u0000${i}`).digest();
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(d);
      const point = ecdh.getPublicKey(); // 0x04 || x || y
      const jwk = { kty: 'EC', crv: 'P-256', d: b64url(d), x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) };
      return fromPrivate(alg, createPrivateKey({ key: jwk, format: 'jwk' }));
    }
  }
}

/**
 * Signs a payload as a JWS compact serialisation with `kid` = payload.device. The payload is
 * serialised once with JSON.stringify, so the same object always gives the same bytes (a resent
 * message is then a duplicate, not a seq_conflict).
 */
export function signMessage(key: DeviceSigningKey, payload: { device: string } & Record<string, unknown>): string {
  if (typeof payload.device !== 'string' || payload.device.length === 0) throw new Error('the payload needs a device id');
  const input = `${b64url(JSON.stringify({ alg: key.alg, kid: payload.device }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(signInput(key, input))}`;
}

function signInput(key: DeviceSigningKey, input: string): Buffer {
  const data = Buffer.from(input, 'ascii');
  switch (key.alg) {
    case 'EdDSA':
      return sign(null, data, key.privateKey);
    case 'ES256':
      return sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    case 'HS256':
      return createHmac('sha256', key.privateKey).update(data).digest();
  }
}

function fromPrivate(alg: 'EdDSA' | 'ES256', privateKey: KeyObject): DeviceSigningKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const registration: DeviceKey =
    alg === 'EdDSA'
      ? { alg, jwk: { kty: 'OKP', crv: 'Ed25519', x: String(jwk.x) } }
      : { alg, jwk: { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) } };
  return { alg, privateKey, registration };
}

function fromSecret(secret: Buffer): DeviceSigningKey {
  return { alg: 'HS256', privateKey: createSecretKey(secret), registration: { alg: 'HS256', secret: b64url(secret) } };
}

function isP256Scalar(d: Buffer): boolean {
  const n = BigInt(`0x${d.toString('hex')}`);
  return n > 0n && n < P256_ORDER;
}
