/**
 * Processing: the processor that turns committed observations into events and alerts, the
 * durable ingest log it reads (embedded: the observations table through the group committer,
 * which wakes the processor after each commit; cluster: NATS JetStream), and the gauges /metrics
 * reads from both.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { ClusterRuntime } from '../cluster/cluster-runtime';
import { GroupCommitter } from '../ingest/group-commit';
import type { IngestLog } from '../ingest/ingest-log';
import type { Metrics } from '../ops/metrics';
import type { Mutex } from '../processing/mutex';
import { Processor } from '../processing/processor';
import type { SeqConflict } from '../ingest/admission';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';

export interface ProcessingParts {
  config: Readonly<Config>;
  store: Store;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  newId: () => string;
  log: Logger;
  metrics: Metrics;
  cluster: ClusterRuntime | null;
}

export function wireProcessing(p: ProcessingParts): { processor: Processor; ingestLog: IngestLog } {
  const { config, store, bus, metrics, cluster, log } = p;
  const processor = new Processor({
    store,
    bus,
    alertLock: p.alertLock,
    now: p.now,
    newId: p.newId,
    onError: (e) => log.warn({ err: e.message }, 'processing failed; retrying'),
    onProcessed: (n, events, alerts) => {
      metrics.processed.inc(n);
      for (const e of events) metrics.events.inc({ type: e.type });
      for (const a of alerts) metrics.alertsRaised.inc({ type: a.type, severity: a.severity });
    },
  });
  const ingestLog: IngestLog = cluster
    ? cluster.ingestLog(config.ingest.maxPending)
    : new GroupCommitter(store.observations, {
        maxPending: config.ingest.maxPending,
        maxRowsPerCommit: 10_000,
        onCommitted: () => processor.kick(),
      });
  metrics.watch({
    pendingCommitRows: () => ingestLog.pendingRows,
    processorLag: async () =>
      cluster
        ? [...(await cluster.partitionLag()).values()].reduce((a, b) => a + b, 0)
        : (await store.observations.lastId()) - processor.position,
    partitionLag: cluster && config.roles.processor ? () => cluster.partitionLag() : undefined,
    streamClients: () => bus.listenerCount,
    unresolvedAlerts: () => store.alerts.countUnresolved('type'),
  });
  return { processor, ingestLog };
}

/** Starts processing where this process has the processor role: the partitions it leases in a cluster, else the whole log. */
export async function startProcessing(
  p: Pick<ProcessingParts, 'config' | 'store' | 'cluster' | 'log'> & {
    processor: Processor;
    onSeqConflict: (c: SeqConflict) => Promise<void>;
  },
): Promise<void> {
  if (!p.config.roles.processor) return;
  if (p.cluster) await p.cluster.startProcessing({ processor: p.processor, store: p.store, onSeqConflict: p.onSeqConflict, log: p.log });
  else await p.processor.start();
}
