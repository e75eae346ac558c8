/**
 * The audit trail service: records entries (batched, one transaction per turn of the event
 * loop, like the ingest group commit) and signs checkpoints of the chain's head.
 * Callers await `record` before they answer: an acknowledged message or action is audited.
 */
import { auditCheckpointMessage, toTimestamp, type NewAuditEntry } from '@sealwatch/core';
import type { AuditCheckpoint, AuditStore } from '../storage/ports';
import type { PublicServerKey, ServerKey, ServerKeyRing } from './server-key';

interface Waiting {
  entries: NewAuditEntry[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class AuditTrail {
  private queue: Waiting[] = [];
  private scheduled = false;
  private flushing = false;

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

  /** Resolves once the entries (those with a new ref) are committed to the chain. */
  record(entries: NewAuditEntry[]): Promise<void> {
    if (!entries.length) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ entries, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    const batch = this.queue;
    this.queue = [];
    try {
      await this.store.append(batch.flatMap((w) => w.entries));
      for (const w of batch) w.resolve();
    } catch (e) {
      for (const w of batch) w.reject(e);
    } finally {
      this.flushing = false;
      if (this.queue.length) this.schedule();
    }
  }

  /** Signs the current head if no checkpoint covers it yet; returns the new checkpoint or null. */
  async checkpoint(): Promise<AuditCheckpoint | null> {
    const head = await this.store.head();
    if (!head) return null;
    if (await this.store.checkpointAtOrAfter(head.seq)) return null;
    if (this.ring) this.key = (await this.ring()).current;
    const base = { seq: head.seq, hash: head.hash, time: toTimestamp(this.now()) };
    const cp: AuditCheckpoint = { ...base, keyId: this.key.keyId, signature: this.key.sign(auditCheckpointMessage(base)) };
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
