/**
 * Evidence export for one movement: what a court or a partner administration needs to check,
 * offline and without trusting Sealwatch's database, that the movement's recorded history was
 * not altered. It holds
 * - the movement, and the audit entries about it or about its devices while it ran, in full;
 * - the links of the chain from the first of those entries to a signed checkpoint: for every
 *   entry in between only (seq, contentHash, hash), so other parties' data is not disclosed;
 * - the checkpoint, the server's public key that signed it (whose thumbprint the administration
 *   publishes) and every server key with its validity (after `audit rotate-key`);
 * - the devices' observations in that window with their raw frames and, for signed devices,
 *   every public key usable in the window with its validity (a device key may have been rotated
 *   or revoked during the movement), so each message's own signature can be checked too.
 * `scripts/verify-evidence.mjs` checks one such file; docs/audit.md describes the procedure.
 */
import { createHash } from 'node:crypto';
import {
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

export interface Evidence {
  format: 'sealwatch-evidence/1';
  generatedAt: string;
  movement: Movement;
  /** The server key that signed the checkpoint. */
  server: { keyId: string; publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string } };
  /** Every server key, current first, with its validity. */
  serverKeys: PublicServerKey[];
  entries: AuditEntry[];
  chain: { fromSeq: number; prevHash: string; links: { seq: number; contentHash: string; hash: string }[] };
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
    const [entry] = await store.audit.range(s, 1);
    if (entry?.seq !== s) continue;
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
  const candidates = [...direct, ...viaDevices].sort((a, b) => a - b);
  const last = candidates.at(-1) ?? (await store.audit.head())?.seq ?? 0;
  if (last === 0) throw new DomainError('audit_unavailable', 'the audit trail is empty');
  let checkpoint = await store.audit.checkpointAtOrAfter(last);
  if (!checkpoint) {
    await trail.checkpoint();
    checkpoint = await store.audit.checkpointAtOrAfter(last);
  }
  if (!checkpoint) throw new DomainError('audit_unavailable', 'no checkpoint covers the movement yet');
  const serverKeys = await trail.publicKeys();
  const signer = serverKeys.find((k) => k.keyId === checkpoint.keyId);
  if (!signer)
    throw new DomainError(
      'audit_unavailable',
      `checkpoint ${checkpoint.seq} is signed by key ${checkpoint.keyId}, which this server does not know`,
    );

  const wanted = new Set(candidates);
  const entries: AuditEntry[] = [];
  let links: Evidence['chain']['links'] = [];
  for (let next = candidates[0] ?? checkpoint.seq; next <= checkpoint.seq;) {
    const page = await store.audit.range(next, 1000);
    if (!page.length) break;
    for (const e of page) {
      if (e.seq > checkpoint.seq) break;
      links.push({ seq: e.seq, contentHash: e.contentHash, hash: e.hash });
      // Entries about the devices count while the movement ran, or when they record one of its
      // observations (late data arrives after the end); the movement's own entries always.
      if (wanted.has(e.seq) && (direct.has(e.seq) || inWindow(e) || refs.has(e.ref))) entries.push(e);
    }
    next = page[page.length - 1].seq + 1;
    onProgress('chain links', links.length);
  }
  // The proof starts at the first entry exported (the devices' earlier trips are not part of it).
  const fromSeq = entries[0]?.seq ?? checkpoint.seq;
  const start = links.findIndex((l) => l.seq === fromSeq);
  const prevHash = start > 0 ? links[start - 1].hash : (entries[0]?.prevHash ?? (await store.audit.range(fromSeq, 1))[0].prevHash);
  links = links.slice(Math.max(start, 0));

  return {
    format: 'sealwatch-evidence/1',
    generatedAt: toTimestamp(now),
    movement,
    server: { keyId: signer.keyId, publicJwk: signer.publicJwk },
    serverKeys,
    entries,
    chain: { fromSeq, prevHash, links },
    checkpoint,
    devices,
    observations,
  };
}
