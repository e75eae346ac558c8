/**
 * A processor's work on one partition it owns: fetch a batch from the partition's durable
 * consumer, store the observations (idempotent by (device, seq)), apply the rules with the
 * batch's stream sequence as the checkpoint, then acknowledge. A crash anywhere before the
 * acknowledgement redelivers the batch; the store and the checkpoint make the replay a no-op.
 */
import type { JetStreamClient, JsMsg } from 'nats';
import type { NewObservation, Observation } from '@sealwatch/core';
import type { Store } from '../storage/ports';
import type { Processor } from '../processing/processor';
import type { SeqConflict } from '../ingest/ingest.service';
import { checkpointName, type ClusterNames } from './partitions';
import { PartitionFencedError } from '../storage/partition-owner-ports';

export interface PartitionWorkerDeps {
  js: JetStreamClient;
  names: ClusterNames;
  store: Pick<Store, 'observations' | 'quarantine'>;
  processor: Processor;
  onSeqConflict: (c: SeqConflict) => Promise<void>;
  batchSize: number;
  log: { warn(o: object, m: string): void };
  /** The partition epoch every commit carries: the store refuses it once another processor claimed. */
  epoch: number;
  /** Called once when the store refused a commit as fenced; the worker has stopped by then. */
  fenced: (partition: number) => void;
}

export class PartitionWorker {
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly partition: number,
    private readonly deps: PartitionWorkerDeps,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  /** Finishes the batch in hand, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    const consumer = await this.deps.js.consumers.get(this.deps.names.stream, this.deps.names.consumer(this.partition));
    while (!this.stopped) {
      try {
        const batch: JsMsg[] = [];
        const messages = await consumer.fetch({ max_messages: this.deps.batchSize, expires: 1000 });
        for await (const m of messages) batch.push(m);
        // A batch in hand is finished even when stopping: leaving it unacknowledged would only delay it.
        if (batch.length) await this.handle(batch);
      } catch (e) {
        if (e instanceof PartitionFencedError) {
          // Not ours any more: stop without acknowledging; the new owner gets the batch again.
          this.stopped = true;
          setImmediate(() => this.deps.fenced(this.partition));
          return;
        }
        this.deps.log.warn({ partition: this.partition, err: (e as Error).message }, 'partition fetch failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async handle(batch: JsMsg[]): Promise<void> {
    const { store, processor } = this.deps;
    const rows = batch.map((m) => JSON.parse(m.string()) as NewObservation);
    const outcomes = await store.observations.append(rows);
    const observations: Observation[] = [];
    for (let i = 0; i < rows.length; i++) {
      const o = outcomes[i];
      if (o.status === 'conflict') {
        // Two gateways raced on one (device, seq) with different content: the loser is quarantined.
        const r = rows[i];
        await store.quarantine.add([
          {
            receivedAt: r.receivedAt,
            transport: 'jetstream',
            remote: null,
            reason: 'seq_conflict',
            detail: `seq ${r.seq} was already stored with different content`,
            device: r.device,
            seq: r.seq,
            raw: Buffer.from(r.raw).toString('base64'),
          },
        ]);
        await this.deps.onSeqConflict({ device: r.device, seq: r.seq!, existingHash: o.existingHash, hash: r.hash, time: r.time });
      } else {
        observations.push({ ...rows[i], id: o.id });
      }
    }
    if (observations.length) {
      await processor.processBatchOnce(observations, {
        processor: checkpointName(this.partition),
        position: batch[batch.length - 1].seq,
        fence: { partition: this.partition, epoch: this.deps.epoch },
      });
    }
    for (const m of batch) m.ack();
  }
}
