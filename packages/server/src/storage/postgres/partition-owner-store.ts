/** PostgreSQL partition owners and epochs (partition-owner-ports.ts), by the database's clock. */
import type { Pool, PoolClient } from 'pg';
import { PartitionFencedError, type PartitionOwnerStore } from '../partition-owner-ports';

export function postgresPartitionOwnerStore(pool: Pool): PartitionOwnerStore {
  return {
    async claim(partition, owner, ttlMs) {
      // One statement: a new row at epoch 1, or the next epoch over a free, own or expired lease.
      const { rows } = await pool.query<{ epoch: string }>(
        `INSERT INTO partition_owners AS p (partition, owner, epoch, renewed_at) VALUES ($1, $2, 1, now())
        ON CONFLICT (partition) DO UPDATE SET owner = excluded.owner, epoch = p.epoch + 1, renewed_at = now()
        WHERE p.owner IS NULL OR p.owner = excluded.owner OR p.renewed_at < now() - make_interval(secs => $3::double precision / 1000)
        RETURNING epoch`,
        [partition, owner, ttlMs],
      );
      return rows.length ? Number(rows[0].epoch) : null;
    },
    async renew(partition, owner, epoch) {
      const r = await pool.query('UPDATE partition_owners SET renewed_at = now() WHERE partition = $1 AND owner = $2 AND epoch = $3', [
        partition,
        owner,
        epoch,
      ]);
      return r.rowCount === 1;
    },
    async holds(partition, epoch) {
      const { rows } = await pool.query('SELECT 1 FROM partition_owners WHERE partition = $1 AND epoch = $2', [partition, epoch]);
      return rows.length === 1;
    },
    async release(partition, owner, epoch) {
      await pool.query('UPDATE partition_owners SET owner = NULL WHERE partition = $1 AND owner = $2 AND epoch = $3', [
        partition,
        owner,
        epoch,
      ]);
    },
  };
}

/**
 * Inside a processing commit's transaction: passes only while the partition is still held under
 * `epoch`. The row is share-locked to the end of the transaction, so a claim by another processor
 * waits for this commit and then fences every later one.
 */
export async function checkFence(client: PoolClient, fence: { partition: number; epoch: number } | undefined): Promise<void> {
  if (!fence) return;
  const { rows } = await client.query<{ epoch: string }>('SELECT epoch FROM partition_owners WHERE partition = $1 FOR SHARE', [
    fence.partition,
  ]);
  if (rows.length === 0 || Number(rows[0].epoch) !== fence.epoch) throw new PartitionFencedError(fence.partition, fence.epoch);
}
