/**
 * Alert notifications over signed webhooks. Every alert change published on the stream (opened,
 * repeated, cleared, escalated, acknowledged, resolved) is queued, durably, as one delivery per
 * webhook whose types match, keyed by alert id and revision so a change is queued once. Due
 * deliveries are POSTed with `X-Sealwatch-Signature` and `X-Sealwatch-Timestamp`; a non-2xx
 * answer or no answer is retried with exponential backoff (base × 2^(n−1), capped), and after
 * the last attempt the delivery is marked failed. Every attempt stays in the delivery log.
 * Revisions marked quiet (core's isNotifiable) are not queued.
 */
import { isNotifiable, toTimestamp, type Alert } from '@sealwatch/core';
import type { WebhookDelivery, WebhookStore } from '../storage/webhook-ports';
import type { StreamBus } from '../stream/stream-bus';
import { signWebhook } from './webhook-signature';

export interface WebhookDispatcherOptions {
  store: WebhookStore;
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
}

export class WebhookDispatcher {
  private readonly unsubscribe: () => void;
  private queueing: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private rounds: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: WebhookDispatcherOptions) {
    this.unsubscribe = o.bus.subscribe((m) => {
      if (m.kind !== 'alert' || (o.isLeader && !o.isLeader())) return;
      this.queueing = this.queueing
        .then(() => this.enqueue(m.data))
        .catch((e: Error) => o.log.warn({ err: e.message }, 'webhook queueing failed'));
    });
  }

  /** Queues the alert change for every matching webhook; resolves to the deliveries queued now. */
  async enqueue(alert: Alert): Promise<WebhookDelivery[]> {
    // A quiet revision (joined an open incident, a duplicate reading, a muted movement) is recorded, not sent.
    if (!isNotifiable(alert)) return [];
    const now = toTimestamp(this.o.now());
    const out: WebhookDelivery[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await this.o.store.list({ limit: 1000, cursor });
      for (const w of page.items.filter((x) => x.types === null || x.types.includes(alert.type))) {
        const change = alert.history.at(-1)?.action ?? 'opened';
        out.push({
          id: this.o.newId(),
          webhook: w.id,
          eventKey: `alert:${alert.id}:${alert.revision}`,
          payload: { kind: 'alert', change, alert },
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
  async idle(): Promise<void> {
    await this.queueing;
  }

  /** Tries every due delivery once; returns how many were tried. Rounds run one at a time (timer or caller). */
  deliverDue(): Promise<number> {
    const round = this.rounds.then(async () => {
      await this.idle();
      const due = await this.o.store.due(toTimestamp(this.o.now()), 100);
      for (const d of due) await this.attempt(d);
      return due.length;
    });
    this.rounds = round.catch(() => undefined);
    return round;
  }

  schedule(everyMs: number): void {
    const tick = () => {
      if (this.running || (this.o.isLeader && !this.o.isLeader())) return;
      this.running = this.deliverDue()
        .catch((e: Error) => this.o.log.warn({ err: e.message }, 'webhook delivery round failed'))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.queueing;
  }

  private async attempt(d: WebhookDelivery): Promise<void> {
    const hook = await this.o.store.get(d.webhook);
    if (!hook) return;
    const body = JSON.stringify({ id: d.id, ...d.payload });
    const timestamp = Math.floor(this.o.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Sealwatch-Webhook/1',
          'x-sealwatch-timestamp': String(timestamp),
          'x-sealwatch-signature': signWebhook(hook.secret, timestamp, body),
          'x-sealwatch-delivery': d.id,
        },
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    const at = toTimestamp(this.o.now());
    const attempts = [...d.attempts, { at, status, error }];
    const max = this.o.maxAttempts ?? 8;
    const delay = Math.min((this.o.baseDelayMs ?? 5000) * 2 ** (attempts.length - 1), this.o.maxDelayMs ?? 3_600_000);
    const next: WebhookDelivery =
      error === null
        ? { ...d, status: 'delivered', attempts, nextAttemptAt: null, updatedAt: at }
        : attempts.length >= max
          ? { ...d, status: 'failed', attempts, nextAttemptAt: null, updatedAt: at }
          : { ...d, attempts, nextAttemptAt: toTimestamp(this.o.now() + delay), updatedAt: at };
    await this.o.store.saveDelivery(next);
  }
}
