/**
 * Admission: the one step every device message takes after its own identity check (the signature
 * of a native message, ingest.service.ts; the registered device and protocol of a decoded vendor
 * frame, vendor-ingest.ts). It applies the time rule (clock skew, late), appends the readings to
 * the durable ingest log, quarantines what was refused with its reason and raw bytes, records the
 * security events (forgery attempts, seq conflicts), writes the audit trail and counts the answers;
 * then, and only then, the answers are given (DESIGN §5), one per message, in order.
 */
import { judgeMessageTime, toTimestamp, type DeviceId, type NewAuditEntry, type NewObservation, type RejectReason } from '@sealwatch/core';
import { messageEntry, rejectionEntry } from '../audit/audit-entries';
import { forgedReasons, type ForgedMessage } from '../processing/forged-messages';
import type { QuarantineStore } from '../storage/ports';
import { IngestOverloadedError } from './group-commit';
import type { IngestLog } from './ingest-log';
import type { QuarantineBudget } from './quarantine-budget';
import { DependencyUnavailableError, isStoreUnavailable } from './unavailable';

export type IngestStatus = 'accepted' | 'duplicate' | 'rejected';
export interface IngestResult {
  device: string | null;
  seq: number | null;
  status: IngestStatus;
  reason?: RejectReason;
  detail?: string;
}
/** Where a message came from: the transport's name and the sender's address, when known. */
export interface IngestContext {
  transport: string;
  remote: string | null;
  /**
   * The device the transport itself names (the MQTT topic): a message whose kid names another
   * device is refused (kid_mismatch) before its signature is tried, and attributed to no device, so
   * a captured message published on another device's topic raises no alert on either device.
   */
  device?: string;
  /**
   * The organisation of the HTTP integration that posted it: only that organisation's own devices
   * are taken, others refused as not_integration_device. Absent: any device (signed device ingest,
   * listeners, and the platform's integrations).
   */
  feeder?: string;
}
/** A (device, seq) pair reused with other content: a security event. */
export interface SeqConflict {
  device: DeviceId;
  seq: number;
  existingHash: string;
  hash: string;
  time: string;
}

/**
 * A reading whose sender is established: an observation without the receipt facts admission adds.
 * `time` is the time the device claims (ISO 8601); null when the frame carries none, and then the
 * receipt time is used and the reading marked `timeFromServer`.
 */
export type Reading = Omit<NewObservation, 'time' | 'receivedAt' | 'late'> & { time: string | null };

/** One message after its identity check; `evidence` is the bytes quarantined if it is refused. */
export type Checked =
  | { kind: 'refused'; device: string | null; seq: number | null; reason: RejectReason; detail: string; evidence: Buffer }
  | { kind: 'reading'; reading: Reading; evidence: Buffer }
  /** A message already stored (found before admission, e.g. signed under a key revoked since): answered duplicate, nothing stored. */
  | { kind: 'duplicate'; device: string; seq: number; evidence: Buffer };

export function refused(device: string | null, seq: number | null, reason: RejectReason, detail: string, evidence: Buffer): Checked {
  return { kind: 'refused', device, seq, reason, detail, evidence };
}

export interface AdmissionDeps {
  log: IngestLog;
  quarantine: Pick<QuarantineStore, 'add'>;
  rules: { maxClockSkewMs: number; lateAfterMs: number };
  /** Counts one answer (for /metrics). */
  count: (status: IngestStatus, reason?: RejectReason) => void;
  /** Records the answers in the audit trail before they are given (absent: no trail, unit tests). */
  audit?: (entries: NewAuditEntry[]) => Promise<void>;
  /** A (device, seq) pair reused with other content (processing/security-events.ts). */
  onSeqConflict?: (c: SeqConflict) => Promise<void>;
  /** A refusal that means someone tried to speak for a registered device (forged-messages.ts). */
  onForged?: (f: ForgedMessage) => Promise<void>;
  /** A message its device's key verified was received from `remote` (forged-messages.ts: the device's own source). */
  onProven?: (device: string, remote: string | null) => void;
  /** Refusals kept per source address and claimed device; beyond it counted and sampled (absent: all kept). */
  quarantineBudget?: QuarantineBudget | null;
  /** Counts one refusal not kept because its sender was over its quarantine budget (for /metrics). */
  countOverBudget?: (reason: RejectReason) => void;
}

type Answer = { result: IngestResult; evidence: Buffer };

export class Admission {
  constructor(private readonly deps: AdmissionDeps) {}

  /**
   * Admits the checked messages of one request, received at `receivedMs`, and answers each.
   * Resolves once every reading is durable and every refusal quarantined and audited.
   */
  async admit(checked: Checked[], receivedMs: number, ctx: IngestContext): Promise<IngestResult[]> {
    const { rules } = this.deps;
    const receivedAt = toTimestamp(receivedMs);
    const answers: Answer[] = [];
    const rows: { at: number; row: NewObservation }[] = [];
    for (const c of checked) {
      if (c.kind === 'duplicate') {
        answers.push({ result: { device: c.device, seq: c.seq, status: 'duplicate' }, evidence: c.evidence });
        continue;
      }
      if (c.kind === 'refused') {
        answers.push({
          result: { device: c.device, seq: c.seq, status: 'rejected', reason: c.reason, detail: c.detail },
          evidence: c.evidence,
        });
        continue;
      }
      const { time, ...reading } = c.reading;
      const timeMs = time === null ? receivedMs : Date.parse(time);
      const verdict = judgeMessageTime(timeMs, receivedMs, rules.maxClockSkewMs, rules.lateAfterMs);
      if (verdict === 'clock_skew') {
        answers.push({
          result: {
            device: reading.device,
            seq: reading.seq,
            status: 'rejected',
            reason: 'clock_skew',
            detail: `time ${time} is more than ${rules.maxClockSkewMs / 1000} s ahead of the server clock`,
          },
          evidence: c.evidence,
        });
        continue;
      }
      const attributes = time === null ? { ...(reading.attributes ?? {}), timeFromServer: true } : reading.attributes;
      rows.push({ at: answers.length, row: { ...reading, attributes, time: toTimestamp(timeMs), receivedAt, late: verdict === 'late' } });
      answers.push({ result: { device: reading.device, seq: reading.seq, status: 'accepted' }, evidence: c.evidence });
    }

    // Durable once appended: a resend of stored content is a duplicate (stored once); other
    // content under a known (device, seq) is refused and reported.
    const outcomes = await this.deps.log.append(
      rows.map((r) => r.row),
      ctx.transport,
    );
    const conflicts: SeqConflict[] = [];
    const audit: NewAuditEntry[] = [];
    rows.forEach(({ at, row }, n) => {
      const out = outcomes[n];
      const answer = answers[at];
      if (out.status === 'conflict') {
        conflicts.push({ device: row.device, seq: row.seq!, existingHash: out.existingHash, hash: row.hash, time: row.time });
        answer.result = {
          device: row.device,
          seq: row.seq,
          status: 'rejected',
          reason: 'seq_conflict',
          detail: `seq ${row.seq} was already received with different content`,
        };
        return;
      }
      if (out.status === 'duplicate') answer.result = { ...answer.result, status: 'duplicate' };
      // A duplicate proves nothing about its sender: anyone can replay a captured message.
      if (out.status !== 'duplicate' && row.trust !== 'unverified') this.deps.onProven?.(row.device, ctx.remote);
      // A log that audits its own commits has recorded the inserted rows (and, earlier, the
      // originals of duplicates) in the trail already, in the transaction that stored them.
      if (!this.deps.log.auditsAppends) audit.push(messageEntry({ ...row, transport: ctx.transport }));
    });

    const refusals = answers.filter((a) => a.result.status === 'rejected').filter((a) => this.keep(a.result, ctx, a.evidence.length));
    if (refusals.length) {
      const ids = await this.deps.quarantine.add(
        refusals.map(({ result: r, evidence }) => ({
          receivedAt,
          transport: ctx.transport,
          remote: ctx.remote,
          reason: r.reason!,
          detail: r.detail ?? '',
          device: r.device,
          seq: r.seq,
          raw: evidence.toString('base64'),
        })),
      );
      refusals.forEach(({ result: r, evidence }, n) => {
        audit.push(
          rejectionEntry({
            quarantineId: ids[n],
            device: r.device,
            reason: r.reason!,
            raw: evidence,
            transport: ctx.transport,
            receivedAt,
          }),
        );
      });
      // Forgery attempts against a registered device are security events.
      for (const [n, { result: r }] of refusals.entries()) {
        if (r.device && forgedReasons.has(r.reason!))
          await this.deps.onForged?.({
            device: r.device as DeviceId,
            reason: r.reason!,
            seq: r.seq,
            quarantineId: ids[n],
            remote: ctx.remote,
          });
      }
    }
    for (const c of conflicts) await this.deps.onSeqConflict?.(c);
    await this.deps.audit?.(audit);

    const results = answers.map((a) => a.result);
    for (const r of results) this.deps.count(r.status, r.reason);
    return results;
  }

  /** Whether a refusal is kept in the quarantine (and its detail says so when it is over budget). */
  private keep(r: IngestResult, ctx: IngestContext, bytes: number): boolean {
    const verdict = this.deps.quarantineBudget?.judge(ctx.remote, r.device, bytes) ?? 'keep';
    if (verdict === 'keep') return true;
    if (verdict === 'sample') {
      r.detail = `${r.detail ?? ''} (kept as a sample: the sender is over its quarantine budget)`;
      return true;
    }
    r.detail = `${r.detail ?? ''} (not kept: the sender is over its quarantine budget; counted, and one in a hundred kept)`;
    this.deps.countOverBudget?.(r.reason!);
    return false;
  }
}

/**
 * Runs one ingest request. When commits are backed up or a dependency (store, log) fails nothing
 * of the request was acknowledged, so it throws IngestOverloadedError and the sender retries.
 */
export async function answerOrRetry<T>(run: () => Promise<T>, onFailure?: (e: Error) => void): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof IngestOverloadedError) throw e;
    onFailure?.(e as Error);
    // The cause is kept where it is known, so the answer says what to wait for.
    throw isStoreUnavailable(e) ? new DependencyUnavailableError('store', e as Error) : new IngestOverloadedError(2, e as Error);
  }
}
