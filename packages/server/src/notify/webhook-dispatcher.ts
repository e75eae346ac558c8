/**
 * Alert notifications over signed webhooks. Every alert change published on the stream (opened,
 * repeated, cleared, escalated, acknowledged, resolved) is queued, durably, as one delivery per
 * webhook whose types match, keyed by alert id and revision so a change is queued once. Due
 * deliveries are POSTed with `X-Sealwatch-Signature` and `X-Sealwatch-Timestamp`; a non-2xx
 * answer or no answer is retried with exponential backoff (base × 2^(n−1), capped), and after
 * the last attempt the delivery is marked failed. Every attempt stays in the delivery log.
 * Revisions marked quiet (core's isNotifiable) are not queued. Incident changes go, the same
 * way, to webhooks that take every type or name `incident`.
 *
 * A webhook is its creator's organisation's receiver: it gets only what that organisation may see
 * (movements in its scope; alerts outside a movement only with a whole-installation scope), and
 * nothing of a movement that organisation muted. Another organisation's mute does not touch it.
 *
 * EPCIS standing queries are webhooks too (types `['epcis']`, queued by exchange/epcis-subscriptions.ts):
 * their body is the EPCISQueryDocument itself, and the same signature is also sent as `GS1-Signature`
 * (the REST binding's header; the scheme is left to the implementation).
 */
import {
  isMuted,
  isNotifiable,
  movementScope,
  toTimestamp,
  type Alert,
  type Incident,
  type MovementId,
  type Principal,
} from '@sealwatch/core';
import type { IncidentStore } from '../storage/incident-ports';
import type { Webhook, WebhookDelivery, WebhookStore } from '../storage/webhook-ports';
import type { StreamBus } from '../stream/stream-bus';
import { signWebhook } from './webhook-signature';
import { afterAttempt, OutboxRounds } from './outbox-rounds';

export interface WebhookDispatcherOptions {
  store: WebhookStore;
  /** Movement mutes, per organisation: nothing of a movement the webhook's organisation muted is sent to it. */
  mutes?: Pick<IncidentStore, 'getMute'>;
  /**
   * Whom a webhook acts for (its creator's principal; the platform's for the installation token),
   * null when nobody (the creator is gone: nothing is sent). Without it every webhook gets everything.
   */
  ownerOf?: (webhook: Webhook) => Promise<Principal | null>;
  /** Whether the principal may see the movement (its data scope). */
  canSeeMovement?: (principal: Principal, movement: string) => Promise<boolean>;
  bus: StreamBus;
  now: () => number;
  newId: () => string;
  log: { warn(o: object, m: string): void };
  /** Whether this process queues and sends (cluster: one process). */
  isLeader?: () => boolean;
  /** Attempts before a delivery is marked failed; default 8. */
  maxAttempts?: number;
  /** First retry delay, ms; default 5000 (then 10 s, 20 s, … up to `maxDelayMs`). */
  baseDelayMs?: number;
  /** Longest retry delay, ms; default one hour. */
  maxDelayMs?: number;
  /** Per-request timeout, ms; default 10000. */
  timeoutMs?: number;
  /** Why a receiver's URL may not be called (outbound-address.ts), null when it may; absent: any may. */
  refusal?: (url: string) => Promise<string | null>;
}

export class WebhookDispatcher {
  private readonly unsubscribe: () => void;
  private readonly outbox: OutboxRounds;

  constructor(private readonly o: WebhookDispatcherOptions) {
    this.outbox = new OutboxRounds('webhook', o.log, o.isLeader);
    this.unsubscribe = o.bus.subscribe((m) => {
      if ((m.kind !== 'alert' && m.kind !== 'incident') || (o.isLeader && !o.isLeader())) return;
      this.outbox.queue(() => (m.kind === 'alert' ? this.enqueue(m.data) : this.enqueueIncident(m.data)));
    });
  }

  /** Queues the alert change for every matching webhook; resolves to the deliveries queued now. */
  async enqueue(alert: Alert): Promise<WebhookDelivery[]> {
    // A quiet revision (joined an open incident, a duplicate reading, a muted movement) is recorded, not sent.
    if (!isNotifiable(alert)) return [];
    const change = alert.history.at(-1)?.action ?? 'opened';
    return this.queueFor((types) => types.includes(alert.type), alert.movement, `alert:${alert.id}:${alert.revision}`, {
      kind: 'alert',
      change,
      alert,
    });
  }

  /**
   * Queues an incident change (opened, grouped, acknowledged, assigned, noted, closed) for every
   * webhook that takes all types or names `incident` (and may be told: see `toldOf`).
   */
  async enqueueIncident(incident: Incident): Promise<WebhookDelivery[]> {
    const change = incident.history.at(-1)?.action ?? 'opened';
    return this.queueFor((types) => types.includes('incident'), incident.movement, `incident:${incident.id}:${incident.revision}`, {
      kind: 'incident',
      change,
      incident,
    });
  }

  /**
   * Whether the webhook may be told about `movement` (null: an alert outside a movement) now: its
   * organisation sees it and has not muted it.
   */
  private async toldOf(w: Webhook, movement: string | null): Promise<boolean> {
    if (!this.o.ownerOf) return true;
    const owner = await this.o.ownerOf(w);
    if (!owner) return false;
    if (!movement) return movementScope(owner).kind === 'all';
    if (this.o.canSeeMovement && !(await this.o.canSeeMovement(owner, movement))) return false;
    const mute = await this.o.mutes?.getMute(movement as MovementId, owner.organisation.id);
    return !isMuted(mute, toTimestamp(this.o.now()));
  }

  /** One delivery of `payload` per webhook that takes every type or one `wants` and may be told of `movement`, keyed by `eventKey`. */
  private async queueFor(
    wants: (types: string[]) => boolean,
    movement: string | null,
    eventKey: string,
    payload: Record<string, unknown>,
  ): Promise<WebhookDelivery[]> {
    const now = toTimestamp(this.o.now());
    const out: WebhookDelivery[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await this.o.store.list({ limit: 1000, cursor });
      for (const w of page.items.filter((x) => x.types === null || wants(x.types))) {
        if (!(await this.toldOf(w, movement))) continue;
        out.push({
          id: this.o.newId(),
          webhook: w.id,
          eventKey,
          payload,
          status: 'pending',
          attempts: [],
          nextAttemptAt: now,
          createdAt: now,
          updatedAt: now,
        });
      }
      cursor = page.nextCursor;
    } while (cursor);
    return out.length ? this.o.store.enqueue(out) : [];
  }

  /** Waits until alerts already published are queued (tests, shutdown). */
  idle(): Promise<void> {
    return this.outbox.idle();
  }

  /** Tries every due delivery once; returns how many were tried. Rounds run one at a time (timer or caller). */
  deliverDue(): Promise<number> {
    return this.outbox.tryDue(
      () => this.o.store.due(toTimestamp(this.o.now()), 100),
      (d) => this.attempt(d),
    );
  }

  schedule(everyMs: number): void {
    this.outbox.schedule(everyMs, () => this.deliverDue());
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.outbox.stop();
  }

  private async attempt(d: WebhookDelivery): Promise<void> {
    const hook = await this.o.store.get(d.webhook);
    if (!hook) return;
    const body = d.payload.kind === 'epcis' ? JSON.stringify(d.payload.document) : JSON.stringify({ id: d.id, ...d.payload });
    const timestamp = Math.floor(this.o.now() / 1000);
    const signature = signWebhook(hook.secret, timestamp, body);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Checked before every attempt: a name may point somewhere else since it was registered.
      const refused = (await this.o.refusal?.(hook.url)) ?? null;
      if (refused) throw new Error(refused);
      const res = await fetch(hook.url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Sealwatch-Webhook/1',
          'x-sealwatch-timestamp': String(timestamp),
          'x-sealwatch-signature': signature,
          'x-sealwatch-delivery': d.id,
          ...(d.payload.kind === 'epcis' ? { 'gs1-signature': signature } : {}),
        },
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    const now = this.o.now();
    await this.o.store.saveDelivery(afterAttempt(d, { at: toTimestamp(now), status, error }, error === null, 'delivered', now, this.o));
  }
}
