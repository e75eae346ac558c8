/**
 * PostgreSQL audit trail. Appends take a transaction-scoped advisory lock, so every process of a
 * cluster writes into one chain in one order: the lock is held until COMMIT, so the order of
 * commits is the order of `seq`, with no gaps.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { sealAuditEntries, type AuditEntry } from '@sealwatch/core';
import type { AuditCheckpoint, AuditStore } from '../ports';
import { clampLimit } from '../cursor';
import { inTransaction, lockForTransaction } from './sql';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
type Row = Record<string, unknown>;

/** `subjects` and `data` are text columns holding the JSON as written, not jsonb (which would re-format numbers). */
function toEntry(r: Row): AuditEntry {
  return {
    seq: r.seq as number,
    kind: r.kind as AuditEntry['kind'],
    ref: r.ref as string,
    time: r.time as AuditEntry['time'],
    actor: r.actor as string,
    subjects: JSON.parse(r.subjects as string),
    action: r.action as string,
    data: JSON.parse(r.data as string),
    contentHash: r.content_hash as string,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}
const toCheckpoint = (r: Row): AuditCheckpoint => ({
  seq: r.seq as number,
  hash: r.hash as string,
  time: r.time as AuditCheckpoint['time'],
  keyId: r.key_id as string,
  signature: r.signature as string,
});

export function postgresAuditStore(pool: Pool, schema: string): AuditStore {
  return {
    async append(entries) {
      if (!entries.length) return [];
      return inTransaction(pool, async (client) => {
        await lockForTransaction(client, schema, 'audit');
        const refs = entries.map((e) => e.ref);
        const { rows: present } = await client.query<{ ref: string }>('SELECT ref FROM audit_entries WHERE ref = ANY($1::text[])', [refs]);
        const seen = new Set(present.map((r) => r.ref));
        const fresh = entries.filter((e) => (seen.has(e.ref) ? false : (seen.add(e.ref), true)));
        if (!fresh.length) return [];
        const { rows: h } = await client.query<{ seq: number; hash: string }>(
          'SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1',
        );
        const sealed = sealAuditEntries(h[0] ?? null, fresh, sha256);
        await client.query(
          `INSERT INTO audit_entries (seq, kind, ref, time, actor, subjects, action, data, content_hash, prev_hash, hash)
          SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])`,
          [
            sealed.map((e) => e.seq),
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
        const subjects = sealed.flatMap((e) => [...new Set(e.subjects)].map((s) => [s, e.seq] as const));
        if (subjects.length) {
          await client.query('INSERT INTO audit_subjects (subject, seq) SELECT * FROM unnest($1::text[], $2::bigint[])', [
            subjects.map((s) => s[0]),
            subjects.map((s) => s[1]),
          ]);
        }
        return sealed;
      });
    },
    async head() {
      const { rows } = await pool.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1');
      return rows[0] ?? null;
    },
    async range(fromSeq, limit) {
      const { rows } = await pool.query('SELECT * FROM audit_entries WHERE seq >= $1 ORDER BY seq LIMIT $2', [fromSeq, clampLimit(limit)]);
      return rows.map(toEntry);
    },
    async seqsBySubject(subject) {
      const { rows } = await pool.query<{ seq: number }>('SELECT seq FROM audit_subjects WHERE subject = $1 ORDER BY seq', [subject]);
      return rows.map((r) => r.seq);
    },
    async addCheckpoint(cp) {
      await pool.query(
        'INSERT INTO audit_checkpoints (seq, hash, time, key_id, signature) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING',
        [cp.seq, cp.hash, cp.time, cp.keyId, cp.signature],
      );
    },
    async checkpointAtOrAfter(seq) {
      const { rows } = await pool.query('SELECT * FROM audit_checkpoints WHERE seq >= $1 ORDER BY seq LIMIT 1', [seq]);
      return rows.length ? toCheckpoint(rows[0]) : null;
    },
    async checkpoints() {
      const { rows } = await pool.query('SELECT * FROM audit_checkpoints ORDER BY seq');
      return rows.map(toCheckpoint);
    },
  };
}
