/**
 * The storage port of EPCIS named queries (REST binding `/queries`). Each organisation has its own
 * names: a trader's `MyQuery` and an administration's `MyQuery` are two queries, and neither sees
 * the other's. The query is kept as it was given (valid against GS1's query schema).
 */
import type { Timestamp } from '@sealwatch/core';
import type { Page, PageRequest } from './page';

export interface EpcisNamedQuery {
  /** The organisation whose name it is. */
  organisation: string;
  name: string;
  /** The query parameters as given (`{"EQ_bizStep": [...], ...}`). */
  query: Record<string, unknown>;
  createdBy: string;
  createdAt: Timestamp;
}

export interface EpcisQueryStore {
  /** Stores a named query; false (nothing changed) when the organisation already has that name. */
  create(q: EpcisNamedQuery): Promise<boolean>;
  get(organisation: string, name: string): Promise<EpcisNamedQuery | null>;
  /** An organisation's queries, ordered by name. */
  list(organisation: string, page: PageRequest): Promise<Page<EpcisNamedQuery>>;
  /** False when there was none. */
  remove(organisation: string, name: string): Promise<boolean>;
}
