/** PostgreSQL stores of device integrations: scoped integration tokens and pending (unknown) devices. */
import { DomainError, type Timestamp } from '@sealwatch/core';
import type { Pool } from 'pg';
import type { IntegrationKind, IntegrationStore, IntegrationToken, PendingDevice, PendingDeviceStore } from '../ports';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import type { Row } from '../rows';
import { isUniqueViolation } from './sql';

const toToken = (r: Row): IntegrationToken => ({
  id: r.id as string,
  kind: r.kind as IntegrationKind,
  name: r.name as string,
  tokenSha256: r.token_sha256 as string,
  createdAt: r.created_at as Timestamp,
  createdBy: r.created_by as string,
  organisation: r.organisation as string,
  revokedAt: r.revoked_at as Timestamp | null,
});

const toPending = (r: Row): PendingDevice => ({
  identifier: r.identifier as string,
  protocol: r.protocol as string,
  transport: r.transport as string,
  remote: r.remote as string | null,
  firstSeenAt: r.first_seen_at as Timestamp,
  lastSeenAt: r.last_seen_at as Timestamp,
  count: r.count as number,
  organisation: (r.organisation ?? null) as string | null,
});

/** Integration tokens by id; `create` throws DomainError('integration_exists') for a taken id or hash. */
export function postgresIntegrationStore(pool: Pool): IntegrationStore {
  return {
    async create(t) {
      try {
        await pool.query(
          'INSERT INTO integrations (id, kind, name, token_sha256, created_at, created_by, organisation, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [t.id, t.kind, t.name, t.tokenSha256, t.createdAt, t.createdBy, t.organisation, t.revokedAt],
        );
      } catch (err) {
        if (isUniqueViolation(err))
          throw new DomainError('integration_exists', `integration ${t.id} (or its token) already exists`, { id: t.id });
        throw err;
      }
    },
    async findByHash(hash) {
      const { rows } = await pool.query('SELECT * FROM integrations WHERE token_sha256 = $1', [hash]);
      return rows.length ? toToken(rows[0]) : null;
    },
    async get(id) {
      const { rows } = await pool.query('SELECT * FROM integrations WHERE id = $1', [id]);
      return rows.length ? toToken(rows[0]) : null;
    },
    async list(page, organisation) {
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['string']);
      const { rows } = await pool.query(
        'SELECT * FROM integrations WHERE id > $1 AND ($2::text IS NULL OR organisation = $2) ORDER BY id LIMIT $3',
        [key ? key[0] : '', organisation ?? null, limit + 1],
      );
      return toPage(rows.map(toToken), limit, (t) => [t.id]);
    },
    async revoke(id, at) {
      // coalesce keeps an earlier revocation time; RETURNING reads the row in the same statement.
      const { rows } = await pool.query('UPDATE integrations SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING *', [
        id,
        at,
      ]);
      return rows.length ? toToken(rows[0]) : null;
    },
  };
}

/** Pending devices by identifier: one row per identifier, counting its sightings. */
export function postgresPendingDeviceStore(pool: Pool): PendingDeviceStore {
  return {
    async note(s) {
      await pool.query(
        // Sightings through two organisations (or one and a listener) leave it to the platform alone.
        `INSERT INTO pending_devices (identifier, protocol, transport, remote, first_seen_at, last_seen_at, count, organisation)
        VALUES ($1, $2, $3, $4, $5, $5, 1, $6)
        ON CONFLICT (identifier) DO UPDATE SET protocol = excluded.protocol, transport = excluded.transport, remote = excluded.remote,
          last_seen_at = greatest(pending_devices.last_seen_at, excluded.last_seen_at), count = pending_devices.count + 1,
          organisation = CASE WHEN pending_devices.organisation IS NOT DISTINCT FROM excluded.organisation
            THEN pending_devices.organisation ELSE NULL END`,
        [s.identifier, s.protocol, s.transport, s.remote, s.at, s.organisation ?? null],
      );
    },
    async get(identifier) {
      const { rows } = await pool.query('SELECT * FROM pending_devices WHERE identifier = $1', [identifier]);
      return rows.length ? toPending(rows[0]) : null;
    },
    async list(page, filter) {
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['string']);
      const { rows } = await pool.query(
        'SELECT * FROM pending_devices WHERE identifier > $1 AND ($2::text IS NULL OR organisation = $2) ORDER BY identifier LIMIT $3',
        [key ? key[0] : '', filter?.organisation ?? null, limit + 1],
      );
      return toPage(rows.map(toPending), limit, (p) => [p.identifier]);
    },
    async remove(identifier) {
      const { rowCount } = await pool.query('DELETE FROM pending_devices WHERE identifier = $1', [identifier]);
      return (rowCount ?? 0) > 0;
    },
  };
}
