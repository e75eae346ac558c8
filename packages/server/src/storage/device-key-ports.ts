/**
 * The storage port of device keys: each native device holds a list of keys with a
 * lifecycle (active → retiring → revoked). HS256 secrets are stored sealed (keys/secret-box.ts),
 * never in clear; public keys as their JWK.
 */
import type { DeviceId, DeviceKey, SigningAlg, Timestamp } from '@sealwatch/core';

export type DeviceKeyStatus = 'active' | 'retiring' | 'revoked';

export interface StoredDeviceKey {
  device: DeviceId;
  /** Unique within the device; chosen by the server (`k1` for a key migrated from before the list). */
  keyId: string;
  alg: SigningAlg;
  /** The public JWK of an EdDSA or ES256 key; null for HS256. */
  jwk: Exclude<DeviceKey, { alg: 'HS256' }>['jwk'] | null;
  /**
   * The HS256 secret sealed with the master key (`sw1.…`); null for public keys. A value without
   * the `sw1.` prefix (`plain.<secret>`) is a secret migrated from the devices table that the
   * server seals on its next start.
   */
  sealedSecret: string | null;
  /** The A256GCM content key of encrypted messages (JWE dir, COSE_Encrypt0), sealed like a secret; null when none. */
  sealedContentKey: string | null;
  status: DeviceKeyStatus;
  validFrom: Timestamp;
  /** A retiring key is accepted until then (server clock); null: no end. */
  validUntil: Timestamp | null;
  createdAt: Timestamp;
  revokedAt: Timestamp | null;
  revokedReason: string | null;
}

/** One sealed value of a key: its HS256 secret or its content key. */
export interface StoredSecret {
  device: DeviceId;
  keyId: string;
  kind: 'secret' | 'content_key';
  sealed: string;
}

export interface DeviceKeyStore {
  /** The device's keys, oldest first (createdAt, then keyId). */
  list(device: DeviceId): Promise<StoredDeviceKey[]>;
  /**
   * Inserts or replaces (by device and keyId) these keys of one device in one transaction, and
   * sets the device's `key` column to `current` (the public part of its current key).
   */
  save(device: DeviceId, keys: StoredDeviceKey[], current: DeviceKey | { alg: 'HS256' } | null): Promise<void>;
  /** Every stored secret, HS256 and content keys (for sealing migrated secrets and master key rotation). */
  listSecrets(): Promise<StoredSecret[]>;
  /** Replaces stored secrets in one transaction. */
  replaceSecrets(items: StoredSecret[]): Promise<void>;
  /**
   * Devices whose keys changed after `since` (the store's own clock, as returned by a previous
   * call; null: none yet), and the store's time now. Other processes poll this to drop cached keys.
   */
  changedSince(since: string | null): Promise<{ devices: DeviceId[]; now: string }>;
}
