/**
 * The filtered, keyset-paginated list both engines serve (movements, alerts, events, incidents,
 * observations, quarantine): which rows, in which order, after which cursor. Written once here as
 * SQL text over a placeholder maker, so SQLite (`?`) and PostgreSQL (`$n`) bind the same values
 * in the same order and a cursor means the same position to both.
 */
import { clampLimit, decodeCursor, toPage, type CursorKey, type CursorShape } from './cursor';
import type { Page, PageRequest } from './page';
import { movementVisibilitySql, type MovementVisibility } from './visibility';

/** Adds a bound value and answers its placeholder. */
export type Param = (value: unknown) => string;

/** One column of a list's sort key: the type its cursor holds, and PostgreSQL's cast for the bound value. */
export interface SortColumn {
  column: string;
  type: 'string' | 'number';
  pgCast?: string;
}

export interface KeysetList {
  /** `SELECT … FROM …`, without WHERE. */
  select: string;
  /** `column = value` for each defined value; an undefined value adds no condition. */
  equal?: Readonly<Record<string, unknown>>;
  /** Further conditions, built with the engine's placeholders so values bind in order. */
  where?: readonly ((param: Param) => string)[];
  /** Only rows on movements this party may see; `column` holds the movement id. */
  visible?: { column: string; to: MovementVisibility | undefined };
  /** The sort key, most significant first; the last column must make it unique (an id). */
  sortKey: readonly SortColumn[];
  descending: boolean;
}

/** The SQL of one page: up to `fetch` rows after `key` (null: from the start). */
export function keysetSql(list: KeysetList, key: CursorKey | null, fetch: number, param: Param, casts: boolean): string {
  const conditions: string[] = [];
  for (const [column, value] of Object.entries(list.equal ?? {})) {
    if (value !== undefined) conditions.push(`${column} = ${param(value)}`);
  }
  for (const condition of list.where ?? []) conditions.push(condition(param));
  if (list.visible?.to) {
    const scope = movementVisibilitySql(list.visible.to, param);
    conditions.push(list.visible.column === 'id' ? scope : `${list.visible.column} IN (SELECT id FROM movements WHERE ${scope})`);
  }
  const columns = list.sortKey.map((k) => k.column).join(', ');
  if (key) {
    const values = list.sortKey.map((k, i) => param(key[i]) + (casts && k.pgCast ? `::${k.pgCast}` : '')).join(', ');
    conditions.push(`(${columns}) ${list.descending ? '<' : '>'} (${values})`);
  }
  const dir = list.descending ? ' DESC' : '';
  const order = list.sortKey.map((k) => k.column + dir).join(', ');
  const whereSql = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `${list.select}${whereSql} ORDER BY ${order} LIMIT ${param(fetch)}`;
}

/** How an engine runs a list's SQL: its placeholder dialect, and the rows for SQL and bound values. */
export interface ListEngine {
  dialect: 'sqlite' | 'postgres';
  run(sql: string, values: unknown[]): Promise<unknown[]> | unknown[];
}

/**
 * One page of a list on an engine. Limits and cursors are checked here, the same for every list.
 */
export async function keysetPage<T>(
  list: KeysetList,
  page: PageRequest,
  engine: ListEngine,
  toItem: (row: never) => T,
  keyOf: (item: T) => CursorKey,
): Promise<Page<T>> {
  const limit = clampLimit(page.limit);
  const shape: CursorShape = list.sortKey.map((k) => k.type);
  const key = decodeCursor(page.cursor, shape);
  const values: unknown[] = [];
  const postgres = engine.dialect === 'postgres';
  const param: Param = postgres ? (v) => `$${values.push(v)}` : (v) => (values.push(v), '?');
  const sql = keysetSql(list, key, limit + 1, param, postgres);
  const rows = await engine.run(sql, values);
  return toPage((rows as never[]).map(toItem), limit, keyOf);
}
