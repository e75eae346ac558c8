/**
 * The audit trail service: records entries (batched per turn of the event loop, like the ingest
 * group commit: one append per chain, the chains' appends concurrently) and signs checkpoints
 * naming every chain's head. Callers await `record` before they answer: an acknowledged message
 * or action is audited.
 */
import { auditCheckpointMessage, toTimestamp, type AuditCheckpointBody, type NewAuditEntry } from '@sealwatch/core';
import type { AuditAppendOptions, AuditCheckpoint, AuditStore } from '../storage/ports';
import type { PublicServerKey, ServerKey, ServerKeyRing } from './server-key';

interface Waiting {
  entries: NewAuditEntry[];
  options: AuditAppendOptions;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** The entries waiting for one chain (a partition's, or the shared ones), flushed one append at a time. */
interface Lane {
  queue: Waiting[];
  scheduled: boolean;
  flushing: boolean;
}

export class AuditTrail {
  /**
   * One lane per destination: a partition's appends never wait behind another partition's or the
   * shared chains' (each lane batches what arrived while its previous append ran).
   */
  private lanes = new Map<string, Lane>();

  constructor(
    private readonly store: AuditStore,
    /** The key checkpoints are signed with (reloaded from `ring` before each checkpoint). */
    public key: ServerKey,
    private readonly now: () => number = Date.now,
    /** Reads the current key and earlier public keys (a rotation by the CLI is seen at the next checkpoint). */
    private readonly ring?: () => Promise<ServerKeyRing>,
  ) {}

  /** The current public key first, then earlier ones with their validity. */
  async publicKeys(): Promise<PublicServerKey[]> {
    if (!this.ring) return [{ keyId: this.key.keyId, publicJwk: this.key.publicJwk, validFrom: null, validUntil: null }];
    const ring = await this.ring();
    this.key = ring.current;
    return ring.publicKeys;
  }

  /**
   * Resolves once the entries (those with a new ref) are committed to a chain: a partition
   * owner's (`options.fence`; rejected with PartitionFencedError once another owns it), else a
   * shared one.
   */
  record(entries: NewAuditEntry[], options: AuditAppendOptions = {}): Promise<void> {
    if (!entries.length) return Promise.resolve();
    const f = options.fence;
    const key = f ? `${f.partition}:${f.epoch}` : '';
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { queue: [], scheduled: false, flushing: false }));
    const target = lane;
    return new Promise((resolve, reject) => {
      target.queue.push({ entries, options, resolve, reject });
      this.schedule(key, target);
    });
  }

  private schedule(key: string, lane: Lane): void {
    if (lane.scheduled || lane.flushing) return;
    lane.scheduled = true;
    setImmediate(() => {
      lane.scheduled = false;
      void this.flush(key, lane);
    });
  }

  private async flush(key: string, lane: Lane): Promise<void> {
    lane.flushing = true;
    const batch = lane.queue;
    lane.queue = [];
    try {
      await this.store.append(
        batch.flatMap((w) => w.entries),
        batch[0].options,
      );
      for (const w of batch) w.resolve();
    } catch (e) {
      for (const w of batch) w.reject(e);
    } finally {
      lane.flushing = false;
      if (lane.queue.length) this.schedule(key, lane);
      // A partition's lane under an older epoch is not used again.
      else if (key) this.lanes.delete(key);
    }
  }

  /** Signs every chain's head unless the newest checkpoint names the same heads; returns the new checkpoint or null. */
  async checkpoint(): Promise<AuditCheckpoint | null> {
    const heads = await this.store.heads();
    if (!heads.length) return null;
    const newest = (await this.store.checkpoints()).at(-1);
    const same = (a: typeof heads, b: typeof heads) =>
      a.length === b.length && a.every((h, i) => h.chain === b[i].chain && h.pos === b[i].pos);
    if (newest && same(newest.heads, heads)) return null;
    if (this.ring) this.key = (await this.ring()).current;
    const body: AuditCheckpointBody = { version: 2, time: toTimestamp(this.now()), heads };
    const cp: AuditCheckpoint = { ...body, keyId: this.key.keyId, signature: this.key.sign(auditCheckpointMessage(body)) };
    await this.store.addCheckpoint(cp);
    return cp;
  }

  /** Signs a checkpoint every `intervalMs`; returns a stop function. */
  startCheckpoints(intervalMs: number, onError: (e: Error) => void): () => void {
    const timer = setInterval(() => this.checkpoint().catch(onError), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
