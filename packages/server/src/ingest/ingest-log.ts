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
   */
  append(rows: NewObservation[]): Promise<AppendOutcome[]>;
  /** Rows accepted but not yet durable (a queue depth for /metrics). */
  readonly pendingRows: number;
}
