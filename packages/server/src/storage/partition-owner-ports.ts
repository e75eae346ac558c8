/**
 * Fencing of cluster partitions: the store, not the lease bucket alone, decides who may commit a
 * partition's work. Each owner holds the partition under an epoch that grows at every change of
 * owner; a processing commit carries its epoch (ProcessingEffects.fence) and the store refuses
 * it, in the commit's own transaction, once a newer epoch exists. A processor that lost its
 * lease without noticing (a stall, a lease store that forgot its keys) can therefore never
 * commit beside the new owner.
 */

/** The commit's epoch is no longer the partition's: another owner took it. Nothing was written. */
export class PartitionFencedError extends Error {
  constructor(
    readonly partition: number,
    readonly epoch: number,
  ) {
    super(`partition ${partition}: epoch ${epoch} is fenced off (another processor owns the partition now)`);
    this.name = 'PartitionFencedError';
  }
}

export interface PartitionOwnerStore {
  /**
   * Takes `partition` for `owner` under a new epoch, when it is free, already `owner`'s, or its
   * owner has not renewed for `ttlMs` (by the store's clock). Returns the epoch, or null while
   * another owner's lease is live.
   */
  claim(partition: number, owner: string, ttlMs: number): Promise<number | null>;
  /** Extends the lease; false when (owner, epoch) no longer holds the partition (fenced). */
  renew(partition: number, owner: string, epoch: number): Promise<boolean>;
  /**
   * Whether `partition` is still held under `epoch` (a read: the commit checks again in its own
   * transaction). Asked before a commit's audit entries are recorded, so that a processor already
   * fenced off leaves nothing in the trail.
   */
  holds(partition: number, epoch: number): Promise<boolean>;
  /** Gives the partition up at once (the next claim need not wait for the TTL). */
  release(partition: number, owner: string, epoch: number): Promise<void>;
}
