/**
 * The durable ingest log, as the gateway sees it. Embedded mode: the observations table through
 * the group committer. Cluster mode: NATS JetStream. Resolving means durable.
 */
import type { NewObservation } from '@sealwatch/core';
import type { AppendOutcome } from '../storage/ports';

export interface IngestLog {
  /**
   * Makes the observations durable and says, in input order, whether each is new (`inserted`),
   * the same content again (`duplicate`) or other content under a known (device, seq)
   * (`conflict`). Throws IngestOverloadedError when the caller should retry later.
   * `transport`: what the messages came over (recorded in the audit trail).
   */
  append(rows: NewObservation[], transport: string): Promise<AppendOutcome[]>;
  /**
   * True when the log records the rows it inserts in the audit trail itself, in the commit that
   * stores them (embedded: one batch entry with a Merkle root); false when each accepted message
   * needs its own entry from admission (cluster: the log is JetStream, the trail PostgreSQL).
   */
  readonly auditsAppends: boolean;
  /** Rows accepted but not yet durable (a queue depth for /metrics). */
  readonly pendingRows: number;
}
