/**
 * NATS JetStream set-up for cluster mode: the ingest stream (file storage, subjects by
 * partition, a duplicate window for (device, seq) message ids), one durable pull consumer per
 * partition, and the KV bucket of partition leases. Idempotent: every process runs it at start.
 */
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, connect, nanos, type JetStreamManager, type NatsConnection } from 'nats';
import type { ClusterNames } from './partitions';

export interface NatsSetup {
  partitions: number;
  /** How long a (device, seq) message id is remembered by JetStream for duplicate detection. */
  duplicateWindowMs: number;
  /** How long the stream keeps messages (they are in the store once processed). */
  maxAgeMs: number;
  /** A batch not acknowledged within this time is redelivered (to the partition's next owner). */
  ackWaitMs: number;
  batchSize: number;
}

export const defaultNatsSetup: NatsSetup = {
  partitions: 16,
  duplicateWindowMs: 10 * 60_000,
  maxAgeMs: 7 * 24 * 3600_000,
  ackWaitMs: 30_000,
  // Per batch a processor pays a fixed number of PostgreSQL round trips: larger batches amortise
  // them (consumers made before keep their max_ack_pending of 500, which caps their batches).
  batchSize: 1000,
};

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
}

export async function ensureIngestStream(jsm: JetStreamManager, names: ClusterNames, s: NatsSetup): Promise<void> {
  const config = {
    name: names.stream,
    subjects: [names.subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(s.duplicateWindowMs),
    max_age: nanos(s.maxAgeMs),
  };
  try {
    await jsm.streams.info(names.stream);
    await jsm.streams.update(names.stream, config);
  } catch (e) {
    if (!/stream not found/i.test((e as Error).message)) throw e;
    await jsm.streams.add(config);
  }
  for (let p = 0; p < s.partitions; p++) {
    await jsm.consumers.add(names.stream, {
      durable_name: names.consumer(p),
      filter_subject: names.ingestSubject(p),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(s.ackWaitMs),
      // One batch in flight per partition: a new owner cannot overtake a stalled one's batch,
      // so checkpoints stay in stream order (see PartitionWorker).
      max_ack_pending: s.batchSize,
    });
  }
}
