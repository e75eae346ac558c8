/** Checks registered key material before it is stored: a key that cannot verify is refused now, not at the first message. */
import { createPublicKey } from 'node:crypto';
import { DomainError, type DeviceKey } from '@sealwatch/core';

export function checkDeviceKey(key: DeviceKey): void {
  try {
    // A256GCM takes exactly a 256-bit key (RFC 7518 §5.3).
    if (key.contentKey !== undefined && Buffer.from(key.contentKey, 'base64url').length !== 32)
      throw new Error('a content key must be 32 bytes (A256GCM)');
    if (key.alg === 'HS256') {
      const bytes = Buffer.from(key.secret, 'base64url');
      // RFC 7518 §3.2: the HMAC key must be at least as long as the hash output.
      if (bytes.length < 32) throw new Error('an HS256 secret must be at least 32 bytes (256 bits)');
      return;
    }
    const k = createPublicKey({ key: key.jwk as never, format: 'jwk' });
    const expected = key.alg === 'EdDSA' ? 'ed25519' : 'ec';
    if (k.asymmetricKeyType !== expected) throw new Error(`key type ${k.asymmetricKeyType} does not match ${key.alg}`);
  } catch (e) {
    throw new DomainError('invalid_device_key', `the ${key.alg} key cannot be used: ${(e as Error).message}`);
  }
}
