/** PostgreSQL quarantine: every rejected input with its reason and raw bytes (bytea). */
import type { Pool } from 'pg';
import type { QuarantineStore } from '../ports';
import { inTransaction, postgresRows, postgresLists } from './sql';
import { keysetPage } from '../keyset-list';
import { quarantineList } from '../lists';

const { toQuarantineEntry } = postgresRows;

/** Quarantine entries, listed newest first by id (the order in which they were added). */
export function postgresQuarantineStore(pool: Pool): QuarantineStore {
  return {
    async add(entries) {
      if (!entries.length) return [];
      return inTransaction(pool, async (client) => {
        // Ids are drawn first so that they follow input order (RETURNING promises no order).
        const { rows } = await client.query<{ id: number }>("SELECT nextval('quarantine_ids') AS id FROM generate_series(1, $1)", [
          entries.length,
        ]);
        const ids = rows.map((r) => r.id).sort((a, b) => a - b);
        await client.query(
          `INSERT INTO quarantine
            (id, received_at, transport, remote, reason, detail, device, seq, raw)
          SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[],
            $6::text[], $7::text[], $8::bigint[], $9::bytea[])`,
          [
            ids,
            entries.map((e) => e.receivedAt),
            entries.map((e) => e.transport),
            entries.map((e) => e.remote),
            entries.map((e) => e.reason),
            entries.map((e) => e.detail),
            entries.map((e) => e.device),
            entries.map((e) => e.seq),
            entries.map((e) => Buffer.from(e.raw, 'base64')),
          ],
        );
        return ids;
      });
    },
    async get(id) {
      const { rows } = await pool.query('SELECT * FROM quarantine WHERE id = $1', [id]);
      return rows.length ? toQuarantineEntry(rows[0]) : null;
    },
    async purgeBefore(time) {
      const r = await pool.query('DELETE FROM quarantine WHERE received_at < $1::timestamptz', [time]);
      return r.rowCount ?? 0;
    },
    async list(filter, page) {
      return keysetPage(quarantineList(filter), page, postgresLists(pool), toQuarantineEntry, (e) => [e.id]);
    },
    async countByReason() {
      const { rows } = await pool.query<{ reason: string; n: number }>('SELECT reason, count(*) AS n FROM quarantine GROUP BY reason');
      return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
    },
  };
}
