/**
 * Audit rows as both engines store them: the columns hold the exact text that was hashed
 * (canonical JSON stays byte-for-byte), and checkpoints come from two tables, those signed before
 * chains (one head, of `main`) and those since (every head).
 */
import { MAIN_CHAIN, type AuditEntry } from '@sealwatch/core';
import type { AuditCheckpoint } from './ports';

type Row = Record<string, unknown>;

export function toAuditEntry(r: Row): AuditEntry {
  return {
    seq: r.seq as number,
    chain: r.chain as string,
    pos: r.pos as number,
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

/** Checkpoints from before chains (one head, of `main`) and since (every head), in the order signed. */
export function checkpointsFromRows(v1: Row[], v2: Row[]): AuditCheckpoint[] {
  return [
    ...v1.map((r): AuditCheckpoint => ({
      version: 1,
      time: r.time as AuditCheckpoint['time'],
      heads: [{ chain: MAIN_CHAIN, pos: r.seq as number, hash: r.hash as string }],
      keyId: r.key_id as string,
      signature: r.signature as string,
    })),
    ...v2.map((r): AuditCheckpoint => ({
      version: 2,
      time: r.time as AuditCheckpoint['time'],
      heads: JSON.parse(r.heads as string),
      keyId: r.key_id as string,
      signature: r.signature as string,
    })),
  ];
}
