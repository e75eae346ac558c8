/**
 * PostgreSQL audit trail in chains, so that its writers do not queue on one lock. Each chain's
 * head is a row of `audit_chains`; an append locks that row (FOR UPDATE) until COMMIT, so the
 * chain's order is the order of its commits, with no gaps, while appends to other chains run
 * beside it:
 * - a partition owner's commit (options.fence) appends to the chain `partition:<n>`, after
 *   checking in the same transaction that the partition is still held under its epoch: a fenced
 *   processor writes nothing, and the partition's next owner continues the same chain;
 * - every other append (gateways' accepted messages, API actions, security events) takes a free
 *   shared chain: `main` (the chain written before there were several, which simply continues)
 *   first, then `shared:1`…; a new shared chain is opened only when all are busy, up to
 *   MAX_SHARED, and past that the append waits for one.
 * An entry's number in the trail (`seq`) comes from a sequence: unique, but not in commit order
 * across chains. A ref is kept once across all chains (unique index); two appends racing with the
 * same ref in different chains: the loser's transaction is retried and finds it present.
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { chainGenesis, sealAuditEntries, type AuditEntry, type ChainHead, type NewAuditEntry } from '@sealwatch/core';
import type { AuditStore } from '../ports';
import { checkpointsFromRows, toAuditEntry as toEntry } from '../audit-rows';
import { clampLimit } from '../cursor';
import { checkFence } from './partition-owner-store';
import { inTransaction, isUniqueViolation } from './sql';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Shared chains at most (`main` and `shared:1`..): more appends than this at once wait for one. */
export const MAX_SHARED = 8;

type Head = { chain: string; pos: number; hash: string };

async function lockChain(client: PoolClient, chain: string): Promise<Head> {
  const q = () => client.query<Head>('SELECT chain, pos, hash FROM audit_chains WHERE chain = $1 FOR UPDATE', [chain]);
  let { rows } = await q();
  if (!rows.length) {
    await client.query('INSERT INTO audit_chains (chain, pos, hash) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING', [
      chain,
      chainGenesis(chain, sha256),
    ]);
    ({ rows } = await q());
  }
  return rows[0];
}

/** A shared chain nobody is appending to now, locked; else a new one; else waits for one. */
async function lockSharedChain(client: PoolClient): Promise<Head> {
  const { rows } = await client.query<Head>(
    `SELECT chain, pos, hash FROM audit_chains WHERE chain = 'main' OR chain LIKE 'shared:%'
     ORDER BY (chain = 'main') DESC, chain LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  if (rows.length) return rows[0];
  const { rows: n } = await client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM audit_chains WHERE chain = 'main' OR chain LIKE 'shared:%'",
  );
  const count = n[0].n;
  return lockChain(client, count < MAX_SHARED ? `shared:${count}` : `shared:${1 + Math.floor(Math.random() * (MAX_SHARED - 1))}`);
}

async function appendOnce(pool: Pool, entries: NewAuditEntry[], fence: { partition: number; epoch: number } | undefined) {
  return inTransaction(pool, async (client) => {
    let head: Head;
    if (fence) {
      head = await lockChain(client, `partition:${fence.partition}`);
      await checkFence(client, fence);
    } else head = await lockSharedChain(client);
    const refs = entries.map((e) => e.ref);
    const { rows: present } = await client.query<{ ref: string }>('SELECT ref FROM audit_entries WHERE ref = ANY($1::text[])', [refs]);
    const seen = new Set(present.map((r) => r.ref));
    const fresh = entries.filter((e) => (seen.has(e.ref) ? false : (seen.add(e.ref), true)));
    if (!fresh.length) return [];
    const { rows: ids } = await client.query<{ seq: number }>("SELECT nextval('audit_entry_seq') AS seq FROM generate_series(1, $1)", [
      fresh.length,
    ]);
    const seqs = ids.map((r) => r.seq).sort((a, b) => a - b);
    const sealed: AuditEntry[] = sealAuditEntries(head, fresh, sha256, head.chain).map((e, i) => ({ ...e, seq: seqs[i] }));
    await client.query(
      `INSERT INTO audit_entries (seq, chain, pos, kind, ref, time, actor, subjects, action, data, content_hash, prev_hash, hash)
      SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
        $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])`,
      [
        sealed.map((e) => e.seq),
        sealed.map((e) => e.chain),
        sealed.map((e) => e.pos),
        sealed.map((e) => e.kind),
        sealed.map((e) => e.ref),
        sealed.map((e) => e.time),
        sealed.map((e) => e.actor),
        sealed.map((e) => JSON.stringify(e.subjects)),
        sealed.map((e) => e.action),
        sealed.map((e) => JSON.stringify(e.data)),
        sealed.map((e) => e.contentHash),
        sealed.map((e) => e.prevHash),
        sealed.map((e) => e.hash),
      ],
    );
    const last = sealed[sealed.length - 1];
    await client.query('UPDATE audit_chains SET pos = $2, hash = $3 WHERE chain = $1', [head.chain, last.pos, last.hash]);
    const subjects = sealed.flatMap((e) => [...new Set(e.subjects)].map((s) => [s, e.seq] as const));
    if (subjects.length) {
      await client.query('INSERT INTO audit_subjects (subject, seq) SELECT * FROM unnest($1::text[], $2::bigint[])', [
        subjects.map((s) => s[0]),
        subjects.map((s) => s[1]),
      ]);
    }
    return sealed;
  });
}

export function postgresAuditStore(pool: Pool): AuditStore {
  return {
    async append(entries, options) {
      if (!entries.length) return [];
      for (let attempt = 1; ; attempt++) {
        try {
          return await appendOnce(pool, entries, options?.fence);
        } catch (e) {
          // Another chain's append committed one of these refs first: read them again.
          if (!isUniqueViolation(e) || attempt >= 5) throw e;
        }
      }
    },
    async heads() {
      const { rows } = await pool.query<ChainHead>('SELECT chain, pos, hash FROM audit_chains WHERE pos > 0 ORDER BY chain');
      return rows;
    },
    async range(fromSeq, limit) {
      const { rows } = await pool.query('SELECT * FROM audit_entries WHERE seq >= $1 ORDER BY seq LIMIT $2', [fromSeq, clampLimit(limit)]);
      return rows.map(toEntry);
    },
    async chainRange(chain, fromPos, limit) {
      const { rows } = await pool.query('SELECT * FROM audit_entries WHERE chain = $1 AND pos >= $2 ORDER BY pos LIMIT $3', [
        chain,
        fromPos,
        clampLimit(limit),
      ]);
      return rows.map(toEntry);
    },
    async bySeqs(seqs) {
      if (!seqs.length) return [];
      const { rows } = await pool.query('SELECT * FROM audit_entries WHERE seq = ANY($1::bigint[]) ORDER BY seq', [[...seqs]]);
      return rows.map(toEntry);
    },
    async seqsBySubject(subject) {
      const { rows } = await pool.query<{ seq: number }>('SELECT seq FROM audit_subjects WHERE subject = $1 ORDER BY seq', [subject]);
      return rows.map((r) => r.seq);
    },
    async addCheckpoint(cp) {
      await pool.query('INSERT INTO audit_chain_checkpoints (time, heads, key_id, signature) VALUES ($1, $2, $3, $4)', [
        cp.time,
        JSON.stringify(cp.heads),
        cp.keyId,
        cp.signature,
      ]);
    },
    async checkpoints() {
      const v1 = await pool.query('SELECT * FROM audit_checkpoints ORDER BY seq');
      const v2 = await pool.query('SELECT * FROM audit_chain_checkpoints ORDER BY id');
      return checkpointsFromRows(v1.rows, v2.rows);
    },
  };
}
