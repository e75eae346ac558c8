/**
 * Secret settings sealed with the master key (secret-box.ts): the audit signing key, the
 * federation signing key, the installation's ECDH-ES encryption keys and the demo seed live in the settings table, and are
 * stored as `sw1.…`, bound to their setting's name. A value stored in clear by an earlier version
 * is sealed the first time it is read, and by `resealSettings` at start (idempotent).
 */
import type { KeyValueStore } from '../storage/ports';
import type { SecretBox } from './secret-box';

/** The settings that hold secrets: every one is sealed at rest. */
export const SECRET_SETTINGS = [
  'audit_signing_key_pkcs8',
  'federation_signing_key_pkcs8',
  'ingest_encryption_key_p256_pkcs8',
  'ingest_encryption_key_x25519_pkcs8',
  'demo_seed',
] as const;
export type SecretSetting = (typeof SECRET_SETTINGS)[number];

/** A stored value in the sealed format (else it is clear text from before sealing). */
export const isSealedValue = (v: string) => v.startsWith('sw1.');
const context = (name: string) => `setting:${name}`;

export class SealedSettings {
  constructor(
    private readonly settings: KeyValueStore,
    private readonly box: SecretBox,
  ) {}

  /** The clear value of a secret setting, or null. A value found in clear is sealed now. */
  async get(name: SecretSetting): Promise<string | null> {
    const stored = await this.settings.get(name);
    if (stored === null) return null;
    if (isSealedValue(stored)) return this.open(name, stored);
    await this.settings.set(name, this.seal(name, stored));
    return stored;
  }

  /** Stores a secret setting, sealed. */
  async set(name: SecretSetting, value: string): Promise<void> {
    await this.settings.set(name, this.seal(name, value));
  }

  /** The stored value, or `create()` stored (sealed) when there is none; first writer wins across a cluster. */
  async getOrCreate(name: SecretSetting, create: () => string): Promise<string> {
    const existing = await this.get(name);
    if (existing !== null) return existing;
    const winner = await this.settings.setIfAbsent(name, this.seal(name, create()));
    return isSealedValue(winner) ? this.open(name, winner) : winner;
  }

  /** Seals every secret setting stored in clear or under an older master key; returns how many. */
  async reseal(): Promise<number> {
    let n = 0;
    for (const name of SECRET_SETTINGS) {
      const stored = await this.settings.get(name);
      if (stored === null || this.box.isCurrent(stored)) continue;
      await this.settings.set(name, this.seal(name, isSealedValue(stored) ? this.open(name, stored) : stored));
      n += 1;
    }
    return n;
  }

  private seal(name: string, value: string): string {
    return this.box.seal(Buffer.from(value, 'utf8'), context(name));
  }

  private open(name: string, sealed: string): string {
    return this.box.open(sealed, context(name)).toString('utf8');
  }
}
