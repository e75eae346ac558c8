/**
 * Secrets at rest (device HS256 secrets): AES-256-GCM under a master key, in a versioned text
 * format that names the master key, so the master key can be rotated without guessing:
 *
 *   sw1.<master key id>.<iv>.<ciphertext>.<tag>      (parts base64url; iv 12 bytes, tag 16 bytes)
 *
 * The master key id is the first 12 base64url characters of SHA-256("sealwatch-master-key" ‖ key):
 * it identifies a key without revealing it. Each secret is bound to where it is stored by the
 * additional authenticated data (e.g. `device-key:<device>:<keyId>`), so a ciphertext copied to
 * another row does not open.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'sw1';

/** The id of a 32-byte master key, as it appears in sealed values. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('sealwatch-master-key').update(key).digest('base64url').slice(0, 12);
}

export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  /** The id of the key new secrets are sealed with. */
  readonly currentKeyId: string;

  /** `current` seals and opens; `previous` keys only open (during a master key rotation). */
  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const k of [current, ...previous]) {
      if (k.length !== 32) throw new Error('a master key is 32 bytes');
      this.keys.set(masterKeyId(k), k);
    }
    this.currentKeyId = masterKeyId(current);
  }

  /** Encrypts `plaintext` under the current master key, bound to `context`. */
  seal(plaintext: Buffer, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [VERSION, this.currentKeyId, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(
      '.',
    );
  }

  /** Decrypts a sealed value. Throws if it is malformed, sealed under an unknown master key, altered, or sealed for another context. */
  open(sealed: string, context: string): Buffer {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new Error('not a sealed secret (sw1.…)');
    const key = this.keys.get(parts[1]);
    if (!key)
      throw new Error(
        `secret sealed under master key ${parts[1]}, which is not configured (SEALWATCH_MASTER_KEY, SEALWATCH_MASTER_KEY_PREVIOUS)`,
      );
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[2], 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(parts[4], 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(parts[3], 'base64url')), decipher.final()]);
  }

  /** True when `sealed` is in the current format under the current master key (nothing to re-encrypt). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`${VERSION}.${this.currentKeyId}.`);
  }
}
