/** PostgreSQL device keys: one row per key; `changed_at` (the database clock) lets other processes drop cached keys. */
import type { DeviceId } from '@sealwatch/core';
import type { Pool } from 'pg';
import type { DeviceKeyStore, StoredSecret } from '../device-key-ports';
import { toJson } from '../rows';
import { toStoredDeviceKey } from '../device-key-rows';
import { inTransaction } from './sql';

export function postgresDeviceKeyStore(pool: Pool): DeviceKeyStore {
  return {
    async list(device) {
      const { rows } = await pool.query('SELECT * FROM device_keys WHERE device = $1 ORDER BY created_at, key_id', [device]);
      return rows.map(toStoredDeviceKey);
    },
    async save(device, keys, current) {
      await inTransaction(pool, async (client) => {
        // The device row lock serialises two concurrent changes of one device's keys.
        await client.query('SELECT 1 FROM devices WHERE id = $1 FOR UPDATE', [device]);
        for (const k of keys) {
          await client.query(
            `INSERT INTO device_keys
            (device, key_id, alg, jwk, secret, content_key, status, valid_from, valid_until, created_at, revoked_at, revoked_reason, changed_at)
            VALUES ($1, $2, $3, $4::jsonb, $5, $12, $6, $7, $8, $9, $10, $11, clock_timestamp())
            ON CONFLICT (device, key_id) DO UPDATE SET status = excluded.status, valid_until = excluded.valid_until,
              revoked_at = excluded.revoked_at, revoked_reason = excluded.revoked_reason, changed_at = clock_timestamp()`,
            [
              device,
              k.keyId,
              k.alg,
              toJson(k.jwk),
              k.sealedSecret,
              k.status,
              k.validFrom,
              k.validUntil,
              k.createdAt,
              k.revokedAt,
              k.revokedReason,
              k.sealedContentKey,
            ],
          );
        }
        await client.query('UPDATE devices SET key = $1::jsonb WHERE id = $2', [toJson(current), device]);
      });
    },
    async listSecrets() {
      const { rows } = await pool.query(`SELECT device, key_id, 'secret' AS kind, secret AS sealed FROM device_keys WHERE secret IS NOT NULL
        UNION ALL SELECT device, key_id, 'content_key', content_key FROM device_keys WHERE content_key IS NOT NULL ORDER BY 1, 2, 3`);
      return rows.map((r) => ({
        device: r.device as DeviceId,
        keyId: r.key_id as string,
        kind: r.kind as StoredSecret['kind'],
        sealed: r.sealed as string,
      }));
    },
    async replaceSecrets(items) {
      await inTransaction(pool, async (client) => {
        for (const i of items) {
          await client.query(
            `UPDATE device_keys SET ${i.kind === 'secret' ? 'secret' : 'content_key'} = $1 WHERE device = $2 AND key_id = $3`,
            [i.sealed, i.device, i.keyId],
          );
        }
      });
    },
    async changedSince(since) {
      // `since` came from this clock; a change committed a little after its transaction began still has changed_at > since - margin.
      const { rows } = await pool.query<{ device: string | null; now: string }>(
        `SELECT d.device, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now
         FROM (SELECT 1) one LEFT JOIN (SELECT DISTINCT device FROM device_keys WHERE $1::timestamptz IS NOT NULL AND changed_at > $1::timestamptz - interval '5 seconds') d ON true`,
        [since],
      );
      return { devices: rows.flatMap((r) => (r.device ? [r.device as DeviceId] : [])), now: rows[0].now };
    },
  };
}
