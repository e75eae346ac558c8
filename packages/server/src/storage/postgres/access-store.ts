/** PostgreSQL organisations, users, sessions and API tokens. */
import type { Pool } from 'pg';
import { DomainError } from '@sealwatch/core';
import type { AccessStore } from '../ports';
import { revokeTokenChainSql, toOrganisation, toSession, toToken, toUser } from '../access-rows';

const isUnique = (e: unknown) => (e as { code?: string }).code === '23505';

export function postgresAccessStore(pool: Pool): AccessStore {
  const one = async <T>(sql: string, params: unknown[], map: (r: Record<string, unknown>) => T) => {
    const { rows } = await pool.query(sql, params);
    return rows.length ? map(rows[0]) : null;
  };
  const all = async <T>(sql: string, params: unknown[], map: (r: Record<string, unknown>) => T) =>
    (await pool.query(sql, params)).rows.map(map);
  return {
    async createOrganisation(o) {
      try {
        await pool.query('INSERT INTO organisations (id, name, kind, country, aeo, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          o.id,
          o.name,
          o.kind,
          o.country,
          o.aeo ? 1 : 0,
          o.createdAt,
        ]);
      } catch (e) {
        if (isUnique(e)) throw new DomainError('organisation_exists', `organisation ${o.id} already exists`, { id: o.id });
        throw e;
      }
    },
    getOrganisation: (id) => one('SELECT * FROM organisations WHERE id = $1', [id], toOrganisation),
    listOrganisations: () => all('SELECT * FROM organisations ORDER BY id', [], toOrganisation),
    async createUser(u) {
      try {
        await pool.query(
          `INSERT INTO users (id, username, name, organisation, roles, password_hash, totp_secret, disabled, failed_logins, locked_until, created_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
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
          ],
        );
      } catch (e) {
        if (isUnique(e))
          throw new DomainError('user_exists', `a user with id ${u.id} or username ${u.username} already exists`, { username: u.username });
        throw e;
      }
    },
    getUser: (id) => one('SELECT * FROM users WHERE id = $1', [id], toUser),
    getUserByUsername: (name) => one('SELECT * FROM users WHERE username = $1', [name], toUser),
    listUsers: (org) =>
      org
        ? all('SELECT * FROM users WHERE organisation = $1 ORDER BY username', [org], toUser)
        : all('SELECT * FROM users ORDER BY username', [], toUser),
    async updateUser(u) {
      await pool.query(
        `UPDATE users SET username = $1, name = $2, organisation = $3, roles = $4, password_hash = $5, totp_secret = $6, disabled = $7,
        failed_logins = $8, locked_until = $9 WHERE id = $10`,
        [
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
        ],
      );
    },
    async createSession(s) {
      await pool.query('INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
        s.idHash,
        s.user,
        s.csrf,
        s.createdAt,
        s.expiresAt,
      ]);
    },
    getSession: (h) => one('SELECT * FROM sessions WHERE id_hash = $1', [h], toSession),
    async deleteSession(h) {
      await pool.query('DELETE FROM sessions WHERE id_hash = $1', [h]);
    },
    async deleteSessionsOf(u) {
      await pool.query('DELETE FROM sessions WHERE user_id = $1', [u]);
    },
    async createToken(t) {
      await pool.query(
        'INSERT INTO api_tokens (id, hash, user_id, name, scopes, created_at, expires_at, revoked_at, maker) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [t.id, t.hash, t.user, t.name, JSON.stringify(t.scopes), t.createdAt, t.expiresAt, t.revokedAt, t.maker],
      );
    },
    getTokenByHash: (h) => one('SELECT * FROM api_tokens WHERE hash = $1', [h], toToken),
    getToken: (id) => one('SELECT * FROM api_tokens WHERE id = $1', [id], toToken),
    listTokens: (u) =>
      u
        ? all('SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id', [u], toToken)
        : all('SELECT * FROM api_tokens ORDER BY created_at, id', [], toToken),
    async revokeToken(id, at) {
      const { rowCount } = await pool.query('SELECT 1 FROM api_tokens WHERE id = $1', [id]);
      if (!rowCount) return false;
      await pool.query(revokeTokenChainSql(['$1', '$2']), [id, at]);
      return true;
    },
    async takeSignInAttempt(key, nowMs, delayMs) {
      // The row lock serialises parallel attempts on one key, across every API process.
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          'INSERT INTO sign_in_failures (key, failures, blocked_until_ms, last_at_ms) VALUES ($1, 0, 0, $2) ON CONFLICT (key) DO NOTHING',
          [key, nowMs],
        );
        const { rows } = await client.query('SELECT failures, blocked_until_ms FROM sign_in_failures WHERE key = $1 FOR UPDATE', [key]);
        const blocked = Number(rows[0].blocked_until_ms);
        if (blocked > nowMs) {
          await client.query('COMMIT');
          return { ok: false as const, retryAfterMs: blocked - nowMs };
        }
        const failures = Number(rows[0].failures) + 1;
        await client.query('UPDATE sign_in_failures SET failures = $2, blocked_until_ms = $3, last_at_ms = $4 WHERE key = $1', [
          key,
          failures,
          nowMs + delayMs(failures),
          nowMs,
        ]);
        await client.query('COMMIT');
        return { ok: true as const };
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async clearSignInFailures(key) {
      await pool.query('DELETE FROM sign_in_failures WHERE key = $1', [key]);
    },
    async pruneSignInFailures(beforeMs) {
      return (await pool.query('DELETE FROM sign_in_failures WHERE last_at_ms < $1', [beforeMs])).rowCount ?? 0;
    },
    async useTotpStep(u, step) {
      const { rowCount } = await pool.query(
        'UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)',
        [step, u],
      );
      return rowCount === 1;
    },
  };
}
