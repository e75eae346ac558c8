/** SQLite quarantine: every rejected input with its reason and raw bytes (base64, kept verbatim). */
import type { QuarantineStore } from '../ports';
import { sqliteRows, sqliteLists } from './sql';
import type { Db, Row } from './sql';
import { keysetPage } from '../keyset-list';
import { quarantineList } from '../lists';

const { toQuarantineEntry } = sqliteRows;

/** Quarantine entries, listed newest first by id (the order in which they were added). */
export function sqliteQuarantineStore(db: Db): QuarantineStore {
  const lists = sqliteLists(db);
  const insert = db.prepare(`INSERT INTO quarantine
    (received_at, transport, remote, reason, detail, device, seq, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const byId = db.prepare<[number], Row>('SELECT * FROM quarantine WHERE id = ?');
  const purge = db.prepare<[string]>('DELETE FROM quarantine WHERE received_at < ?');
  const counts = db.prepare<[], { reason: string; n: number }>('SELECT reason, count(*) AS n FROM quarantine GROUP BY reason');
  const addTx = db.transaction((entries: Parameters<QuarantineStore['add']>[0]) =>
    entries.map((e) => Number(insert.run(e.receivedAt, e.transport, e.remote, e.reason, e.detail, e.device, e.seq, e.raw).lastInsertRowid)),
  );

  return {
    async add(entries) {
      return entries.length ? addTx(entries) : [];
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toQuarantineEntry(row) : null;
    },
    async purgeBefore(time) {
      return purge.run(time).changes;
    },
    async list(filter, page) {
      return keysetPage(quarantineList(filter), page, lists, toQuarantineEntry, (e) => [e.id]);
    },
    async countByReason() {
      return Object.fromEntries(counts.all().map((c) => [c.reason, c.n]));
    },
  };
}
