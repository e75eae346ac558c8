/**
 * Small PostgreSQL helpers shared by the store files: transactions, numbered parameters, column
 * decoding, type parsers, advisory locks and error codes.
 */
import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import type { ListEngine } from '../keyset-list';
import { rowMappers } from '../rows';
import type { ObservationPayload } from '../rows';

/** A pool (one statement, autocommit) or a client inside a transaction. */
export type Db = Pool | PoolClient;

/**
 * Type parsers for this adapter's pool: bigint as a JS number (ids, seqs and counts stay far
 * below 2^53), timestamptz as the canonical `toTimestamp` string (UTC, milliseconds, `Z`), so rows
 * read back deep-equal what SQLite returns.
 */
const int8Oid = 20;
const timestamptzOid = 1184;
const parseDefaultTimestamptz = pg.types.getTypeParser(timestamptzOid, 'text') as (text: string) => Date;
export const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === int8Oid) return (text: string) => Number(text);
    if (oid === timestamptzOid) return (text: string) => parseDefaultTimestamptz(text).toISOString();
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

/**
 * Runs `fn` inside BEGIN … COMMIT on one pooled connection; rolls back and rethrows on any error.
 * The promise resolves only after COMMIT has returned (durable with synchronous_commit=on).
 */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A connection that dies while checked out (server restart, terminated backend) emits 'error'
  // on the client; the pool only listens on idle ones, and an unheard 'error' ends the process.
  const onError = (e: Error) => {
    broken = e;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // The connection itself failed: drop it from the pool rather than hand it out again.
      broken = rollbackError as Error;
    }
    throw err;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/** Numbered placeholders for SQL built from a filter's shape: `p.add(v)` gives `$n`. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `WHERE a AND b …`, or nothing when there is no condition. */
export function where(conditions: string[]): string {
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

/**
 * Row → domain mappers for this engine: jsonb and boolean columns arrive already parsed (and
 * bigint and timestamptz as `typeParsers` turn them), quarantine bytes as a bytea Buffer, and an
 * observation's members have columns of their own.
 */
export const postgresRows = rowMappers({
  json: <T>(value: unknown) => value as T,
  bool: (value) => value as boolean,
  // The port speaks base64; the column holds the bytes themselves.
  bytesBase64: (value) => (value as Buffer).toString('base64'),
  observationPayload: (row) => row as ObservationPayload,
});

/** True for a PRIMARY KEY or UNIQUE violation (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}

/** True for a CHECK or partition constraint violation (SQLSTATE 23514). */
export function isCheckViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23514';
}

/** What an advisory lock protects; the schema name is part of the key, so schemas don't contend. */
export type LockName = 'migrations' | 'partitions' | 'append';
// The first half of every two-int advisory key this adapter takes: Sealwatch's own key space.
const lockSpace = 0x5ea1_0000;

/** Takes a transaction-scoped advisory lock, released by COMMIT or ROLLBACK. */
export async function lockForTransaction(client: PoolClient, schema: string, name: LockName): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lockSpace, `${schema}/${name}`]);
}

/** Quotes an identifier already checked by `checkSchemaName`. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Schema names are restricted to plain lowercase identifiers: no quoting surprises anywhere. */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)}: use [a-z_][a-z0-9_]*, at most 63 characters`);
  }
  return schema;
}

/** Runs the store's keyset lists on this pool (or the caller's transaction client). */
export function postgresLists(db: Db): ListEngine {
  return {
    dialect: 'postgres',
    run: async (sql, values) => (await db.query(sql, values)).rows,
  };
}
