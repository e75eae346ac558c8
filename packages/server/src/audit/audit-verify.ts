/**
 * `sealwatch audit verify`: walks the whole chain page by page, then checks every signed
 * checkpoint against the entry it vouches for. Names the first entry that does not hold.
 */
import { createHash } from 'node:crypto';
import { auditCheckpointMessage, verifyAuditEntries, type AuditVerdict } from '@sealwatch/core';
import type { AuditStore } from '../storage/ports';
import { verifyServerSignature, type PublicServerKey } from './server-key';

const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

export interface AuditReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** The first problem found, if any. */
  problem?: { seq: number; code: string; detail: string };
}

/**
 * Verifies the trail; `onProgress(verified, total)` is called after every page. Each checkpoint
 * is checked with the key it names among `keys` (the current server key and earlier ones).
 */
export async function verifyAuditTrail(
  store: AuditStore,
  keys: Pick<PublicServerKey, 'keyId' | 'publicJwk'>[],
  onProgress: (done: number, total: number) => void = () => {},
): Promise<AuditReport> {
  const total = (await store.head())?.seq ?? 0;
  let last: { seq: number; hash: string } | null = null;
  let verdict: AuditVerdict = { ok: true, last: null };
  const hashes = new Map<number, string>();
  const checkpoints = await store.checkpoints();
  const wanted = new Set(checkpoints.map((c) => c.seq));
  for (;;) {
    const page = await store.range((last?.seq ?? 0) + 1, 1000);
    if (!page.length) break;
    verdict = verifyAuditEntries(last, page, sha256);
    if (!verdict.ok)
      return {
        ok: false,
        entries: last?.seq ?? 0,
        checkpoints: 0,
        problem: { seq: verdict.seq, code: verdict.problem, detail: verdict.detail },
      };
    for (const e of page) if (wanted.has(e.seq)) hashes.set(e.seq, e.hash);
    last = verdict.last;
    onProgress(last?.seq ?? 0, total);
  }
  const entries = last?.seq ?? 0;
  let checked = 0;
  for (const cp of checkpoints) {
    const bad = (code: string, detail: string): AuditReport => ({
      ok: false,
      entries,
      checkpoints: checked,
      problem: { seq: cp.seq, code, detail },
    });
    if (cp.seq > entries)
      return bad(
        'checkpoint_beyond_trail',
        `a checkpoint vouches for entry ${cp.seq} but the trail ends at ${entries} (entries were removed)`,
      );
    if (hashes.get(cp.seq) !== cp.hash) return bad('checkpoint_mismatch', `entry ${cp.seq} differs from the hash signed at ${cp.time}`);
    const key = keys.find((k) => k.keyId === cp.keyId);
    if (!key)
      return bad(
        'unknown_checkpoint_key',
        `checkpoint ${cp.seq} is signed by key ${cp.keyId}, none of this server's keys (${keys.map((k) => k.keyId).join(', ')})`,
      );
    if (!verifyServerSignature(key.publicJwk, auditCheckpointMessage(cp), cp.signature))
      return bad('bad_checkpoint_signature', `the signature of checkpoint ${cp.seq} does not verify`);
    checked += 1;
  }
  return { ok: true, entries, checkpoints: checked };
}
