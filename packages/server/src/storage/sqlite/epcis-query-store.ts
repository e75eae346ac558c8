/** SQLite EPCIS named queries (migration 55): one row per organisation and name. */
import type { Timestamp } from '@sealwatch/core';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import type { EpcisNamedQuery, EpcisQueryStore } from '../epcis-query-ports';
import type { Db, Row } from './sql';

const toQuery = (r: Row): EpcisNamedQuery => ({
  organisation: r.organisation as string,
  name: r.name as string,
  query: JSON.parse(r.query as string),
  createdBy: r.created_by as string,
  createdAt: r.created_at as Timestamp,
});

export function sqliteEpcisQueryStore(db: Db): EpcisQueryStore {
  const insert = db.prepare(`INSERT INTO epcis_queries (organisation, name, query, created_by, created_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (organisation, name) DO NOTHING`);
  const one = db.prepare<[string, string], Row>('SELECT * FROM epcis_queries WHERE organisation = ? AND name = ?');
  const page = db.prepare<[string, string, number], Row>(
    'SELECT * FROM epcis_queries WHERE organisation = ? AND name > ? ORDER BY name LIMIT ?',
  );
  const del = db.prepare('DELETE FROM epcis_queries WHERE organisation = ? AND name = ?');
  return {
    async create(q) {
      return insert.run(q.organisation, q.name, JSON.stringify(q.query), q.createdBy, q.createdAt).changes > 0;
    },
    async get(organisation, name) {
      const row = one.get(organisation, name);
      return row ? toQuery(row) : null;
    },
    async list(organisation, p) {
      const limit = clampLimit(p.limit);
      const key = decodeCursor(p.cursor, ['string']);
      return toPage(page.all(organisation, key ? (key[0] as string) : '', limit + 1).map(toQuery), limit, (q) => [q.name]);
    },
    async remove(organisation, name) {
      return del.run(organisation, name).changes > 0;
    },
  };
}
