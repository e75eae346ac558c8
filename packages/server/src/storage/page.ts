/** Cursor pagination, shared by every store's lists (ports.ts and the per-store port files). */

/** One page of a cursor-paginated list. `nextCursor` is opaque; null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface PageRequest {
  /** 1..1000 */
  limit: number;
  cursor?: string | null;
}
