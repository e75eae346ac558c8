/**
 * Native protocol v1 ingest (DESIGN §5): every rule of the contract, one result per message,
 * in order, for both forms of a message (JWS text, COSE bytes: envelope.ts). Rejected messages are quarantined with reason and raw bytes before the answer;
 * "accepted" is answered only after the transaction holding the observation has committed.
 */
import { createHash } from 'node:crypto';
import {
  judgeMessageTime, parseNativePayload, toTimestamp, vendorAttributes,
  type DeviceId, type NewObservation, type RejectReason, type Trust,
} from '@sealwatch/core';
import type { NewAuditEntry } from '@sealwatch/core';
import { messageEntry, rejectionEntry } from '../audit/audit-entries';
import type { QuarantineStore } from '../storage/ports';
import type { DeviceDirectory } from './device-directory';
import type { IngestLog } from './ingest-log';
import { openEnvelope, rawBytes, readPayload, type Envelope, type RawMessage } from './envelope';
import { IngestOverloadedError } from './group-commit';
import type { Unwrapped } from './payload-decryption';
import type { SignatureVerifier, VerifyJob } from './signature-verifier';
import { candidateKeys, judgeCandidates, type IngestKey } from './key-selection';
import { forgedReasons, type ForgedMessage } from '../processing/forged-messages';

export type IngestStatus = 'accepted' | 'duplicate' | 'rejected';
export interface IngestResult {
  device: string | null;
  seq: number | null;
  status: IngestStatus;
  reason?: RejectReason;
  detail?: string;
}
export interface IngestContext {
  transport: string;
  remote: string | null;
}
export interface SeqConflict {
  device: DeviceId;
  seq: number;
  existingHash: string;
  hash: string;
  time: string;
}

/** Largest accepted message, bytes. A native message is a few hundred bytes; readers' batches more. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

interface Deps {
  devices: DeviceDirectory;
  verifier: SignatureVerifier;
  log: IngestLog;
  quarantine: QuarantineStore;
  now: () => number;
  rules: { maxClockSkewMs: number; lateAfterMs: number };
  /** Counts one answer (for /metrics). */
  count: (status: IngestStatus, reason?: RejectReason) => void;
  /** A (device, seq) pair reused with other content: a security event. */
  onSeqConflict: (c: SeqConflict) => Promise<void>;
  /** A dependency failed during ingest (logged; the sender is told to retry). */
  onFailure?: (e: Error) => void;
  /** Records the answers in the audit trail before they are given (absent: no trail, unit tests). */
  audit?: (entries: NewAuditEntry[]) => Promise<void>;
  /** A forgery attempt against a registered device was rejected (forged-messages.ts): a security event. */
  onForged?: (f: ForgedMessage) => Promise<void>;
  /** Takes payload encryption (JWE, COSE_Encrypt0) off a message (payload-decryption.ts); absent: none accepted. */
  unwrap?: (raw: RawMessage) => Promise<Unwrapped>;
}

type Pending =
  | { kind: 'rejected'; result: IngestResult }
  | { kind: 'verify'; raw: RawMessage; device: string; keys: IngestKey[]; trust: Trust; envelope: Envelope }
  | { kind: 'valid'; observation: NewObservation };

export class IngestService {
  constructor(private readonly deps: Deps) {}

  /**
   * Ingests a batch of raw messages. Throws IngestOverloadedError when commits are backed up or
   * a dependency (store, log) fails: nothing of the batch was acknowledged, so the sender retries.
   */
  async ingest(messages: RawMessage[], ctx: IngestContext): Promise<IngestResult[]> {
    try {
      return await this.ingestOnce(messages, ctx);
    } catch (e) {
      if (e instanceof IngestOverloadedError) throw e;
      this.deps.onFailure?.(e as Error);
      throw new IngestOverloadedError(2, e as Error);
    }
  }

  private async ingestOnce(received: RawMessage[], ctx: IngestContext): Promise<IngestResult[]> {
    const receivedMs = this.deps.now();
    // Encryption comes off first; every rule below sees the inner signed message (and quarantines
    // it as raw bytes), or the message as received when it does not decrypt.
    const opened = await Promise.all(received.map((raw) => this.deps.unwrap?.(raw) ?? { ok: true as const, raw }));
    const messages = opened.map((o, i) => (o.ok ? o.raw : received[i]));
    const stage: Pending[] = await Promise.all(opened.map((o) => (o.ok ? this.inspect(o.raw) : reject(o.device, null, o.reason, o.detail))));

    await this.verifyAll(stage, receivedMs);

    const valid = stage.flatMap((s, i) => (s.kind === 'valid' ? [i] : []));
    const outcomes = await this.deps.log.append(valid.map((i) => (stage[i] as Extract<Pending, { kind: 'valid' }>).observation));
    const conflicts: SeqConflict[] = [];
    const audit: NewAuditEntry[] = [];
    valid.forEach((i, n) => {
      const { observation: o } = stage[i] as Extract<Pending, { kind: 'valid' }>;
      const out = outcomes[n];
      if (out.status !== 'conflict') audit.push(messageEntry({ ...o, transport: ctx.transport }));
      if (out.status === 'conflict') {
        conflicts.push({ device: o.device, seq: o.seq!, existingHash: out.existingHash, hash: o.hash, time: o.time });
        stage[i] = reject(o.device, o.seq, 'seq_conflict', `seq ${o.seq} was already received with different content`);
      } else {
        stage[i] = { kind: 'rejected', result: { device: o.device, seq: o.seq, status: out.status === 'inserted' ? 'accepted' : 'duplicate' } };
      }
    });

    const rejectedAt = stage.flatMap((s, i) => (s.kind === 'rejected' && s.result.status === 'rejected' ? [i] : []));
    if (rejectedAt.length) {
      const receivedAt = toTimestamp(receivedMs);
      const ids = await this.deps.quarantine.add(
        rejectedAt.map((i) => {
          const r = (stage[i] as Extract<Pending, { kind: 'rejected' }>).result;
          return { receivedAt, transport: ctx.transport, remote: ctx.remote, reason: r.reason!, detail: r.detail ?? '', device: r.device, seq: r.seq, raw: rawBytes(messages[i]).toString('base64') };
        }),
      );
      rejectedAt.forEach((i, n) => {
        const r = (stage[i] as Extract<Pending, { kind: 'rejected' }>).result;
        audit.push(rejectionEntry({ quarantineId: ids[n], device: r.device, reason: r.reason!, raw: rawBytes(messages[i]), transport: ctx.transport, receivedAt }));
      });
      // Device key lifecycle (issue 6): forgery attempts against a registered device are security events.
      for (const [n, i] of rejectedAt.entries()) {
        const r = (stage[i] as Extract<Pending, { kind: 'rejected' }>).result;
        if (r.device && forgedReasons.has(r.reason!)) await this.deps.onForged?.({ device: r.device as DeviceId, reason: r.reason!, seq: r.seq, quarantineId: ids[n] });
      }
    }
    for (const c of conflicts) await this.deps.onSeqConflict(c);
    await this.deps.audit?.(audit);

    const results = stage.map((s) => (s as Extract<Pending, { kind: 'rejected' }>).result);
    for (const r of results) this.deps.count(r.status, r.reason);
    return results;
  }

  /** Structure, header and device checks: everything before the signature. */
  private async inspect(raw: RawMessage): Promise<Pending> {
    const size = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
    if (size > MAX_MESSAGE_BYTES) return reject(null, null, 'too_large', `message exceeds ${MAX_MESSAGE_BYTES} bytes`);
    const opened = openEnvelope(raw);
    if (!opened.ok) return reject(null, null, opened.reason, opened.detail);
    const envelope = opened.envelope;
    const { kid } = envelope;
    const known = await this.deps.devices.get(kid);
    if (!known) return reject(kid, null, 'unknown_device', `no device is registered with id ${kid}`);
    if (!known.keys.length) return reject(kid, null, 'no_device_key', `device ${kid} has no native-protocol key registered`);
    // The registered keys fix the algorithm, whatever the header claims (no alg:none, no HS/ES confusion).
    if (!known.keys.some((k) => k.key.alg === envelope.alg)) {
      return reject(kid, null, 'algorithm_not_allowed', `device ${kid} signs with ${[...new Set(known.keys.map((k) => k.key.alg))].join(', ')}; header says ${envelope.alg}`);
    }
    return { kind: 'verify', raw, device: kid, keys: known.keys, trust: envelope.alg === 'HS256' ? 'hmac' : 'signed', envelope };
  }

  /**
   * Signatures of the whole batch at once. `kid` names the device, not a key (DESIGN §5), so a
   * message is tried with each candidate key of its device (key-selection.ts; one in the usual
   * case, two or three during a rotation); the first that verifies decides.
   */
  private async verifyAll(stage: Pending[], receivedMs: number): Promise<void> {
    const toVerify = stage.flatMap((s, i) => (s.kind === 'verify' ? [i] : []));
    const plans = toVerify.map((i) => {
      const s = stage[i] as Extract<Pending, { kind: 'verify' }>;
      return candidateKeys(s.keys, s.envelope.alg, receivedMs) ?? [];
    });
    const jobs: VerifyJob[] = plans.flatMap((plan, n) => {
      const { envelope } = stage[toVerify[n]] as Extract<Pending, { kind: 'verify' }>;
      return plan.map((c) => ({ key: c.key.key, keyId: c.key.cacheId, signingInput: envelope.signingInput, signature: envelope.signature }));
    });
    const verdicts = await this.deps.verifier.verifyMany(jobs);
    let at = 0;
    toVerify.forEach((i, n) => {
      const s = stage[i] as Extract<Pending, { kind: 'verify' }>;
      const { outcome, key } = judgeCandidates(plans[n], verdicts.slice(at, (at += plans[n].length)));
      if (outcome === 'accept') stage[i] = this.validate(s, receivedMs);
      else if (outcome === 'bad_signature') stage[i] = reject(s.device, null, 'bad_signature', `signature does not verify with any usable key registered for ${s.device}`);
      else if (outcome === 'key_revoked') stage[i] = reject(s.device, null, 'key_revoked', `signed with key ${key!.keyId} of ${s.device}, which is revoked`);
      else stage[i] = reject(s.device, null, 'key_expired', `signed with key ${key!.keyId} of ${s.device}, whose overlap ended ${new Date(key!.validUntilMs!).toISOString()}`);
    });
  }

  /** Payload checks, after the signature proved who sent it. */
  private validate(s: Extract<Pending, { kind: 'verify' }>, receivedMs: number): Pending {
    const read = readPayload(s.envelope);
    if (!read.ok) return reject(s.device, null, 'invalid_payload', read.detail);
    const value = read.value;
    const r = parseNativePayload(value);
    if (!r.ok) {
      const seq = typeof (value as { seq?: unknown })?.seq === 'number' ? (value as { seq: number }).seq : null;
      return reject(s.device, seq, 'invalid_payload', r.detail);
    }
    const p = r.payload;
    if (p.device !== s.device) return reject(s.device, p.seq, 'kid_mismatch', `payload device ${p.device} differs from header kid ${s.device}`);
    const timeMs = Date.parse(p.time);
    const verdict = judgeMessageTime(timeMs, receivedMs, this.deps.rules.maxClockSkewMs, this.deps.rules.lateAfterMs);
    if (verdict === 'clock_skew') return reject(s.device, p.seq, 'clock_skew', `time ${p.time} is more than ${this.deps.rules.maxClockSkewMs / 1000} s ahead of the server clock`);
    const observation: NewObservation = {
      device: p.device as DeviceId,
      seq: p.seq,
      time: toTimestamp(timeMs),
      receivedAt: toTimestamp(receivedMs),
      late: verdict === 'late',
      position: p.position ?? null,
      seal: p.seal ?? null,
      door: p.door ?? null,
      sensors: p.sensors ?? null,
      battery: p.battery ?? null,
      reads: p.reads ?? null,
      attributes: vendorAttributes(p as Record<string, unknown>),
      trust: s.trust,
      // The two forms are told apart (the evidence verifier re-checks JWS signatures from `raw`).
      protocol: s.envelope.form === 'jws' ? 'native' : 'native-cose',
      // Identity of the content: the signed payload bytes, not the whole JWS. ES256 signatures are
      // randomised, so a device that re-signs a resend would otherwise turn a duplicate into a conflict.
      hash: createHash('sha256').update(s.envelope.payloadBytes).digest('base64url'),
      raw: typeof s.raw === 'string' ? s.raw.trim() : Buffer.from(s.raw).toString('base64'),
    };
    return { kind: 'valid', observation };
  }
}

function reject(device: string | null, seq: number | null, reason: RejectReason, detail: string): Pending {
  return { kind: 'rejected', result: { device, seq, status: 'rejected', reason, detail } };
}
