/**
 * The tamper-evident audit trail as hash chains. Each entry's content is hashed on its
 * own (`contentHash`), and a chain links those content hashes: hash(n) = H("sealwatch-audit/1",
 * n, hash(n-1), contentHash(n)), n the entry's position in its chain. Splitting content from link
 * lets an evidence export prove a segment of a chain while revealing only the content hashes of
 * other parties' entries.
 *
 * A trail is one or more chains, each written by one writer at a time (embedded: the one chain
 * `main`; a cluster: one per ingest partition, written by the partition's owner, and a few shared
 * ones), so that writers of different chains never wait for each other. A signed checkpoint names
 * every chain's head at once (`auditCheckpointMessage`, version 2): verifying a trail is verifying
 * each chain, and that every checkpoint's heads are in them, none behind an earlier checkpoint's.
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
  /**
   * The entry's number in the trail: unique, and how other records point at it (subjects, an
   * observation's batch entry, an export's inclusion proof). In the chain `main` it equals `pos`
   * (the single chain of embedded mode, and the whole trail before chains).
   */
  seq: number;
  /** The chain it belongs to. */
  chain: string;
  /** Position in its chain, from 1, without gaps: what the link hash binds. */
  pos: number;
  contentHash: string;
  prevHash: string;
  hash: string;
}

/** The previous hash of entry 1 of the chain `main`. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** The chain of embedded mode, and the whole trail as written before there were several chains. */
export const MAIN_CHAIN = 'main';

/** A chain's name: lower-case letters, digits, `:`, `-` (it is written into signed bytes, one per line). */
export const CHAIN_NAME = /^[a-z0-9][a-z0-9:-]{0,63}$/;

/**
 * The previous hash of a chain's first entry: zeros for `main` (as the trail always began), and a
 * hash of the chain's name for every other one, so that no entry can pass from one chain to another.
 */
export function chainGenesis(chain: string, sha256: Sha256Hex): string {
  return chain === MAIN_CHAIN ? AUDIT_GENESIS : sha256(`sealwatch-audit-chain/1\n${chain}`);
}

/** A chain's last entry: its position and link hash. */
export interface ChainHead {
  chain: string;
  pos: number;
  hash: string;
}

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

/** An entry sealed into its chain, before the store gives it its number in the trail (`seq`). */
export type SealedAuditEntry = Omit<AuditEntry, 'seq'>;

/**
 * Appends entries to `chain` after `head` (null for an empty chain), returning them sealed in
 * order. The store numbers them (`seq`).
 */
export function sealAuditEntries(
  head: { pos: number; hash: string } | null,
  entries: NewAuditEntry[],
  sha256: Sha256Hex,
  chain: string = MAIN_CHAIN,
): SealedAuditEntry[] {
  let pos = head?.pos ?? 0;
  let prevHash = head && head.pos > 0 ? head.hash : chainGenesis(chain, sha256);
  return entries.map((e) => {
    pos += 1;
    const contentHash = auditContentHash(e, sha256);
    const hash = auditLinkHash(pos, prevHash, contentHash, sha256);
    const sealed: SealedAuditEntry = { ...e, chain, pos, contentHash, prevHash, hash };
    prevHash = hash;
    return sealed;
  });
}

export type AuditBreak = 'seq_gap' | 'content_altered' | 'prev_hash_mismatch' | 'hash_mismatch' | 'unknown_kind';
export type AuditVerdict =
  { ok: true; last: { pos: number; hash: string } | null } | { ok: false; chain: string; pos: number; problem: AuditBreak; detail: string };

const named = (chain: string, pos: number) => (chain === MAIN_CHAIN ? `entry ${pos}` : `entry ${pos} of chain ${chain}`);

/**
 * Checks consecutive entries of `chain` against the state before them (`after`: the last verified
 * entry, null at the start of the chain). Feed a long chain page by page, passing the last result
 * on. Names the first entry that does not hold: its content was changed, it was moved, or removed.
 */
export function verifyAuditEntries(
  after: { pos: number; hash: string } | null,
  entries: readonly SealedAuditEntry[],
  sha256: Sha256Hex,
  chain: string = MAIN_CHAIN,
): AuditVerdict {
  let last = after;
  const genesis = chainGenesis(chain, sha256);
  for (const e of entries) {
    const expected = (last?.pos ?? 0) + 1;
    if (e.chain !== chain || e.pos !== expected)
      return {
        ok: false,
        chain,
        pos: expected,
        problem: 'seq_gap',
        detail: `${named(chain, expected)} is missing (next stored is ${e.chain === chain ? e.pos : `in chain ${e.chain}`})`,
      };
    if (!auditKinds.includes(e.kind))
      return { ok: false, chain, pos: e.pos, problem: 'unknown_kind', detail: `kind ${String(e.kind)} is not an audit kind` };
    const prev = last?.hash ?? genesis;
    if (e.prevHash !== prev)
      return {
        ok: false,
        chain,
        pos: e.pos,
        problem: 'prev_hash_mismatch',
        detail: `${named(chain, e.pos)} does not link to the one before`,
      };
    if (auditContentHash(e, sha256) !== e.contentHash)
      return {
        ok: false,
        chain,
        pos: e.pos,
        problem: 'content_altered',
        detail: `the content of ${named(chain, e.pos)} differs from what was sealed`,
      };
    if (auditLinkHash(e.pos, prev, e.contentHash, sha256) !== e.hash)
      return { ok: false, chain, pos: e.pos, problem: 'hash_mismatch', detail: `the chain hash of ${named(chain, e.pos)} is wrong` };
    last = { pos: e.pos, hash: e.hash };
  }
  return { ok: true, last };
}

/**
 * A signed statement by the server of the trail's heads at `time`. Version 1 (written before there
 * were several chains) names the one chain's head; version 2 names every chain's head.
 */
export interface AuditCheckpointBody {
  version: 1 | 2;
  time: Timestamp;
  /** Ascending by chain name; version 1: exactly one, of chain `main`. */
  heads: ChainHead[];
}

/** The bytes a server signs to vouch for the trail's heads (an audit checkpoint). */
export function auditCheckpointMessage(cp: AuditCheckpointBody): string {
  if (cp.version === 1) {
    const [h] = cp.heads;
    return `sealwatch-audit-checkpoint/1\n${h.pos}\n${h.hash}\n${cp.time}`;
  }
  return `sealwatch-audit-checkpoint/2\n${cp.time}\n${cp.heads.map((h) => `${h.chain} ${h.pos} ${h.hash}\n`).join('')}`;
}

/** Whether a checkpoint vouches for every given position (each chain's head at or past it). */
export function checkpointCovers(cp: { heads: readonly ChainHead[] }, need: readonly { chain: string; pos: number }[]): boolean {
  return need.every((n) => cp.heads.some((h) => h.chain === n.chain && h.pos >= n.pos));
}

/**
 * Checkpoints in the order they were signed: each must name every chain an earlier one named, at
 * the same position or further (a chain truncated, or rewound and written again, after a
 * checkpoint shows here even where its entries still link up). Returns the first one that does not.
 */
export function checkpointRegression(
  checkpoints: readonly { heads: readonly ChainHead[] }[],
): { index: number; chain: string; was: number; now: number | null } | null {
  const seen = new Map<string, number>();
  for (let i = 0; i < checkpoints.length; i++) {
    const now = new Map(checkpoints[i].heads.map((h) => [h.chain, h.pos]));
    for (const [chain, was] of seen) {
      const at = now.get(chain);
      if (at === undefined || at < was) return { index: i, chain, was, now: at ?? null };
    }
    for (const [chain, pos] of now) seen.set(chain, pos);
  }
  return null;
}
