/**
 * Keyset pagination shared by every storage adapter: limits, opaque cursors, pages.
 * No SQL and no driver here, so the PostgreSQL adapter imports the same encoding and a cursor
 * handed out by one engine means the same position to the other.
 */
import { DomainError } from '@sealwatch/core';
import type { Page } from './ports';

/** The sort key of the last item of a page, e.g. `[createdAt, id]`. */
export type CursorKey = readonly (string | number)[];
export type CursorShape = readonly ('string' | 'number')[];

export const maxPageLimit = 1000;

/** A cursor that was not produced by `encodeCursor` for this list (tampered, truncated, other list). */
export class InvalidCursorError extends DomainError {
  constructor(cursor: string) {
    super('invalid_cursor', `invalid cursor: ${cursor.slice(0, 64)}`);
  }
}

/** Clamps a requested page size to 1..1000; a non-number gives the maximum. */
export function clampLimit(limit: number): number {
  if (!Number.isFinite(limit)) return maxPageLimit;
  return Math.min(maxPageLimit, Math.max(1, Math.trunc(limit)));
}

/** A track page (`trackPage`): larger than a list page, since its rows are a few numbers. */
export function clampTrackLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.min(10_000, Math.max(1, Math.trunc(limit))) : 10_000;
}

/** Encodes a sort key as base64url JSON: opaque to clients, stable across engines. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor and checks it has the shape of this list's sort key.
 * Returns null for an absent cursor (first page); throws InvalidCursorError otherwise.
 */
export function decodeCursor(cursor: string | null | undefined, shape: CursorShape): CursorKey | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  const valid =
    Array.isArray(key) &&
    key.length === shape.length &&
    key.every((v, i) => (shape[i] === 'number' ? Number.isFinite(v) : typeof v === 'string'));
  if (!valid) throw new InvalidCursorError(cursor);
  return key as CursorKey;
}

/**
 * Builds a page from up to `limit + 1` rows fetched in sort order: the extra row only tells
 * that another page exists, and the cursor points after the last item returned.
 */
export function toPage<T>(rows: T[], limit: number, keyOf: (item: T) => CursorKey): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1])) };
}
