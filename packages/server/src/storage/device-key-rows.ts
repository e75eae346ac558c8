/** Row mapper of device_keys, shared by both engines (PostgreSQL returns jsonb parsed, SQLite text). */
import type { DeviceId, Timestamp } from '@sealwatch/core';
import type { StoredDeviceKey } from './device-key-ports';

type Row = Record<string, unknown>;

export const toStoredDeviceKey = (r: Row): StoredDeviceKey => ({
  device: r.device as DeviceId,
  keyId: r.key_id as string,
  alg: r.alg as StoredDeviceKey['alg'],
  jwk: r.jwk == null ? null : ((typeof r.jwk === 'string' ? JSON.parse(r.jwk) : r.jwk) as StoredDeviceKey['jwk']),
  sealedSecret: (r.secret as string | null) ?? null,
  sealedContentKey: (r.content_key as string | null) ?? null,
  status: r.status as StoredDeviceKey['status'],
  validFrom: r.valid_from as Timestamp,
  validUntil: (r.valid_until as Timestamp | null) ?? null,
  createdAt: r.created_at as Timestamp,
  revokedAt: (r.revoked_at as Timestamp | null) ?? null,
  revokedReason: (r.revoked_reason as string | null) ?? null,
});
