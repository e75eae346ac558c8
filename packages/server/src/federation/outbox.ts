/**
 * The durable outbox: each message to a partner is signed and stored before anything is sent,
 * then posted to the partner's inbox in queueing order per movement. A message that fails (no
 * answer, or any answer but 202/200) is tried again with backoff (5 s doubling to an hour, for as
 * long as it takes), and the later messages of its movement wait behind it. Every message queued
 * and every delivery is in the audit trail.
 */
import {
  federationRetryDelayMs,
  toTimestamp,
  type FederationMessage,
  type FederationMessageType,
  type NewAuditEntry,
} from '@sealwatch/core';
import type { AuditTrail } from '../audit/audit-trail';
import type { ServerKey } from '../audit/server-key';
import type { FederationStore, OutboxMessage, Partner } from '../storage/federation-ports';
import { signFederationMessage } from './federation-keys';

export interface OutboxDeps {
  store: { federation: FederationStore };
  audit: Pick<AuditTrail, 'record'>;
  administration: string;
  /** The current federation signing key (rotation takes effect at the next message). */
  key: () => Promise<ServerKey>;
  now: () => number;
  fetch?: typeof fetch;
}

/** A federation message in the audit trail: who, which message, and what became of it. */
export function federationEntry(
  m: { id: string; type: string; movement: string },
  partner: string,
  action: string,
  at: number,
  data: Record<string, unknown> = {},
): NewAuditEntry {
  return {
    kind: 'federation_message',
    ref: `federation:${partner}:${m.id}:${action}`,
    time: toTimestamp(at),
    actor: action.startsWith('received') || action.startsWith('refused') ? `partner:${partner}` : 'system',
    subjects: [m.movement, `partner:${partner}`],
    action,
    data: { message: m.id, type: m.type, ...data },
  };
}

/** Notes the time of the last exchange with a partner (re-read, so a concurrent key change is kept). */
export async function touchPartner(store: FederationStore, administration: string, at: number): Promise<void> {
  const p = await store.getPartner(administration);
  if (p) await store.putPartner({ ...p, lastExchangeAt: toTimestamp(at) });
}

/** How long a sending try holds its message: beyond the post's 15 s timeout, so no two tries overlap. */
const CLAIM_MS = 60_000;

export class FederationOutbox {
  /** Sending rounds run one after another (timer and callers alike), never two at once. */
  private rounds: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: OutboxDeps) {}

  /** Signs and queues one message; a message id already queued for the partner is kept once. */
  async send(partner: Partner, type: FederationMessageType, id: string, movement: string, body: Record<string, unknown>): Promise<void> {
    const now = this.deps.now();
    const message: FederationMessage = {
      id,
      type,
      from: this.deps.administration,
      to: partner.administration,
      movement,
      time: toTimestamp(now),
      body,
    };
    const jws = signFederationMessage(await this.deps.key(), this.deps.administration, message);
    const queued = await this.deps.store.federation.enqueue([
      {
        id,
        partner: partner.administration,
        type,
        movement,
        jws,
        status: 'pending',
        attempts: 0,
        lastStatus: null,
        lastError: null,
        nextAttemptAt: toTimestamp(now),
        createdAt: toTimestamp(now),
        deliveredAt: null,
      },
    ]);
    if (queued)
      await this.deps.audit.record([federationEntry(message, partner.administration, 'queued', now, { fields: Object.keys(body) })]);
  }

  /** Tries every due message of every active partner once; returns how many were delivered and how many failed. */
  deliver(): Promise<{ delivered: number; failed: number }> {
    const round = this.rounds.then(() => this.round());
    this.rounds = round.catch(() => undefined);
    return round;
  }

  private async round(): Promise<{ delivered: number; failed: number }> {
    let delivered = 0,
      failed = 0;
    for (const partner of await this.deps.store.federation.listPartners()) {
      if (partner.endedAt) continue;
      const r = await this.deliverTo(partner);
      delivered += r.delivered;
      failed += r.failed;
    }
    return { delivered, failed };
  }

  private async deliverTo(partner: Partner): Promise<{ delivered: number; failed: number }> {
    let delivered = 0,
      failed = 0;
    // A movement whose oldest message is not delivered holds back its later ones (order per movement).
    const held = new Set<string>();
    for (const m of await this.deps.store.federation.pending(partner.administration, 500)) {
      if (held.has(m.movement)) continue;
      const now = this.deps.now();
      if (Date.parse(m.nextAttemptAt) > now) {
        held.add(m.movement);
        continue;
      }
      // Another process sending the same outbox may have read this row too: only the one whose
      // claim moves its next attempt sends it (the claim lapses after CLAIM_MS if that one dies).
      if (!(await this.deps.store.federation.claim(m.seq, m.nextAttemptAt, toTimestamp(now + CLAIM_MS)))) {
        held.add(m.movement);
        continue;
      }
      const answer = await this.post(partner.inbox, m.jws);
      const ok = answer.status === 202 || answer.status === 200;
      const after = this.deps.now();
      const tried: OutboxMessage = {
        ...m,
        attempts: m.attempts + 1,
        lastStatus: answer.status,
        lastError: ok ? null : answer.error,
        status: ok ? 'delivered' : 'pending',
        deliveredAt: ok ? toTimestamp(after) : null,
        nextAttemptAt: ok ? m.nextAttemptAt : toTimestamp(after + federationRetryDelayMs(m.attempts + 1)),
      };
      await this.deps.store.federation.saveOutbox(tried);
      if (ok) {
        delivered += 1;
        await this.deps.audit.record([federationEntry(m, partner.administration, 'delivered', after, { status: answer.status })]);
        await touchPartner(this.deps.store.federation, partner.administration, after);
      } else {
        failed += 1;
        held.add(m.movement);
        // No answer at all: the partner is down, the rest would fail the same way.
        if (answer.status === null) break;
      }
    }
    return { delivered, failed };
  }

  private async post(inbox: string, jws: string): Promise<{ status: number | null; error: string | null }> {
    try {
      const res = await (this.deps.fetch ?? fetch)(inbox, {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body: jws,
        signal: AbortSignal.timeout(15_000),
        redirect: 'error',
      });
      const text = await res.text();
      return { status: res.status, error: res.ok ? null : text.slice(0, 500) };
    } catch (e) {
      return { status: null, error: (e as Error).message };
    }
  }
}
