/** Small SQLite helpers shared by the store files: statement cache, column decoding, constraint errors. */
import type Database from 'better-sqlite3';
import type { ListEngine } from '../keyset-list';
import { rowMappers } from '../rows';
import type { ObservationPayload, Row } from '../rows';

export type Db = Database.Database;
export type { Row };
export type Statement = Database.Statement<unknown[], Row>;

/**
 * Prepares each distinct SQL text once. Lists with optional filters build their SQL from the
 * filter's shape, so a handful of variants exist and each is compiled a single time.
 */
export function statementCache(db: Db): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare<unknown[], Row>(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
}

/** `WHERE a AND b …`, or nothing when there is no condition. */
export function where(conditions: string[]): string {
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** The value a JSON text column holds; null for SQL NULL. */
function fromJson<T>(text: unknown): T {
  return (text === null || text === undefined ? null : JSON.parse(text as string)) as T;
}

/**
 * Row → domain mappers for this engine: JSON columns are text, booleans INTEGER 0/1, quarantine
 * bytes are kept as the base64 text the port speaks, and an observation's members beyond its
 * fixed columns sit in one `payload` JSON column.
 */
export const sqliteRows = rowMappers({
  json: fromJson,
  bool: (value) => value === 1,
  bytesBase64: (value) => value as string,
  observationPayload: (row) => JSON.parse(row.payload as string) as ObservationPayload,
});

/** True for a PRIMARY KEY or UNIQUE violation (better-sqlite3's SqliteError codes). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Runs the store's keyset lists on this database, each distinct SQL prepared once. */
export function sqliteLists(db: Db): ListEngine {
  const stmt = statementCache(db);
  return { dialect: 'sqlite', run: (sql, values) => stmt(sql).all(...values) };
}
