/** SQLite device keys: one row per key; secrets sealed by the service before they get here. */
import type { DeviceId } from '@sealwatch/core';
import type { DeviceKeyStore, StoredSecret } from '../device-key-ports';
import { toStoredDeviceKey } from '../device-key-rows';
import { toJson } from '../rows';
import type { Db, Row } from './sql';

export function sqliteDeviceKeyStore(db: Db): DeviceKeyStore {
  const list = db.prepare<[string], Row>('SELECT * FROM device_keys WHERE device = ? ORDER BY created_at, key_id');
  const upsert = db.prepare(`INSERT INTO device_keys
    (device, key_id, alg, jwk, secret, content_key, status, valid_from, valid_until, created_at, revoked_at, revoked_reason, changed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (device, key_id) DO UPDATE SET status = excluded.status, valid_until = excluded.valid_until,
      revoked_at = excluded.revoked_at, revoked_reason = excluded.revoked_reason, changed_at = excluded.changed_at`);
  const setCurrent = db.prepare('UPDATE devices SET key = ? WHERE id = ?');
  const secrets = db.prepare<[], Row>(`SELECT device, key_id, 'secret' AS kind, secret AS sealed FROM device_keys WHERE secret IS NOT NULL
    UNION ALL SELECT device, key_id, 'content_key', content_key FROM device_keys WHERE content_key IS NOT NULL ORDER BY 1, 2, 3`);
  const setSecret = {
    secret: db.prepare('UPDATE device_keys SET secret = ? WHERE device = ? AND key_id = ?'),
    content_key: db.prepare('UPDATE device_keys SET content_key = ? WHERE device = ? AND key_id = ?'),
  };
  const changed = db.prepare<[string], Row>('SELECT DISTINCT device FROM device_keys WHERE changed_at > ?');
  const stamp = () => new Date().toISOString();
  return {
    async list(device) {
      return list.all(device).map(toStoredDeviceKey);
    },
    async save(device, keys, current) {
      const at = stamp();
      db.transaction(() => {
        for (const k of keys) {
          upsert.run(
            device,
            k.keyId,
            k.alg,
            toJson(k.jwk),
            k.sealedSecret,
            k.sealedContentKey,
            k.status,
            k.validFrom,
            k.validUntil,
            k.createdAt,
            k.revokedAt,
            k.revokedReason,
            at,
          );
        }
        setCurrent.run(toJson(current), device);
      }).immediate();
    },
    async listSecrets() {
      return secrets.all().map((r) => ({
        device: r.device as DeviceId,
        keyId: r.key_id as string,
        kind: r.kind as StoredSecret['kind'],
        sealed: r.sealed as string,
      }));
    },
    async replaceSecrets(items) {
      db.transaction(() => {
        for (const i of items) setSecret[i.kind].run(i.sealed, i.device, i.keyId);
      }).immediate();
    },
    async changedSince(since) {
      const now = stamp();
      // The same 5 s overlap as PostgreSQL: dropping a device's cached keys twice costs nothing.
      const devices = since === null ? [] : changed.all(new Date(Date.parse(since) - 5000).toISOString()).map((r) => r.device as DeviceId);
      return { devices, now };
    },
  };
}
