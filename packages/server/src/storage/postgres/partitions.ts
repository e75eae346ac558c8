/**
 * Monthly partitions of `observations` (native RANGE partitioning on `time`): created on demand
 * before rows of a new month are inserted, detached and dropped whole by retention.
 */
import type { Pool } from 'pg';
import { inTransaction, isCheckViolation, lockForTransaction } from './sql';

export interface MonthPartition {
  /** e.g. observations_y2026m11 */
  name: string;
  /** Inclusive lower bound, first instant of the month (UTC). */
  from: Date;
  /** Exclusive upper bound, first instant of the next month (UTC). */
  to: Date;
}

const namePattern = /^observations_y(\d{4})m(\d{2})$/;
/** A detached partition waiting to be dropped (left behind if a purge was interrupted). */
const purgingPattern = /^observations_y\d{4}m\d{2}_purging$/;

/** The month partition a time belongs to; null outside years 1..9998 (those go to DEFAULT). */
export function monthPartitionOf(time: string | Date): MonthPartition | null {
  const t = new Date(time);
  const year = t.getUTCFullYear();
  if (!Number.isFinite(year) || year < 1 || year > 9998) return null;
  return monthPartition(year, t.getUTCMonth() + 1);
}

function monthPartition(year: number, month: number): MonthPartition {
  const from = new Date(0);
  from.setUTCFullYear(year, month - 1, 1);
  const to = new Date(from);
  to.setUTCMonth(to.getUTCMonth() + 1);
  const name = `observations_y${String(year).padStart(4, '0')}m${String(month).padStart(2, '0')}`;
  return { name, from, to };
}

export function parsePartitionName(name: string): MonthPartition | null {
  const m = namePattern.exec(name);
  return m ? monthPartition(Number(m[1]), Number(m[2])) : null;
}

export interface Partitions {
  /** Makes sure the month of every time given has its partition. */
  ensure(times: readonly string[]): Promise<void>;
  /**
   * Detaches every month partition that ends at or before `time`, then drops it with the
   * observation_keys of its rows. Returns the rows removed.
   */
  dropBefore(time: Date): Promise<number>;
}

/** Partitions of one store. Months known to exist are remembered, so the common case is free. */
export function postgresPartitions(pool: Pool, schema: string): Partitions {
  const known = new Set<string>();

  async function create(p: MonthPartition): Promise<void> {
    try {
      await inTransaction(pool, async (client) => {
        // IF NOT EXISTS alone is not safe against a concurrent creator: both may pass the check.
        await lockForTransaction(client, schema, 'partitions');
        await client.query(`CREATE TABLE IF NOT EXISTS ${p.name} PARTITION OF observations
          FOR VALUES FROM ('${p.from.toISOString()}') TO ('${p.to.toISOString()}')`);
      });
    } catch (err) {
      // The DEFAULT partition already holds rows of this month (they arrived after another
      // process dropped it by retention): the month stays in DEFAULT, where inserts still work.
      if (!isCheckViolation(err)) throw err;
    }
    known.add(p.name);
  }

  async function listTables(client: { query: Pool['query'] }, attached: boolean): Promise<string[]> {
    const sql = attached
      ? `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'observations'::regclass`
      : `SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'`;
    const { rows } = await client.query<{ relname: string }>(sql);
    return rows.map((r) => r.relname);
  }

  return {
    async ensure(times) {
      const missing = new Map<string, MonthPartition>();
      for (const time of times) {
        const p = monthPartitionOf(time);
        if (p && !known.has(p.name)) missing.set(p.name, p);
      }
      for (const p of missing.values()) await create(p);
    },

    async dropBefore(time) {
      // Step 1, short: detach and rename, so new rows of those months go to DEFAULT and a purge
      // interrupted after this point is finished by the next one (step 2 looks for *_purging).
      await inTransaction(pool, async (client) => {
        await lockForTransaction(client, schema, 'partitions');
        for (const name of await listTables(client, true)) {
          const p = parsePartitionName(name);
          if (!p || p.to.getTime() > time.getTime()) continue;
          await client.query(`ALTER TABLE observations DETACH PARTITION ${name}`);
          await client.query(`ALTER TABLE ${name} RENAME TO ${name}_purging`);
          known.delete(name);
        }
      });
      // Step 2: forget the keys of the detached rows and drop each table, one transaction each.
      let removed = 0;
      for (const name of (await listTables(pool, false)).filter((n) => purgingPattern.test(n))) {
        removed += await inTransaction(pool, async (client) => {
          const { rows } = await client.query<{ n: number }>(`WITH keys AS (
              DELETE FROM observation_keys k USING ${name} o
              WHERE k.device = o.device AND k.seq = o.seq AND k.observation_id = o.id)
            SELECT count(*) AS n FROM ${name}`);
          await client.query(`DROP TABLE ${name}`);
          return rows[0].n;
        });
      }
      return removed;
    },
  };
}
