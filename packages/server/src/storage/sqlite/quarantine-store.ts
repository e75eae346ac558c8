/** SQLite quarantine: every rejected input with its reason and raw bytes (base64, kept verbatim). */
import type { QuarantineStore } from '../ports';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import { sqliteRows, statementCache, where } from './sql';
import type { Db, Row } from './sql';

const { toQuarantineEntry } = sqliteRows;

/** Quarantine entries, listed newest first by id (the order in which they were added). */
export function sqliteQuarantineStore(db: Db): QuarantineStore {
  const stmt = statementCache(db);
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
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['number']);
      const conditions: string[] = [];
      const params: unknown[] = [];
      if (filter.reason) {
        conditions.push('reason = ?');
        params.push(filter.reason);
      }
      if (filter.device) {
        conditions.push('device = ?');
        params.push(filter.device);
      }
      if (key) {
        conditions.push('id < ?');
        params.push(key[0]);
      }
      const sql = `SELECT * FROM quarantine ${where(conditions)} ORDER BY id DESC LIMIT ?`;
      const rows = stmt(sql).all(...params, limit + 1);
      return toPage(rows.map(toQuarantineEntry), limit, (e) => [e.id]);
    },
    async countByReason() {
      return Object.fromEntries(counts.all().map((c) => [c.reason, c.n]));
    },
  };
}
