/** Row ↔ domain for the access tables, shared by both engines (columns are plain text and integers). */
import type { Timestamp } from '@sealwatch/core';
import type { ApiToken, Organisation, Session, User } from './ports';

type Row = Record<string, unknown>;
const ts = (v: unknown) => (v === null || v === undefined ? null : (v as Timestamp));

export const toOrganisation = (r: Row): Organisation => ({
  id: r.id as string,
  name: r.name as string,
  kind: r.kind as Organisation['kind'],
  country: (r.country as string | null) ?? null,
  aeo: r.aeo === 1 || r.aeo === true,
  createdAt: r.created_at as Timestamp,
});
export const toUser = (r: Row): User => ({
  id: r.id as string,
  username: r.username as string,
  name: r.name as string,
  organisation: r.organisation as string,
  roles: JSON.parse(r.roles as string),
  passwordHash: r.password_hash as string,
  totpSecret: (r.totp_secret as string | null) ?? null,
  disabled: r.disabled === 1 || r.disabled === true,
  failedLogins: Number(r.failed_logins),
  lockedUntil: ts(r.locked_until),
  createdAt: r.created_at as Timestamp,
});
export const toSession = (r: Row): Session => ({
  idHash: r.id_hash as string,
  user: r.user_id as string,
  csrf: r.csrf as string,
  createdAt: r.created_at as Timestamp,
  expiresAt: r.expires_at as Timestamp,
});
export const toToken = (r: Row): ApiToken => ({
  id: r.id as string,
  hash: r.hash as string,
  user: r.user_id as string,
  name: r.name as string,
  scopes: JSON.parse(r.scopes as string),
  createdAt: r.created_at as Timestamp,
  expiresAt: ts(r.expires_at),
  revokedAt: ts(r.revoked_at),
  maker: (r.maker ?? null) as string | null,
});

/** Table definitions: the same text works on SQLite and PostgreSQL (timestamps as ISO text, like the audit trail). */
export const accessTablesSql = `
  CREATE TABLE organisations (id text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, country text, aeo integer NOT NULL DEFAULT 0, created_at text NOT NULL);
  CREATE TABLE users (id text PRIMARY KEY, username text NOT NULL UNIQUE, name text NOT NULL, organisation text NOT NULL REFERENCES organisations (id),
    roles text NOT NULL, password_hash text NOT NULL, totp_secret text, disabled integer NOT NULL DEFAULT 0, failed_logins integer NOT NULL DEFAULT 0,
    locked_until text, created_at text NOT NULL);
  CREATE TABLE sessions (id_hash text PRIMARY KEY, user_id text NOT NULL REFERENCES users (id), csrf text NOT NULL, created_at text NOT NULL, expires_at text NOT NULL);
  CREATE INDEX sessions_by_user ON sessions (user_id);
  CREATE TABLE api_tokens (id text PRIMARY KEY, hash text NOT NULL UNIQUE, user_id text NOT NULL REFERENCES users (id), name text NOT NULL,
    scopes text NOT NULL, created_at text NOT NULL, expires_at text, revoked_at text);
`;

/**
 * Which token made a token (migration 21, the same text on both engines): revoking a token revokes
 * every token it made, and a token works only while each maker up its chain does.
 */
export const tokenMakerSql = `
  ALTER TABLE api_tokens ADD COLUMN maker text;
  CREATE INDEX api_tokens_by_maker ON api_tokens (maker);
`;

/**
 * Revokes a token and every token made from it, down the chain, in one statement (the same text on
 * both engines; parameters: the token id, then the time).
 */
export const revokeTokenChainSql = (p: [string, string]) => `
  WITH RECURSIVE chain (id) AS (
    SELECT id FROM api_tokens WHERE id = ${p[0]}
    UNION SELECT t.id FROM api_tokens t JOIN chain c ON t.maker = c.id)
  UPDATE api_tokens SET revoked_at = ${p[1]} WHERE revoked_at IS NULL AND id IN (SELECT id FROM chain)
`;

/**
 * Sign-in throttling and second-factor replay (the same text on both engines): failures counted per
 * (username, source address) key with the time until which that key must wait, in epoch ms; and the
 * last TOTP time step a user signed in with, so a code is never accepted twice.
 */
export const signInThrottleSql = `
  CREATE TABLE sign_in_failures (key text PRIMARY KEY, failures integer NOT NULL, blocked_until_ms bigint NOT NULL, last_at_ms bigint NOT NULL);
  CREATE INDEX sign_in_failures_last_at ON sign_in_failures (last_at_ms);
  ALTER TABLE users ADD COLUMN totp_last_step bigint;
`;
