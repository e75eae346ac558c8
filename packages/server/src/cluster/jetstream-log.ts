/**
 * The ingest log of cluster mode: gateways publish accepted observations to NATS JetStream,
 * partitioned by device, and answer "accepted" only once JetStream has acknowledged the publish
 * (stored on disk). Duplicates and seq conflicts are decided first against the store (messages
 * processed long ago) and then by JetStream's duplicate window keyed by (device, seq): a
 * repeated key gets the original's sequence back, whose hash header tells duplicate from conflict.
 * Seq-less vendor rows are keyed by (device, time, content hash) in the window; an older resend
 * is published again and the processor's store append answers it duplicate (stored once).
 */
import { headers, type JetStreamClient, type JetStreamManager } from 'nats';
import type { DeviceId, NewObservation } from '@sealwatch/core';
import type { AppendOutcome, ObservationKey } from '../storage/ports';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { IngestLog } from '../ingest/ingest-log';
import { DependencyUnavailableError } from '../ingest/unavailable';
import { partitionOf, type ClusterNames } from './partitions';

export const HASH_HEADER = 'Sealwatch-Hash';

export interface KeyLookup {
  findKeys(keys: { device: DeviceId; seq: number }[]): Promise<ObservationKey[]>;
}

export class JetStreamIngestLog implements IngestLog {
  private pending = 0;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly keys: KeyLookup,
    private readonly names: ClusterNames,
    private readonly options: { partitions: number; maxPending: number; publishTimeoutMs: number },
  ) {}

  get pendingRows(): number {
    return this.pending;
  }

  /** The trail is in PostgreSQL, the log in JetStream: admission audits each accepted message. */
  readonly auditsAppends = false;

  async append(rows: NewObservation[]): Promise<AppendOutcome[]> {
    if (rows.length === 0) return [];
    if (this.pending + rows.length > this.options.maxPending) throw new IngestOverloadedError(1);
    this.pending += rows.length;
    try {
      const withSeq = rows.filter((r) => r.seq !== null).map((r) => ({ device: r.device, seq: r.seq! }));
      const found = await this.keys.findKeys(withSeq).catch((e: Error) => {
        throw new DependencyUnavailableError('store', e);
      });
      const known = new Map(found.map((k) => [`${k.device}\u0000${k.seq}`, k]));
      // Published in input order on one connection, so one device's messages keep their order.
      return await Promise.all(rows.map((r) => this.publishOne(r, r.seq === null ? undefined : known.get(`${r.device}\u0000${r.seq}`))));
    } catch (e) {
      if (e instanceof IngestOverloadedError) throw e;
      // NATS down, slow or timing out: nothing was acknowledged for the failed rows, so the
      // client is told to retry (JetStream drops the repeats of those that did land).
      throw new DependencyUnavailableError('log', e as Error);
    } finally {
      this.pending -= rows.length;
    }
  }

  private async publishOne(r: NewObservation, known: ObservationKey | undefined): Promise<AppendOutcome> {
    if (known) return known.hash === r.hash ? { status: 'duplicate', id: known.id } : { status: 'conflict', existingHash: known.hash };
    const h = headers();
    h.set(HASH_HEADER, r.hash);
    const ack = await this.js.publish(this.names.ingestSubject(partitionOf(r.device, this.options.partitions)), JSON.stringify(r), {
      headers: h,
      timeout: this.options.publishTimeoutMs,
      // A vendor row (no seq) is identified by (device, time, content hash): a resend within the window is a duplicate.
      msgID: r.seq === null ? `${r.device}@${r.time}#${r.hash}` : `${r.device}#${r.seq}`,
    });
    if (!ack.duplicate) return { status: 'inserted', id: ack.seq };
    const original = await this.jsm.streams.getMessage(this.names.stream, { seq: ack.seq });
    const hash = original.header.get(HASH_HEADER);
    return hash === r.hash ? { status: 'duplicate', id: ack.seq } : { status: 'conflict', existingHash: hash };
  }
}
