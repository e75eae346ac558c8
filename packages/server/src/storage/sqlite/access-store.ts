/** SQLite organisations, users, sessions and API tokens. */
import { DomainError } from '@sealwatch/core';
import type { AccessStore } from '../ports';
import { revokeTokenChainSql, toOrganisation, toSession, toToken, toUser } from '../access-rows';
import { isUniqueViolation, type Db, type Row } from './sql';

export function sqliteAccessStore(db: Db): AccessStore {
  const q = <P extends unknown[]>(sql: string) => db.prepare<P, Row>(sql);
  const org = {
    insert: q('INSERT INTO organisations (id, name, kind, country, aeo, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    get: q<[string]>('SELECT * FROM organisations WHERE id = ?'),
    all: q<[]>('SELECT * FROM organisations ORDER BY id'),
  };
  const user = {
    insert:
      q(`INSERT INTO users (id, username, name, organisation, roles, password_hash, totp_secret, disabled, failed_logins, locked_until, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    update: q(
      `UPDATE users SET username = ?, name = ?, organisation = ?, roles = ?, password_hash = ?, totp_secret = ?, disabled = ?, failed_logins = ?, locked_until = ? WHERE id = ?`,
    ),
    get: q<[string]>('SELECT * FROM users WHERE id = ?'),
    byName: q<[string]>('SELECT * FROM users WHERE username = ?'),
    all: q<[]>('SELECT * FROM users ORDER BY username'),
    ofOrg: q<[string]>('SELECT * FROM users WHERE organisation = ? ORDER BY username'),
  };
  const session = {
    insert: q('INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
    get: q<[string]>('SELECT * FROM sessions WHERE id_hash = ?'),
    del: q('DELETE FROM sessions WHERE id_hash = ?'),
    delOf: q('DELETE FROM sessions WHERE user_id = ?'),
  };
  const token = {
    insert: q(
      'INSERT INTO api_tokens (id, hash, user_id, name, scopes, created_at, expires_at, revoked_at, maker) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    byHash: q<[string]>('SELECT * FROM api_tokens WHERE hash = ?'),
    all: q<[]>('SELECT * FROM api_tokens ORDER BY created_at, id'),
    ofUser: q<[string]>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at, id'),
    byId: q<[string]>('SELECT * FROM api_tokens WHERE id = ?'),
    revoke: q(revokeTokenChainSql(['?', '?'])),
    exists: q<[string]>('SELECT 1 AS x FROM api_tokens WHERE id = ?'),
  };
  const throttle = {
    get: q<[string]>('SELECT failures, blocked_until_ms FROM sign_in_failures WHERE key = ?'),
    upsert: q(`INSERT INTO sign_in_failures (key, failures, blocked_until_ms, last_at_ms) VALUES (?, ?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, blocked_until_ms = excluded.blocked_until_ms, last_at_ms = excluded.last_at_ms`),
    clear: q('DELETE FROM sign_in_failures WHERE key = ?'),
    prune: q('DELETE FROM sign_in_failures WHERE last_at_ms < ?'),
    useStep: q('UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)'),
  };
  // Read and write in one immediate transaction: atomic across connections and processes on the file.
  const take = db.transaction((key: string, nowMs: number, delayMs: (failures: number) => number) => {
    const r = throttle.get.get(key);
    const blocked = r ? Number(r.blocked_until_ms) : 0;
    if (blocked > nowMs) return { ok: false as const, retryAfterMs: blocked - nowMs };
    const failures = (r ? Number(r.failures) : 0) + 1;
    throttle.upsert.run(key, failures, nowMs + delayMs(failures), nowMs);
    return { ok: true as const };
  });
  return {
    async createOrganisation(o) {
      try {
        org.insert.run(o.id, o.name, o.kind, o.country, o.aeo ? 1 : 0, o.createdAt);
      } catch (e) {
        if (isUniqueViolation(e)) throw new DomainError('organisation_exists', `organisation ${o.id} already exists`, { id: o.id });
        throw e;
      }
    },
    async getOrganisation(id) {
      const r = org.get.get(id);
      return r ? toOrganisation(r) : null;
    },
    async listOrganisations() {
      return org.all.all().map(toOrganisation);
    },
    async createUser(u) {
      try {
        user.insert.run(
          u.id,
          u.username,
          u.name,
          u.organisation,
          JSON.stringify(u.roles),
          u.passwordHash,
          u.totpSecret,
          u.disabled ? 1 : 0,
          u.failedLogins,
          u.lockedUntil,
          u.createdAt,
        );
      } catch (e) {
        if (isUniqueViolation(e))
          throw new DomainError('user_exists', `a user with id ${u.id} or username ${u.username} already exists`, { username: u.username });
        throw e;
      }
    },
    async getUser(id) {
      const r = user.get.get(id);
      return r ? toUser(r) : null;
    },
    async getUserByUsername(name) {
      const r = user.byName.get(name);
      return r ? toUser(r) : null;
    },
    async listUsers(organisation) {
      return (organisation ? user.ofOrg.all(organisation) : user.all.all()).map(toUser);
    },
    async updateUser(u) {
      user.update.run(
        u.username,
        u.name,
        u.organisation,
        JSON.stringify(u.roles),
        u.passwordHash,
        u.totpSecret,
        u.disabled ? 1 : 0,
        u.failedLogins,
        u.lockedUntil,
        u.id,
      );
    },
    async createSession(s) {
      session.insert.run(s.idHash, s.user, s.csrf, s.createdAt, s.expiresAt);
    },
    async getSession(h) {
      const r = session.get.get(h);
      return r ? toSession(r) : null;
    },
    async deleteSession(h) {
      session.del.run(h);
    },
    async deleteSessionsOf(u) {
      session.delOf.run(u);
    },
    async createToken(t) {
      token.insert.run(t.id, t.hash, t.user, t.name, JSON.stringify(t.scopes), t.createdAt, t.expiresAt, t.revokedAt, t.maker);
    },
    async getTokenByHash(h) {
      const r = token.byHash.get(h);
      return r ? toToken(r) : null;
    },
    async getToken(id) {
      const r = token.byId.get(id);
      return r ? toToken(r) : null;
    },
    async listTokens(u) {
      return (u ? token.ofUser.all(u) : token.all.all()).map(toToken);
    },
    async revokeToken(id, at) {
      if (!token.exists.get(id)) return false;
      token.revoke.run(id, at);
      return true;
    },
    async takeSignInAttempt(key, nowMs, delayMs) {
      return take.immediate(key, nowMs, delayMs);
    },
    async clearSignInFailures(key) {
      throttle.clear.run(key);
    },
    async pruneSignInFailures(beforeMs) {
      return throttle.prune.run(beforeMs).changes;
    },
    async useTotpStep(u, step) {
      return throttle.useStep.run(step, u, step).changes === 1;
    },
  };
}
