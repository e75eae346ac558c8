/**
 * One audit entry for a whole batch of accepted device messages: the entry carries the Merkle
 * root of its messages' leaves, and an evidence export proves one message by its leaf and the
 * sibling hashes up to that root (an inclusion proof, log2(batch) hashes). The trail then grows
 * by one entry per commit instead of one per message, and the entry is written in the same
 * transaction as the observations it describes.
 *
 * Leaves and nodes are domain-separated (as RFC 6962 does with its 0x00/0x01 prefixes), so a
 * node can never pass for a leaf. An odd node at the end of a level is carried up unchanged.
 * Pure: the SHA-256 function comes in as an argument.
 */
import type { Timestamp } from '../ids';
import type { NewAuditEntry, Sha256Hex } from './audit-chain';

/** What one leaf records of an accepted message: everything the stored observation holds to prove it. */
export interface MessageLeaf {
  device: string;
  seq: number | null;
  /** The payload hash stored with the observation. */
  payloadHash: string;
  trust: string;
  protocol: string;
  receivedAt: string;
}

/** One step of an inclusion proof: the sibling's hash and the side it sits on. */
export interface MerkleStep {
  side: 'L' | 'R';
  hash: string;
}

/** Action of a batch entry (kind `device_message`). */
export const MESSAGE_BATCH_ACTION = 'accepted_batch';

/** The leaf hash of one accepted message. */
export function messageLeafHash(leaf: MessageLeaf, sha256: Sha256Hex): string {
  return sha256(`sealwatch-leaf/1\n${messageLeafJson(leaf)}`);
}

/**
 * The canonical JSON of a leaf (keys sorted, as canonicalJson writes them), written out directly:
 * this runs once per stored message, and the generic sort showed in the ingest profile.
 */
export function messageLeafJson(l: MessageLeaf): string {
  const j = JSON.stringify;
  return `{"device":${j(l.device)},"payloadHash":${j(l.payloadHash)},"protocol":${j(l.protocol)},"receivedAt":${j(l.receivedAt)},"seq":${j(l.seq)},"trust":${j(l.trust)}}`;
}

const node = (left: string, right: string, sha256: Sha256Hex) => sha256(`sealwatch-node/1\n${left}\n${right}`);

/** The Merkle root over leaf hashes, in order. Throws on an empty list (a batch has at least one message). */
export function merkleRoot(leafHashes: readonly string[], sha256: Sha256Hex): string {
  if (!leafHashes.length) throw new Error('a Merkle tree needs at least one leaf');
  let level = leafHashes.slice();
  while (level.length > 1) {
    const up: string[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(i + 1 < level.length ? node(level[i], level[i + 1], sha256) : level[i]);
    level = up;
  }
  return level[0];
}

/** The sibling hashes from leaf `index` to the root (none where the node is carried up alone). */
export function merkleProof(leafHashes: readonly string[], index: number, sha256: Sha256Hex): MerkleStep[] {
  if (index < 0 || index >= leafHashes.length) throw new Error(`leaf ${index} is outside a tree of ${leafHashes.length}`);
  const steps: MerkleStep[] = [];
  let level = leafHashes.slice();
  let at = index;
  while (level.length > 1) {
    const sibling = at % 2 === 0 ? at + 1 : at - 1;
    if (sibling < level.length) steps.push({ side: at % 2 === 0 ? 'R' : 'L', hash: level[sibling] });
    const up: string[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(i + 1 < level.length ? node(level[i], level[i + 1], sha256) : level[i]);
    level = up;
    at = Math.floor(at / 2);
  }
  return steps;
}

/** Recomputes the root from a leaf hash and its proof. */
export function rootFromProof(leafHash: string, steps: readonly MerkleStep[], sha256: Sha256Hex): string {
  return steps.reduce((h, s) => (s.side === 'L' ? node(s.hash, h, sha256) : node(h, s.hash, sha256)), leafHash);
}

/**
 * The audit entry of one committed batch. `firstId`..`lastId` are the observation ids of its
 * messages (leaves in id order; each observation also stores the entry's seq), so an export can
 * rebuild the tree from the store; the entry names no subjects: which devices spoke in a batch is
 * not disclosed to an export's reader, only the root.
 */
export function messageBatchEntry(
  batch: { firstId: number; lastId: number; leafHashes: readonly string[]; transports: readonly string[] },
  time: Timestamp,
  sha256: Sha256Hex,
): NewAuditEntry {
  return {
    kind: 'device_message',
    ref: `batch:${batch.firstId}`,
    time,
    actor: 'devices',
    subjects: [],
    action: MESSAGE_BATCH_ACTION,
    data: {
      count: batch.leafHashes.length,
      merkleRoot: merkleRoot(batch.leafHashes, sha256),
      firstId: batch.firstId,
      lastId: batch.lastId,
      transports: [...new Set(batch.transports)].sort(),
    },
  };
}
