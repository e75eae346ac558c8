/**
 * Cluster mode's moving parts in one process: the NATS connection, the JetStream ingest log
 * (gateway role), the partition leases and workers (processor role), and the live-stream
 * bridge (every role).
 */
import type { KV, NatsConnection } from 'nats';
import type { Config } from '../config/config';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Processor } from '../processing/processor';
import type { SeqConflict } from '../ingest/ingest.service';
import type { IngestLog } from '../ingest/ingest-log';
import { connectNats, defaultNatsSetup, ensureIngestStream } from './nats';
import { JetStreamIngestLog } from './jetstream-log';
import { PartitionLeases } from './partition-leases';
import { PartitionWorker } from './partition-worker';
import { bridgeStreamBus } from './stream-bridge';
import { clusterNames } from './partitions';

const LEASE_TTL_MS = 10_000;
const LEASE_RENEW_MS = 3_000;

export interface ClusterRuntime {
  nc: NatsConnection;
  ingestLog(maxPending: number): IngestLog;
  startProcessing(deps: {
    processor: Processor;
    store: Pick<Store, 'observations' | 'quarantine' | 'partitionOwners'>;
    onSeqConflict: (c: SeqConflict) => Promise<void>;
    log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  }): Promise<void>;
  stopProcessing(): Promise<void>;
  /** Partitions this process owns now. */
  ownedPartitions(): number[];
  /** The partition-lease check (processors): degraded for a while after a partition was lost to another processor. */
  leaseHealth(): { status: 'ok' | 'degraded'; detail: string };
  /** Whether the NATS connection is up now, and since when it is in that state. */
  natsStatus(): NatsStatus;
  /** Messages not yet processed (pending + unacknowledged) in each partition this process owns. */
  partitionLag(): Promise<Map<number, number>>;
  close(): Promise<void>;
}

export interface NatsStatus {
  connected: boolean;
  /** What the client last reported (disconnect, reconnecting, an error). */
  detail: string;
}

/** Follows the connection's state from the client's status events (the client reconnects forever). */
function watchNatsStatus(nc: NatsConnection, url: string): NatsStatus {
  const state: NatsStatus = { connected: true, detail: `connected to ${url}` };
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') Object.assign(state, { connected: false, detail: `disconnected from ${url}; reconnecting` });
      else if (s.type === 'reconnect') Object.assign(state, { connected: true, detail: `connected to ${url}` });
      else if (s.type === 'error' && !state.connected) state.detail = `reconnecting to ${url}: ${String(s.data)}`;
    }
  })().catch(() => undefined);
  return state;
}

export async function startCluster(
  config: Readonly<Config>,
  store: Pick<Store, 'observations' | 'quarantine' | 'partitionOwners'>,
  bus: StreamBus,
): Promise<ClusterRuntime> {
  const setup = { ...defaultNatsSetup, partitions: config.cluster.partitions, ackWaitMs: config.cluster.ackWaitMs };
  const nc = await connectNats(config.natsUrl!, `sealwatch-${config.cluster.instanceId}`);
  const names = clusterNames(config.cluster.name);
  const jsm = await nc.jetstreamManager();
  await ensureIngestStream(jsm, names, setup);
  const js = nc.jetstream();
  const unbridge = bridgeStreamBus(bus, nc, config.cluster.instanceId, names.live);
  const nats = watchNatsStatus(nc, config.natsUrl!);
  let leases: PartitionLeases | null = null;
  const workers = new Map<number, PartitionWorker>();

  return {
    nc,
    ingestLog: (maxPending) =>
      new JetStreamIngestLog(js, jsm, store.observations, names, { partitions: setup.partitions, maxPending, publishTimeoutMs: 2000 }),
    async startProcessing({ processor, onSeqConflict, log }) {
      const kv: KV = await js.views.kv(names.leaseBucket, { ttl: LEASE_TTL_MS, history: 1 });
      const fenced = (p: number) => leases?.fenced(p);
      leases = new PartitionLeases(
        kv,
        store.partitionOwners,
        config.cluster.instanceId,
        setup.partitions,
        {
          acquired: (p, epoch) => {
            log.info({ partition: p, epoch }, 'partition acquired');
            const w = new PartitionWorker(p, {
              js,
              names,
              store,
              processor,
              onSeqConflict,
              batchSize: setup.batchSize,
              log,
              epoch,
              fenced,
            });
            workers.set(p, w);
            w.start();
          },
          lost: async (p) => {
            const w = workers.get(p);
            workers.delete(p);
            await w?.stop();
            log.info({ partition: p }, 'partition released');
          },
        },
        { renewMs: LEASE_RENEW_MS, ttlMs: LEASE_TTL_MS },
        log,
      );
      await leases.start();
    },
    async stopProcessing() {
      // Leases first (no new partition is taken), then let each worker finish its batch. Another
      // process may take a released partition at once: it cannot overtake the unacknowledged batch.
      const running = [...workers.values()];
      await leases?.stop(nats.connected);
      await Promise.all(running.map((w) => w.stop()));
    },
    ownedPartitions: () => leases?.ownedPartitions ?? [],
    natsStatus: () => ({ ...nats }),
    leaseHealth: () => leases?.health() ?? { status: 'ok', detail: 'no partition leases yet' },
    async partitionLag() {
      const lag = new Map<number, number>();
      for (const p of leases?.ownedPartitions ?? []) {
        const info = await jsm.consumers.info(names.stream, names.consumer(p));
        lag.set(p, info.num_pending + info.num_ack_pending);
      }
      return lag;
    },
    async close() {
      unbridge();
      // Draining flushes to a server; without one it would wait for the reconnection. What was
      // not acknowledged is redelivered, so closing at once loses nothing.
      if (!nats.connected) return nc.close();
      await Promise.race([nc.drain(), new Promise((r) => setTimeout(r, 3000).unref())]);
      if (!nc.isClosed()) await nc.close();
    },
  };
}
