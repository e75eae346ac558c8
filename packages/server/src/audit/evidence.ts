/**
 * Evidence export for one movement: what a court or a partner administration needs to check,
 * offline and without trusting Sealwatch's database, that the movement's recorded history was
 * not altered. It holds
 * - the movement, and the audit entries about it or about its devices while it ran, in full;
 * - for each chain holding some of those entries, its links from the first of them to the head a
 *   signed checkpoint names: for every entry in between only (pos, seq, contentHash, hash), so
 *   other parties' data is not disclosed; the checkpoint names every chain's head, so one
 *   signature covers all the segments;
 * - the checkpoint, the server's public key that signed it (whose thumbprint the administration
 *   publishes) and every server key with its validity (after `audit rotate-key`);
 * - the devices' observations in that window with their raw frames and, for signed devices,
 *   every public key usable in the window with its validity (a device key may have been rotated
 *   or revoked during the movement), so each message's own signature can be checked too.
 * `scripts/verify-evidence.mjs` checks one such file; docs/audit.md describes the procedure.
 */
import { createHash } from 'node:crypto';
import {
  checkpointCovers,
  DomainError,
  merkleProof,
  messageLeafHash,
  toTimestamp,
  type AuditEntry,
  type MerkleStep,
  type Movement,
  type MovementId,
  type Observation,
} from '@sealwatch/core';
import type { AuditCheckpoint, Store } from '../storage/ports';
import type { AuditTrail } from './audit-trail';
import type { PublicServerKey } from './server-key';

/** One chain's segment: its links from the first exported entry of that chain to the checkpoint's head. */
export interface EvidenceChain {
  chain: string;
  fromPos: number;
  /** The link hash before `fromPos` (the chain's genesis hash when it is 1). */
  prevHash: string;
  links: { pos: number; seq: number; contentHash: string; hash: string }[];
}

export interface Evidence {
  /** Version 2: chain segments (`chains`) and a checkpoint naming every chain's head. */
  format: 'sealwatch-evidence/2';
  generatedAt: string;
  movement: Movement;
  /** The server key that signed the checkpoint. */
  server: { keyId: string; publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string } };
  /** Every server key, current first, with its validity. */
  serverKeys: PublicServerKey[];
  entries: AuditEntry[];
  chains: EvidenceChain[];
  checkpoint: AuditCheckpoint;
  /**
   * `key`: the device's newest active public key (as in sealwatch-evidence/1 before key rotation);
   * `keys`: every EdDSA/ES256 key usable at some time in the window, with its validity.
   */
  devices: { id: string; protocol: string; key: { alg: string; jwk: unknown } | null; keys: EvidenceDeviceKey[] }[];
  observations: (Pick<Observation, 'id' | 'device' | 'seq' | 'time' | 'receivedAt' | 'trust' | 'protocol' | 'hash' | 'raw'> & {
    /**
     * For a message recorded in a batch entry (`accepted_batch`): that entry's seq and the sibling
     * hashes from the message's leaf to the entry's Merkle root. Absent: the message has its own
     * `msg:` entry (trails written before batch entries, and cluster mode).
     */
    proof?: { entry: number; steps: MerkleStep[] };
  })[];
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Inclusion proofs for the observations recorded by batch entries; returns those entries' seqs. */
async function proveInBatches(store: Pick<Store, 'audit' | 'observations'>, observations: Evidence['observations']): Promise<Set<number>> {
  const seqs = (await store.observations.auditSeqs?.(observations.map((o) => o.id))) ?? new Map<number, number>();
  const batches = new Set(seqs.values());
  for (const s of batches) {
    const [entry] = await store.audit.bySeqs([s]);
    if (!entry) continue;
    const { firstId, lastId } = entry.data as { firstId: number; lastId: number };
    const rows = (await store.observations.auditBatch?.(s, firstId, lastId)) ?? [];
    const leaves = rows.map((o) =>
      messageLeafHash(
        { device: o.device, seq: o.seq ?? null, payloadHash: o.hash, trust: o.trust, protocol: o.protocol, receivedAt: o.receivedAt },
        sha256,
      ),
    );
    const at = new Map(rows.map((o, i) => [o.id, i]));
    for (const o of observations) {
      const i = at.get(o.id);
      if (seqs.get(o.id) === s && i !== undefined) o.proof = { entry: s, steps: merkleProof(leaves, i, sha256) };
    }
  }
  return batches;
}

/** A device's public key in an export, with when it was accepted (receipt time, server clock). */
export interface EvidenceDeviceKey {
  keyId: string;
  alg: string;
  jwk: unknown;
  status: string;
  validFrom: string;
  validUntil: string | null;
  revokedAt: string | null;
}

/** Builds the export; signs a fresh checkpoint first when none covers the movement's last entry yet. */
export async function buildEvidence(
  store: Pick<Store, 'audit' | 'deviceKeys' | 'devices' | 'movements' | 'observations'>,
  trail: AuditTrail,
  id: MovementId,
  now: number,
  onProgress: (what: string, n: number) => void = () => {},
): Promise<Evidence> {
  const movement = await store.movements.get(id);
  if (!movement) throw new DomainError('unknown_movement', `no movement with id ${id}`);
  const from = movement.createdAt;
  const to = movement.endedAt ?? toTimestamp(now);
  const inWindow = (e: AuditEntry) => e.time >= from && e.time <= to;

  const devices: Evidence['devices'] = [];
  const observations: Evidence['observations'] = [];
  for (const d of movement.devices) {
    const device = await store.devices.get(d);
    // HS256 secrets are never exported: those messages are checked against the trail only.
    const key = device?.key && device.key.alg !== 'HS256' ? { alg: device.key.alg, jwk: (device.key as { jwk: unknown }).jwk } : null;
    let cursor: string | null = null;
    let lastReceived: string = to;
    do {
      const page = await store.observations.listByDevice(d, { from, to, order: 'asc' }, { limit: 1000, cursor });
      for (const o of page.items) {
        observations.push({
          id: o.id,
          device: o.device,
          seq: o.seq,
          time: o.time,
          receivedAt: o.receivedAt,
          trust: o.trust,
          protocol: o.protocol,
          hash: o.hash,
          raw: o.raw,
        });
        if (o.receivedAt > lastReceived) lastReceived = o.receivedAt;
      }
      cursor = page.nextCursor;
      onProgress('observations', observations.length);
    } while (cursor);
    // Validity is judged at receipt: every public key usable at some time from the movement's
    // start to the last receipt of its observations (late data included).
    const keys: EvidenceDeviceKey[] = (await store.deviceKeys.list(d))
      .filter((k) => k.alg !== 'HS256' && k.jwk)
      .filter(
        (k) =>
          k.validFrom <= lastReceived && (k.validUntil === null || k.validUntil > from) && (k.revokedAt === null || k.revokedAt > from),
      )
      .map((k) => ({
        keyId: k.keyId,
        alg: k.alg,
        jwk: k.jwk,
        status: k.status,
        validFrom: k.validFrom,
        validUntil: k.validUntil,
        revokedAt: k.revokedAt,
      }));
    devices.push({ id: d, protocol: device?.protocol ?? 'unknown', key, keys });
  }

  const refs = new Set(observations.map((o) => `msg:${o.device}:${o.seq ?? '-'}:${o.hash}`));
  const batches = await proveInBatches(store, observations);
  const direct = new Set([...(await store.audit.seqsBySubject(movement.id)), ...batches]);
  const viaDevices = new Set<number>();
  for (const d of movement.devices) for (const seq of await store.audit.seqsBySubject(d)) if (!direct.has(seq)) viaDevices.add(seq);
  // Entries about the devices count while the movement ran, or when they record one of its
  // observations (late data arrives after the end); the movement's own entries always.
  const entries: AuditEntry[] = [];
  const candidates = [...direct, ...viaDevices];
  for (let i = 0; i < candidates.length; i += 1000)
    for (const e of await store.audit.bySeqs(candidates.slice(i, i + 1000)))
      if (direct.has(e.seq) || inWindow(e) || refs.has(e.ref)) entries.push(e);
  entries.sort((a, b) => a.seq - b.seq);
  onProgress('entries', entries.length);
  if (!(await store.audit.heads()).length) throw new DomainError('audit_unavailable', 'the audit trail is empty');

  // The first checkpoint naming, for every chain the exported entries are in, a head at or past
  // the last of them (one is signed now if none does yet).
  const firstPos = new Map<string, number>();
  const lastPos = new Map<string, number>();
  for (const e of entries) {
    firstPos.set(e.chain, Math.min(firstPos.get(e.chain) ?? e.pos, e.pos));
    lastPos.set(e.chain, Math.max(lastPos.get(e.chain) ?? e.pos, e.pos));
  }
  const need = [...lastPos].map(([chain, pos]) => ({ chain, pos }));
  const covering = async () => {
    const all = await store.audit.checkpoints();
    return need.length ? all.find((c) => checkpointCovers(c, need)) : all.at(-1);
  };
  let checkpoint = await covering();
  if (!checkpoint) {
    await trail.checkpoint();
    checkpoint = await covering();
  }
  if (!checkpoint) throw new DomainError('audit_unavailable', 'no checkpoint covers the movement yet');
  const serverKeys = await trail.publicKeys();
  const signer = serverKeys.find((k) => k.keyId === checkpoint.keyId);
  if (!signer)
    throw new DomainError(
      'audit_unavailable',
      `the checkpoint of ${checkpoint.time} is signed by key ${checkpoint.keyId}, which this server does not know`,
    );

  // Each chain's segment starts at the first entry exported from it (the devices' earlier trips are not part of it).
  const chains: EvidenceChain[] = [];
  for (const [chain, fromPos] of [...firstPos].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const head = checkpoint.heads.find((h) => h.chain === chain)!;
    const links: EvidenceChain['links'] = [];
    let prevHash = '';
    for (let next = fromPos; next <= head.pos;) {
      const page = await store.audit.chainRange(chain, next, 1000);
      if (!page.length) break;
      if (next === fromPos) prevHash = page[0].prevHash;
      for (const e of page) if (e.pos <= head.pos) links.push({ pos: e.pos, seq: e.seq, contentHash: e.contentHash, hash: e.hash });
      next = page[page.length - 1].pos + 1;
      onProgress('chain links', links.length);
    }
    chains.push({ chain, fromPos, prevHash, links });
  }

  return {
    format: 'sealwatch-evidence/2',
    generatedAt: toTimestamp(now),
    movement,
    server: { keyId: signer.keyId, publicJwk: signer.publicJwk },
    serverKeys,
    entries,
    chains,
    checkpoint,
    devices,
    observations,
  };
}
