/** SQLite stores of device integrations: scoped integration tokens and pending (unknown) devices. */
import { DomainError, type Timestamp } from '@sealwatch/core';
import type { IntegrationKind, IntegrationStore, IntegrationToken, PendingDevice, PendingDeviceStore } from '../ports';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import { isUniqueViolation } from './sql';
import type { Db, Row } from './sql';

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
export function sqliteIntegrationStore(db: Db): IntegrationStore {
  const insert = db.prepare(
    'INSERT INTO integrations (id, kind, name, token_sha256, created_at, created_by, organisation, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const byHash = db.prepare<[string], Row>('SELECT * FROM integrations WHERE token_sha256 = ?');
  const byId = db.prepare<[string], Row>('SELECT * FROM integrations WHERE id = ?');
  const revoke = db.prepare('UPDATE integrations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  // An empty organisation stands for every one.
  const page = db.prepare<[string, string, string, number], Row>(
    "SELECT * FROM integrations WHERE id > ? AND (? = '' OR organisation = ?) ORDER BY id LIMIT ?",
  );
  return {
    async create(t) {
      try {
        insert.run(t.id, t.kind, t.name, t.tokenSha256, t.createdAt, t.createdBy, t.organisation, t.revokedAt);
      } catch (err) {
        if (isUniqueViolation(err))
          throw new DomainError('integration_exists', `integration ${t.id} (or its token) already exists`, { id: t.id });
        throw err;
      }
    },
    async findByHash(hash) {
      const row = byHash.get(hash);
      return row ? toToken(row) : null;
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toToken(row) : null;
    },
    async list(request, organisation) {
      const limit = clampLimit(request.limit);
      const key = decodeCursor(request.cursor, ['string']);
      const org = organisation ?? '';
      const rows = page.all(key ? (key[0] as string) : '', org, org, limit + 1);
      return toPage(rows.map(toToken), limit, (t) => [t.id]);
    },
    async revoke(id, at) {
      revoke.run(at, id);
      const row = byId.get(id);
      return row ? toToken(row) : null;
    },
  };
}

/** Pending devices by identifier: one row per identifier, counting its sightings. */
export function sqlitePendingDeviceStore(db: Db): PendingDeviceStore {
  // Sightings through two organisations (or one and a listener) leave it to the platform alone.
  const upsert = db.prepare(`INSERT INTO pending_devices (identifier, protocol, transport, remote, first_seen_at, last_seen_at, count,
      organisation)
    VALUES (?, ?, ?, ?, ?, ?, 1, ?)
    ON CONFLICT (identifier) DO UPDATE SET protocol = excluded.protocol, transport = excluded.transport, remote = excluded.remote,
      last_seen_at = max(last_seen_at, excluded.last_seen_at), count = count + 1,
      organisation = CASE WHEN organisation IS excluded.organisation THEN organisation ELSE NULL END`);
  const byId = db.prepare<[string], Row>('SELECT * FROM pending_devices WHERE identifier = ?');
  const remove = db.prepare('DELETE FROM pending_devices WHERE identifier = ?');
  const after = db.prepare<[string, string | null, string | null, number], Row>(
    'SELECT * FROM pending_devices WHERE identifier > ? AND (? IS NULL OR organisation = ?) ORDER BY identifier LIMIT ?',
  );
  return {
    async note(s) {
      upsert.run(s.identifier, s.protocol, s.transport, s.remote, s.at, s.at, s.organisation ?? null);
    },
    async get(identifier) {
      const row = byId.get(identifier);
      return row ? toPending(row) : null;
    },
    async list(page, filter) {
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['string']);
      const org = filter?.organisation ?? null;
      const rows = after.all(key ? (key[0] as string) : '', org, org, limit + 1);
      return toPage(rows.map(toPending), limit, (p) => [p.identifier]);
    },
    async remove(identifier) {
      return remove.run(identifier).changes > 0;
    },
  };
}
