/**
 * SQLite audit trail: one chain (`main`) in one table, one writer at a time (IMMEDIATE
 * transactions), so an entry's number in the trail (`seq`) is its position in the chain (`pos`).
 * Checkpoints are written in the form that names every chain's head (here one), and verified by
 * the same code as a cluster's several chains.
 */
import { createHash } from 'node:crypto';
import { sealAuditEntries, type AuditEntry, type NewAuditEntry } from '@sealwatch/core';
import type { AuditStore } from '../ports';
import { checkpointsFromRows, toAuditEntry as toEntry } from '../audit-rows';
import { clampLimit } from '../cursor';
import { checkFenceSqlite } from './partition-owner-store';
import type { Db, Row } from './sql';

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The chain's head and a synchronous append, to be called inside a transaction: the observation
 * store writes a batch's entry in the transaction that stores the batch (appendAudited).
 */
export interface SqliteAuditAppender {
  head(): { seq: number; hash: string } | null;
  append(entries: NewAuditEntry[]): AuditEntry[];
}

export function sqliteAuditAppender(db: Db): SqliteAuditAppender {
  const head = db.prepare<[], Row>('SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1');
  const hasRef = db.prepare<[string], Row>('SELECT 1 AS x FROM audit_entries WHERE ref = ?');
  const insert = db.prepare(`INSERT INTO audit_entries
    (seq, chain, pos, kind, ref, time, actor, subjects, action, data, content_hash, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertSubject = db.prepare('INSERT OR IGNORE INTO audit_subjects (subject, seq) VALUES (?, ?)');
  const readHead = () => {
    const h = head.get();
    return h ? { seq: h.seq as number, hash: h.hash as string } : null;
  };
  return {
    head: readHead,
    append(entries) {
      const seen = new Set<string>();
      const fresh = entries.filter((e) => {
        if (seen.has(e.ref) || hasRef.get(e.ref)) return false;
        seen.add(e.ref);
        return true;
      });
      const h = readHead();
      const sealed = sealAuditEntries(h && { pos: h.seq, hash: h.hash }, fresh, sha256).map((e) => ({ ...e, seq: e.pos }));
      for (const e of sealed) {
        insert.run(
          e.seq,
          e.chain,
          e.pos,
          e.kind,
          e.ref,
          e.time,
          e.actor,
          JSON.stringify(e.subjects),
          e.action,
          JSON.stringify(e.data),
          e.contentHash,
          e.prevHash,
          e.hash,
        );
        for (const s of e.subjects) insertSubject.run(s, e.seq);
      }
      return sealed;
    },
  };
}

export function sqliteAuditStore(db: Db): AuditStore {
  const appender = sqliteAuditAppender(db);
  const range = db.prepare<[number, number], Row>('SELECT * FROM audit_entries WHERE seq >= ? ORDER BY seq LIMIT ?');
  const chainRange = db.prepare<[string, number, number], Row>(
    'SELECT * FROM audit_entries WHERE chain = ? AND pos >= ? ORDER BY pos LIMIT ?',
  );
  const bySeqs = db.prepare<[string], Row>('SELECT * FROM audit_entries WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq');
  const bySubject = db.prepare<[string], number>('SELECT seq FROM audit_subjects WHERE subject = ? ORDER BY seq').pluck();
  const heads = db.prepare<[], Row>('SELECT chain, max(pos) AS pos FROM audit_entries GROUP BY chain ORDER BY chain');
  const headHash = db.prepare<[string, number], string>('SELECT hash FROM audit_entries WHERE chain = ? AND pos = ?').pluck();
  const addCheckpoint = db.prepare('INSERT INTO audit_chain_checkpoints (time, heads, key_id, signature) VALUES (?, ?, ?, ?)');
  const v1Checkpoints = db.prepare<[], Row>('SELECT * FROM audit_checkpoints ORDER BY seq');
  const v2Checkpoints = db.prepare<[], Row>('SELECT * FROM audit_chain_checkpoints ORDER BY id');
  const appendTx = db.transaction((entries: NewAuditEntry[], fence?: { partition: number; epoch: number }) => {
    checkFenceSqlite(db, fence);
    return appender.append(entries);
  });

  return {
    async append(entries, options) {
      return entries.length ? appendTx.immediate(entries, options?.fence) : [];
    },
    async heads() {
      return heads
        .all()
        .map((r) => ({ chain: r.chain as string, pos: r.pos as number, hash: headHash.get(r.chain as string, r.pos as number)! }));
    },
    async range(fromSeq, limit) {
      return range.all(fromSeq, clampLimit(limit)).map(toEntry);
    },
    async chainRange(chain, fromPos, limit) {
      return chainRange.all(chain, fromPos, clampLimit(limit)).map(toEntry);
    },
    async bySeqs(seqs) {
      const out: AuditEntry[] = [];
      for (let i = 0; i < seqs.length; i += 1000) out.push(...bySeqs.all(JSON.stringify(seqs.slice(i, i + 1000))).map(toEntry));
      return out.sort((a, b) => a.seq - b.seq);
    },
    async seqsBySubject(subject) {
      return bySubject.all(subject);
    },
    async addCheckpoint(cp) {
      addCheckpoint.run(cp.time, JSON.stringify(cp.heads), cp.keyId, cp.signature);
    },
    async checkpoints() {
      return checkpointsFromRows(v1Checkpoints.all(), v2Checkpoints.all());
    },
  };
}
