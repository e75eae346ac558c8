/** Small SQLite helpers shared by the store files: statement cache, JSON columns, constraint errors. */
import type Database from 'better-sqlite3';

export type Db = Database.Database;
export type Row = Record<string, unknown>;
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

/** JSON text for a nullable JSON column. */
export function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function fromJson<T>(text: unknown): T {
  return (text === null || text === undefined ? null : JSON.parse(text as string)) as T;
}

/** True for a PRIMARY KEY or UNIQUE violation (better-sqlite3's SqliteError codes). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
