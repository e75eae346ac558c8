/** SQLite audit trail: the hash chain in one table, one writer at a time (IMMEDIATE transactions). */
import { createHash } from 'node:crypto';
import { sealAuditEntries, type AuditEntry, type NewAuditEntry } from '@sealwatch/core';
import type { AuditCheckpoint, AuditStore } from '../ports';
import { clampLimit } from '../cursor';
import type { Db, Row } from './sql';

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Columns hold the exact text that was hashed (canonical JSON stays byte-for-byte). */
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
    (seq, kind, ref, time, actor, subjects, action, data, content_hash, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
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
      const sealed = sealAuditEntries(readHead(), fresh, sha256);
      for (const e of sealed) {
        insert.run(
          e.seq,
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
  const bySubject = db.prepare<[string], number>('SELECT seq FROM audit_subjects WHERE subject = ? ORDER BY seq').pluck();
  const addCheckpoint = db.prepare('INSERT OR IGNORE INTO audit_checkpoints (seq, hash, time, key_id, signature) VALUES (?, ?, ?, ?, ?)');
  const checkpointAfter = db.prepare<[number], Row>('SELECT * FROM audit_checkpoints WHERE seq >= ? ORDER BY seq LIMIT 1');
  const allCheckpoints = db.prepare<[], Row>('SELECT * FROM audit_checkpoints ORDER BY seq');
  const appendTx = db.transaction((entries: NewAuditEntry[]) => appender.append(entries));

  return {
    async append(entries) {
      return entries.length ? appendTx.immediate(entries) : [];
    },
    async head() {
      return appender.head();
    },
    async range(fromSeq, limit) {
      return range.all(fromSeq, clampLimit(limit)).map(toEntry);
    },
    async seqsBySubject(subject) {
      return bySubject.all(subject);
    },
    async addCheckpoint(cp) {
      addCheckpoint.run(cp.seq, cp.hash, cp.time, cp.keyId, cp.signature);
    },
    async checkpointAtOrAfter(seq) {
      const r = checkpointAfter.get(seq);
      return r ? toCheckpoint(r) : null;
    },
    async checkpoints() {
      return allCheckpoints.all().map(toCheckpoint);
    },
  };
}
