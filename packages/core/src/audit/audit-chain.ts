/**
 * The tamper-evident audit trail as a hash chain. Each entry's content is hashed on its
 * own (`contentHash`), and the chain links those content hashes: hash(n) = H("sealwatch-audit/1",
 * n, hash(n-1), contentHash(n)). Splitting content from link lets an evidence export prove a
 * segment of the chain while revealing only the content hashes of other parties' entries.
 *
 * Pure: the SHA-256 function comes in as an argument (the server passes node:crypto's).
 */
import type { Timestamp } from '../ids';

/** What an entry records. Closed set: a verifier rejects kinds it does not know. */
export type AuditKind = 'device_message' | 'event' | 'alert' | 'user_action' | 'device_command' | 'federation_message';
export const auditKinds: readonly AuditKind[] = ['device_message', 'event', 'alert', 'user_action', 'device_command', 'federation_message'];

/** Hex SHA-256 of a UTF-8 string. */
export type Sha256Hex = (text: string) => string;

export interface NewAuditEntry {
  kind: AuditKind;
  /**
   * Idempotency key, unique in the trail: the same fact recorded twice (a resent device message,
   * a replayed processing batch) is kept once. E.g. `msg:<device>:<seq>:<payload hash>`.
   */
  ref: string;
  time: Timestamp;
  /** Who did it: `device:<id>`, `user:<id>`, `admin`, `system`. */
  actor: string;
  /** What it is about (movement and device ids, `alert:<id>`): the keys of an evidence export. */
  subjects: string[];
  /** Short verb, e.g. `accepted`, `rejected:bad_signature`, `alert_raised`, `movements.create`. */
  action: string;
  /** Facts recorded (hashes rather than secrets or whole payloads). JSON values only. */
  data: Record<string, unknown>;
}

export interface AuditEntry extends NewAuditEntry {
  /** Position in the chain, from 1, without gaps. */
  seq: number;
  contentHash: string;
  prevHash: string;
  hash: string;
}

/** The previous hash of entry 1. */
export const AUDIT_GENESIS = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth and no whitespace, so that the same content always
 * gives the same bytes whatever the order in which a database or a parser returns the keys.
 * Undefined members are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The content hash of an entry: over every recorded field, not over its place in the chain. */
export function auditContentHash(entry: NewAuditEntry, sha256: Sha256Hex): string {
  const { kind, ref, time, actor, subjects, action, data } = entry;
  return sha256(canonicalJson({ kind, ref, time, actor, subjects, action, data }));
}

/** The chain link: binds an entry's position, its predecessor and its content. */
export function auditLinkHash(seq: number, prevHash: string, contentHash: string, sha256: Sha256Hex): string {
  return sha256(`sealwatch-audit/1\n${seq}\n${prevHash}\n${contentHash}`);
}

/** Appends entries after `head` (null for an empty trail), returning them sealed in order. */
export function sealAuditEntries(head: { seq: number; hash: string } | null, entries: NewAuditEntry[], sha256: Sha256Hex): AuditEntry[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? AUDIT_GENESIS;
  return entries.map((e) => {
    seq += 1;
    const contentHash = auditContentHash(e, sha256);
    const hash = auditLinkHash(seq, prevHash, contentHash, sha256);
    const sealed: AuditEntry = { ...e, seq, contentHash, prevHash, hash };
    prevHash = hash;
    return sealed;
  });
}

export type AuditBreak = 'seq_gap' | 'content_altered' | 'prev_hash_mismatch' | 'hash_mismatch' | 'unknown_kind';
export type AuditVerdict =
  { ok: true; last: { seq: number; hash: string } | null } | { ok: false; seq: number; problem: AuditBreak; detail: string };

/**
 * Checks consecutive entries against the state before them (`after`: the last verified entry,
 * null at the start of the trail). Feed a long trail page by page, passing the last result on.
 * Names the first entry that does not hold: its content was changed, it was moved, or removed.
 */
export function verifyAuditEntries(after: { seq: number; hash: string } | null, entries: AuditEntry[], sha256: Sha256Hex): AuditVerdict {
  let last = after;
  for (const e of entries) {
    const expectedSeq = (last?.seq ?? 0) + 1;
    if (e.seq !== expectedSeq)
      return { ok: false, seq: expectedSeq, problem: 'seq_gap', detail: `entry ${expectedSeq} is missing (next stored is ${e.seq})` };
    if (!auditKinds.includes(e.kind))
      return { ok: false, seq: e.seq, problem: 'unknown_kind', detail: `kind ${String(e.kind)} is not an audit kind` };
    const prev = last?.hash ?? AUDIT_GENESIS;
    if (e.prevHash !== prev)
      return { ok: false, seq: e.seq, problem: 'prev_hash_mismatch', detail: `entry ${e.seq} does not link to entry ${e.seq - 1}` };
    if (auditContentHash(e, sha256) !== e.contentHash)
      return { ok: false, seq: e.seq, problem: 'content_altered', detail: `the content of entry ${e.seq} differs from what was sealed` };
    if (auditLinkHash(e.seq, prev, e.contentHash, sha256) !== e.hash)
      return { ok: false, seq: e.seq, problem: 'hash_mismatch', detail: `the chain hash of entry ${e.seq} is wrong` };
    last = { seq: e.seq, hash: e.hash };
  }
  return { ok: true, last };
}

/** The bytes a server signs to vouch for the trail up to `seq` (an audit checkpoint). */
export function auditCheckpointMessage(cp: { seq: number; hash: string; time: Timestamp }): string {
  return `sealwatch-audit-checkpoint/1\n${cp.seq}\n${cp.hash}\n${cp.time}`;
}
