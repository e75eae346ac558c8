/**
 * SQLite partition owners and epochs (partition-owner-ports.ts). Embedded mode has one process
 * and no partitions; this keeps the store contract whole (and a cluster test can run on SQLite).
 */
import type { Db } from './sql';
import { PartitionFencedError, type PartitionOwnerStore } from '../partition-owner-ports';

export function sqlitePartitionOwnerStore(db: Db, now: () => number = Date.now): PartitionOwnerStore {
  const claim = db.prepare<[{ partition: number; owner: string; now: number; ttl: number }], number>(
    `INSERT INTO partition_owners AS p (partition, owner, epoch, renewed_at_ms) VALUES (@partition, @owner, 1, @now)
    ON CONFLICT (partition) DO UPDATE SET owner = excluded.owner, epoch = p.epoch + 1, renewed_at_ms = excluded.renewed_at_ms
    WHERE p.owner IS NULL OR p.owner = excluded.owner OR p.renewed_at_ms < @now - @ttl
    RETURNING epoch`,
  );
  const renew = db.prepare('UPDATE partition_owners SET renewed_at_ms = ? WHERE partition = ? AND owner = ? AND epoch = ?');
  const holds = db.prepare('SELECT 1 FROM partition_owners WHERE partition = ? AND epoch = ?');
  const release = db.prepare('UPDATE partition_owners SET owner = NULL WHERE partition = ? AND owner = ? AND epoch = ?');
  return {
    async claim(partition, owner, ttlMs) {
      const row = claim.pluck().get({ partition, owner, now: now(), ttl: ttlMs });
      return row === undefined ? null : Number(row);
    },
    async renew(partition, owner, epoch) {
      return renew.run(now(), partition, owner, epoch).changes === 1;
    },
    async holds(partition, epoch) {
      return holds.get(partition, epoch) !== undefined;
    },
    async release(partition, owner, epoch) {
      release.run(partition, owner, epoch);
    },
  };
}

/** Inside a processing commit's transaction (SQLite transactions are serial): the epoch must still be the partition's. */
export function checkFenceSqlite(db: Db, fence: { partition: number; epoch: number } | undefined): void {
  if (!fence) return;
  const epoch = db.prepare<[number], number>('SELECT epoch FROM partition_owners WHERE partition = ?').pluck().get(fence.partition);
  if (epoch === undefined || Number(epoch) !== fence.epoch) throw new PartitionFencedError(fence.partition, fence.epoch);
}
