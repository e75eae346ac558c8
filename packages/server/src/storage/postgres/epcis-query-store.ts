/** PostgreSQL EPCIS named queries (migration 55): one row per organisation and name. */
import type { Timestamp } from '@sealwatch/core';
import type { Pool } from 'pg';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import type { EpcisNamedQuery, EpcisQueryStore } from '../epcis-query-ports';

type Row = Record<string, unknown>;
const toQuery = (r: Row): EpcisNamedQuery => ({
  organisation: r.organisation as string,
  name: r.name as string,
  query: r.query as Record<string, unknown>,
  createdBy: r.created_by as string,
  createdAt: r.created_at as Timestamp,
});

export function postgresEpcisQueryStore(pool: Pool): EpcisQueryStore {
  return {
    async create(q) {
      const r = await pool.query(
        `INSERT INTO epcis_queries (organisation, name, query, created_by, created_at) VALUES ($1, $2, $3::jsonb, $4, $5)
         ON CONFLICT (organisation, name) DO NOTHING`,
        [q.organisation, q.name, JSON.stringify(q.query), q.createdBy, q.createdAt],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async get(organisation, name) {
      const { rows } = await pool.query('SELECT * FROM epcis_queries WHERE organisation = $1 AND name = $2', [organisation, name]);
      return rows.length ? toQuery(rows[0]) : null;
    },
    async list(organisation, p) {
      const limit = clampLimit(p.limit);
      const key = decodeCursor(p.cursor, ['string']);
      const { rows } = await pool.query('SELECT * FROM epcis_queries WHERE organisation = $1 AND name > $2 ORDER BY name LIMIT $3', [
        organisation,
        key ? key[0] : '',
        limit + 1,
      ]);
      return toPage(rows.map(toQuery), limit, (q) => [q.name]);
    },
    async remove(organisation, name) {
      return (
        ((await pool.query('DELETE FROM epcis_queries WHERE organisation = $1 AND name = $2', [organisation, name])).rowCount ?? 0) > 0
      );
    },
  };
}
