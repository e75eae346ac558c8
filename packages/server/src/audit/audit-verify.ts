/**
 * `sealwatch audit verify`: walks every chain page by page, then checks every signed checkpoint:
 * each head it names is in its chain with the hash signed, the signature verifies with the key it
 * names, and no chain is behind where an earlier checkpoint saw it (truncated, or rewound and
 * written again). Names the first entry or checkpoint that does not hold. One chain (embedded
 * mode, and trails written before chains) is verified by the same code as many.
 */
import { createHash } from 'node:crypto';
import { auditCheckpointMessage, checkpointRegression, MAIN_CHAIN, verifyAuditEntries } from '@sealwatch/core';
import type { AuditStore } from '../storage/ports';
import { verifyServerSignature, type PublicServerKey } from './server-key';

const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

export interface AuditReport {
  ok: boolean;
  /** Entries verified, over all chains. */
  entries: number;
  /** Chains walked. */
  chains: number;
  checkpoints: number;
  /** The first problem found, if any: `seq` is the position in `chain`. */
  problem?: { chain: string; seq: number; code: string; detail: string };
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
  const heads = await store.heads();
  const checkpoints = await store.checkpoints();
  const total = heads.reduce((n, h) => n + h.pos, 0);
  // Every chain the store lists, and every chain a checkpoint names (a chain removed whole is
  // still walked, and found short).
  const chains = [...new Set([...heads.map((h) => h.chain), ...checkpoints.flatMap((c) => c.heads.map((h) => h.chain))])].sort();
  const wanted = new Map<string, Set<number>>();
  for (const cp of checkpoints) for (const h of cp.heads) wanted.set(h.chain, (wanted.get(h.chain) ?? new Set()).add(h.pos));
  const hashes = new Map<string, string>();
  const lengths = new Map<string, number>();
  let entries = 0;
  for (const chain of chains) {
    let last: { pos: number; hash: string } | null = null;
    for (;;) {
      const page = await store.chainRange(chain, (last?.pos ?? 0) + 1, 1000);
      if (!page.length) break;
      const verdict = verifyAuditEntries(last, page, sha256, chain);
      if (!verdict.ok)
        return {
          ok: false,
          entries,
          chains: lengths.size,
          checkpoints: 0,
          problem: { chain, seq: verdict.pos, code: verdict.problem, detail: verdict.detail },
        };
      for (const e of page) if (wanted.get(chain)?.has(e.pos)) hashes.set(`${chain} ${e.pos}`, e.hash);
      entries += page.length;
      last = verdict.last;
      onProgress(entries, total);
    }
    lengths.set(chain, last?.pos ?? 0);
  }
  let checked = 0;
  for (const cp of checkpoints) {
    const bad = (chain: string, seq: number, code: string, detail: string): AuditReport => ({
      ok: false,
      entries,
      chains: lengths.size,
      checkpoints: checked,
      problem: { chain, seq, code, detail },
    });
    for (const h of cp.heads) {
      const length = lengths.get(h.chain) ?? 0;
      const name = h.chain === MAIN_CHAIN ? '' : ` of chain ${h.chain}`;
      if (h.pos > length)
        return bad(
          h.chain,
          h.pos,
          'checkpoint_beyond_trail',
          `a checkpoint vouches for entry ${h.pos}${name} but the chain ends at ${length} (entries were removed)`,
        );
      if (hashes.get(`${h.chain} ${h.pos}`) !== h.hash)
        return bad(h.chain, h.pos, 'checkpoint_mismatch', `entry ${h.pos}${name} differs from the hash signed at ${cp.time}`);
    }
    const at = cp.heads.find((h) => h.chain === MAIN_CHAIN) ?? cp.heads[0];
    const key = keys.find((k) => k.keyId === cp.keyId);
    if (!key)
      return bad(
        at.chain,
        at.pos,
        'unknown_checkpoint_key',
        `the checkpoint of ${cp.time} is signed by key ${cp.keyId}, none of this server's keys (${keys.map((k) => k.keyId).join(', ')})`,
      );
    if (!verifyServerSignature(key.publicJwk, auditCheckpointMessage(cp), cp.signature))
      return bad(at.chain, at.pos, 'bad_checkpoint_signature', `the signature of the checkpoint of ${cp.time} does not verify`);
    checked += 1;
  }
  const regression = checkpointRegression(checkpoints);
  if (regression) {
    const cp = checkpoints[regression.index];
    return {
      ok: false,
      entries,
      chains: lengths.size,
      checkpoints: checked,
      problem: {
        chain: regression.chain,
        seq: regression.was,
        code: 'checkpoint_regression',
        detail: `the checkpoint of ${cp.time} has chain ${regression.chain} at ${regression.now ?? 'nothing'}, behind ${regression.was} signed before it`,
      },
    };
  }
  return { ok: true, entries, chains: lengths.size, checkpoints: checked };
}
