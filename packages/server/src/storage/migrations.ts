/**
 * What the engines' schema migrations share: the shape of a step and the order steps apply in.
 * The steps themselves (each engine's SQL) and how they are applied (SQLite: one IMMEDIATE
 * transaction per step; PostgreSQL: one transaction under an advisory lock) stay in the adapters.
 */

/** One schema step. Once released it is never edited: a change is a new step at the end. */
export interface Migration {
  /** Recorded in `schema_migrations` once applied; steps apply in increasing order. */
  version: number;
  name: string;
  /** One or more statements in the engine's dialect. */
  sql: string;
}

/** The steps in version order, and the newest version among them (0 when there are none). */
export function orderMigrations(steps: readonly Migration[]): { ordered: Migration[]; latest: number } {
  const ordered = [...steps].sort((a, b) => a.version - b.version);
  return { ordered, latest: ordered.length ? ordered[ordered.length - 1].version : 0 };
}
