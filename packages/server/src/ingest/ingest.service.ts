/**
 * Native protocol v1 ingest (DESIGN §5): the identity rules of the contract for both forms of a
 * message (JWS text, COSE bytes: envelope.ts): size, structure, registered device and algorithm,
 * signature, payload schema, kid = payload device. What passes, and what is refused, then goes
 * through admission (admission.ts: time rule, durable append, quarantine, audit, counts), which
 * answers once per message, in order; "accepted" only after the observation has committed.
 */
import { createHash } from 'node:crypto';
import { parseNativePayload, vendorAttributes, type DeviceId, type RejectReason, type Trust } from '@sealwatch/core';
import type { DeviceDirectory } from './device-directory';
import { MAX_MESSAGE_BYTES, openEnvelope, rawBytes, readPayload, type Envelope, type RawMessage } from './envelope';
import type { Unwrapped } from './payload-decryption';
import type { ObservationKey } from '../storage/ports';
import type { SignatureVerifier, VerifyJob } from './signature-verifier';
import { candidateKeys, judgeCandidates, type IngestKey } from './key-selection';
import { answerOrRetry, refused, type Admission, type Checked, type IngestContext, type IngestResult, type Reading } from './admission';

export type { IngestContext, IngestResult, IngestStatus, SeqConflict } from './admission';
export { MAX_MESSAGE_BYTES } from './envelope';

interface Deps {
  devices: DeviceDirectory;
  verifier: SignatureVerifier;
  admission: Admission;
  now: () => number;
  /** A dependency failed during ingest (logged; the sender is told to retry). */
  onFailure?: (e: Error) => void;
  /** Takes payload encryption (JWE, COSE_Encrypt0) off a message (payload-decryption.ts); absent: none accepted. */
  unwrap?: (raw: RawMessage) => Promise<Unwrapped>;
  /** The stored (device, seq) keys among these, with their content hash (the observation store's findKeys). */
  storedKeys?: (keys: { device: DeviceId; seq: number }[]) => Promise<ObservationKey[]>;
}

/** A message on its way through the identity rules: refused, waiting for its signature, or read. */
type Pending =
  | { kind: 'refused'; device: string | null; seq: number | null; reason: RejectReason; detail: string }
  | { kind: 'verify'; raw: RawMessage; device: string; keys: IngestKey[]; trust: Trust; envelope: Envelope }
  | { kind: 'reading'; reading: Reading }
  /** Signed by the device's key that has since been revoked or expired: a duplicate if stored, else refused. */
  | { kind: 'stale'; reading: Reading; reason: 'key_revoked' | 'key_expired'; detail: string };

export class IngestService {
  constructor(private readonly deps: Deps) {}

  /**
   * Ingests a batch of raw messages. Throws IngestOverloadedError when commits are backed up or
   * a dependency (store, log) fails: nothing of the batch was acknowledged, so the sender retries.
   */
  ingest(messages: RawMessage[], ctx: IngestContext): Promise<IngestResult[]> {
    return answerOrRetry(() => this.ingestOnce(messages, ctx), this.deps.onFailure);
  }

  private async ingestOnce(received: RawMessage[], ctx: IngestContext): Promise<IngestResult[]> {
    const receivedMs = this.deps.now();
    // Encryption comes off first; every rule below sees the inner signed message (and quarantines
    // it as raw bytes), or the message as received when it does not decrypt.
    const opened = await Promise.all(received.map((raw) => this.deps.unwrap?.(raw) ?? { ok: true as const, raw }));
    const messages = opened.map((o, i) => (o.ok ? o.raw : received[i]));
    const stage: Pending[] = await Promise.all(
      opened.map((o) => (o.ok ? this.inspect(o.raw, ctx) : reject(o.device, null, o.reason, o.detail))),
    );

    await this.verifyAll(stage, receivedMs);
    const stored = await this.storedOf(stage);

    const checked = stage.map((s, i): Checked => {
      const evidence = rawBytes(messages[i]);
      if (s.kind === 'reading') return { kind: 'reading', reading: s.reading, evidence };
      if (s.kind === 'refused') return refused(s.device, s.seq, s.reason, s.detail, evidence);
      if (s.kind === 'stale') {
        // A replay of a message stored while its key was valid is that message again: a duplicate,
        // as before the revocation. It proves nothing about its sender, so it raises nothing.
        const { device, seq, hash } = s.reading;
        if (seq !== null && stored.get(`${device}\u0000${seq}`) === hash) return { kind: 'duplicate', device, seq, evidence };
        return refused(device, seq, s.reason, s.detail, evidence);
      }
      throw new Error('a message left the identity rules unjudged');
    });
    return this.deps.admission.admit(checked, receivedMs, ctx);
  }

  /** The stored content hash of each (device, seq) that a stale-key message names. */
  private async storedOf(stage: Pending[]): Promise<Map<string, string>> {
    const keys = stage.flatMap((s) =>
      s.kind === 'stale' && s.reading.seq !== null ? [{ device: s.reading.device, seq: s.reading.seq }] : [],
    );
    if (!keys.length || !this.deps.storedKeys) return new Map();
    return new Map((await this.deps.storedKeys(keys)).map((k) => [`${k.device}\u0000${k.seq}`, k.hash]));
  }

  /** Structure, header and device checks: everything before the signature. */
  private async inspect(raw: RawMessage, ctx: IngestContext): Promise<Pending> {
    const size = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
    if (size > MAX_MESSAGE_BYTES) return reject(null, null, 'too_large', `message exceeds ${MAX_MESSAGE_BYTES} bytes`);
    const opened = openEnvelope(raw);
    if (!opened.ok) return reject(null, null, opened.reason, opened.detail);
    const envelope = opened.envelope;
    const { kid } = envelope;
    if (ctx.device !== undefined && ctx.device !== kid)
      return reject(null, null, 'kid_mismatch', `published for device ${ctx.device}, but the message's kid is ${kid}`);
    const known = await this.deps.devices.get(kid);
    if (!known) return reject(kid, null, 'unknown_device', `no device is registered with id ${kid}`);
    if (!known.keys.length) return reject(kid, null, 'no_device_key', `device ${kid} has no native-protocol key registered`);
    // The registered keys fix the algorithm, whatever the header claims (no alg:none, no HS/ES confusion).
    if (!known.keys.some((k) => k.key.alg === envelope.alg)) {
      return reject(
        kid,
        null,
        'algorithm_not_allowed',
        `device ${kid} signs with ${[...new Set(known.keys.map((k) => k.key.alg))].join(', ')}; header says ${envelope.alg}`,
      );
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
      return plan.map((c) => ({
        key: c.key.key,
        keyId: c.key.cacheId,
        signingInput: envelope.signingInput,
        signature: envelope.signature,
      }));
    });
    const verdicts = await this.deps.verifier.verifyMany(jobs);
    let at = 0;
    toVerify.forEach((i, n) => {
      const s = stage[i] as Extract<Pending, { kind: 'verify' }>;
      const { outcome, key } = judgeCandidates(plans[n], verdicts.slice(at, (at += plans[n].length)));
      if (outcome === 'accept') stage[i] = read(s);
      else if (outcome === 'bad_signature')
        stage[i] = reject(s.device, null, 'bad_signature', `signature does not verify with any usable key registered for ${s.device}`);
      else {
        const detail =
          outcome === 'key_revoked'
            ? `signed with key ${key!.keyId} of ${s.device}, which is revoked`
            : `signed with key ${key!.keyId} of ${s.device}, whose overlap ended ${new Date(key!.validUntilMs!).toISOString()}`;
        // The key did sign it: read it, to tell a replay of a stored message from a new one.
        const opened = read(s);
        stage[i] =
          opened.kind === 'reading'
            ? { kind: 'stale', reading: opened.reading, reason: outcome, detail }
            : reject(s.device, null, outcome, detail);
      }
    });
  }
}

/** Payload checks, after the signature proved who sent it; the time rule is admission's. */
function read(s: Extract<Pending, { kind: 'verify' }>): Pending {
  const payload = readPayload(s.envelope);
  if (!payload.ok) return reject(s.device, null, 'invalid_payload', payload.detail);
  const value = payload.value;
  const r = parseNativePayload(value);
  if (!r.ok) {
    const seq = typeof (value as { seq?: unknown })?.seq === 'number' ? (value as { seq: number }).seq : null;
    return reject(s.device, seq, 'invalid_payload', r.detail);
  }
  const p = r.payload;
  if (p.device !== s.device)
    return reject(s.device, p.seq, 'kid_mismatch', `payload device ${p.device} differs from header kid ${s.device}`);
  const reading: Reading = {
    device: p.device as DeviceId,
    seq: p.seq,
    time: p.time,
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
  return { kind: 'reading', reading };
}

function reject(device: string | null, seq: number | null, reason: RejectReason, detail: string): Pending {
  return { kind: 'refused', device, seq, reason, detail };
}
