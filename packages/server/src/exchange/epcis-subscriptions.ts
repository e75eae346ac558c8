/**
 * EPCIS standing queries (REST binding `/queries/SimpleEventQuery/subscriptions`) reported through
 * the signed webhooks: a subscription is a webhook with types `['epcis']` (notify/), so its reports
 * are queued as that webhook's deliveries and sent, signed, retried and logged by the
 * WebhookDispatcher like any alert notification. This module only decides what to queue:
 *
 * A subscription to a named query reports only the events that satisfy its parameters (as the
 * owner's organisation defines it; none once it is deleted).
 *
 * - `stream`: each new domain event on the live stream that maps to an EPCIS event, on a movement
 *   the subscription's owner may see (the scope of `GET /epcis/events`), is one EPCISQueryDocument
 *   with that event, keyed by the event so it is queued once.
 * - `schedule`: at each query time (core's epcis-schedule.ts, UTC) one EPCISQueryDocument with the
 *   events in the owner's scope recorded since the previous run (`minRecordTime`), or an empty one
 *   when `reportIfEmpty`; several query times missed at once give one report.
 *
 * Every report queued is audited as a document out with its hash (docs/exchange.md).
 */
import {
  epcisQueryDocument,
  lastScheduledTime,
  readNamedQuery,
  SIMPLE_EVENT_QUERY,
  toTimestamp,
  filterEpcisEvents,
  type DomainEvent,
  type EpcisQuery,
  type Principal,
} from '@sealwatch/core';
import type { AuditTrail } from '../audit/audit-trail';
import type { Scopes } from '../access/scope';
import { OutboxRounds } from '../notify/outbox-rounds';
import type { EpcisSubscription } from '../storage/epcis-subscription-ports';
import type { Store } from '../storage/ports';
import type { Webhook, WebhookDelivery } from '../storage/webhook-ports';
import type { StreamBus } from '../stream/stream-bus';
import { recordDocument } from './document-audit';
import { epcisEventsInScope, movementEvents } from './epcis-events';

export interface EpcisSubscriptionFeedOptions {
  store: Pick<Store, 'webhooks' | 'epcisSubscriptions' | 'epcisQueries' | 'movements' | 'events' | 'devices' | 'incidents'>;
  scopes: Pick<Scopes, 'movementsInScope' | 'canSee'>;
  /** Whom a webhook acts for (the same rule as the dispatcher's); null: nobody, nothing is queued. */
  ownerOf: (webhook: Webhook) => Promise<Principal | null>;
  audit: AuditTrail;
  bus: StreamBus;
  now: () => number;
  newId: () => string;
  log: { warn(o: object, m: string): void };
  /** Whether this process queues (cluster: the one that sends webhooks). */
  isLeader?: () => boolean;
}

/** The payload of an EPCIS report delivery: the dispatcher sends `document` as the body, as it is. */
export interface EpcisReportPayload {
  kind: 'epcis';
  subscription: string;
  document: ReturnType<typeof epcisQueryDocument>;
}

export class EpcisSubscriptionFeed {
  private readonly unsubscribe: () => void;
  private readonly outbox: OutboxRounds;

  constructor(private readonly o: EpcisSubscriptionFeedOptions) {
    this.outbox = new OutboxRounds('epcis subscription', o.log, o.isLeader);
    this.unsubscribe = o.bus.subscribe((m) => {
      if (m.kind !== 'event' || !m.data.movement || (o.isLeader && !o.isLeader())) return;
      const event = m.data;
      this.outbox.queue(() => this.onEvent(event));
    });
  }

  /** Queues the event for every streaming subscription whose owner sees its movement; resolves to the deliveries queued now. */
  async onEvent(event: DomainEvent): Promise<WebhookDelivery[]> {
    const movement = event.movement && (await this.o.store.movements.get(event.movement));
    if (!movement) return [];
    const out: WebhookDelivery[] = [];
    for (const sub of await this.all()) {
      if (!sub.stream || event.createdAt < sub.initialRecordTime) continue;
      const hook = await this.o.store.webhooks.get(sub.id);
      const owner = hook && (await this.o.ownerOf(hook));
      if (!hook || !owner || !(await this.o.scopes.canSee(owner, movement))) continue;
      const params = await this.parametersOf(owner, sub.queryName);
      if (!params) continue;
      const events = filterEpcisEvents(await movementEvents(this.o.store, sub.base, movement, [event]), params);
      if (!events.length) continue;
      out.push(...(await this.queue(hook, sub, `epcis:event:${event.id}`, events, [movement.id])));
    }
    return out;
  }

  /** Runs every scheduled subscription whose query time came round since its last run; resolves to the reports queued. */
  runSchedules(): Promise<number> {
    return this.outbox.round(async () => {
      let n = 0;
      const now = this.o.now();
      for (const sub of await this.all()) {
        if (!sub.schedule) continue;
        const at = lastScheduledTime(sub.schedule, Date.parse(sub.minRecordTime), now);
        if (at === null) continue;
        const hook = await this.o.store.webhooks.get(sub.id);
        const owner = hook && (await this.o.ownerOf(hook));
        const params = owner && (await this.parametersOf(owner, sub.queryName));
        if (!hook || !owner || !params) continue;
        const runAt = toTimestamp(at);
        const all = filterEpcisEvents(await epcisEventsInScope(this.o.store, this.o.scopes, owner, sub.base), params);
        const events = filterEpcisEvents(all, { GE_recordTime: sub.minRecordTime, LT_recordTime: runAt });
        if (events.length || sub.reportIfEmpty) n += (await this.queue(hook, sub, `epcis:run:${runAt}`, events, [])).length;
        await this.o.store.epcisSubscriptions.setMinRecordTime(sub.id, runAt);
      }
      return n;
    });
  }

  /** The parameters of the query as the owner's organisation defines it; null when it is gone (deleted). */
  private async parametersOf(owner: Principal, queryName: string): Promise<EpcisQuery | null> {
    if (queryName === SIMPLE_EVENT_QUERY) return {};
    const q = await this.o.store.epcisQueries.get(owner.organisation.id, queryName);
    const read = q && readNamedQuery(q.query);
    return read && read.ok ? read.query : null;
  }

  private async all(): Promise<EpcisSubscription[]> {
    const out: EpcisSubscription[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await this.o.store.epcisSubscriptions.list({ limit: 1000, cursor });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  private async queue(
    hook: Webhook,
    sub: EpcisSubscription,
    eventKey: string,
    events: Parameters<typeof epcisQueryDocument>[0],
    subjects: string[],
  ): Promise<WebhookDelivery[]> {
    const now = toTimestamp(this.o.now());
    const document = epcisQueryDocument(events, now, sub.queryName, sub.id);
    const payload: EpcisReportPayload = { kind: 'epcis', subscription: sub.id, document };
    const queued = await this.o.store.webhooks.enqueue([
      {
        id: this.o.newId(),
        webhook: hook.id,
        eventKey,
        payload: { ...payload },
        status: 'pending',
        attempts: [],
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      },
    ]);
    if (queued.length)
      await recordDocument(
        { audit: this.o.audit, now: this.o.now, newId: this.o.newId },
        {
          actor: hook.createdBy ?? 'admin',
          direction: 'out',
          document: 'EPCISQueryDocument',
          bytes: JSON.stringify(document),
          subjects,
          status: 202,
        },
      );
    return queued;
  }

  /** Waits until events already published are queued (tests, shutdown). */
  idle(): Promise<void> {
    return this.outbox.idle();
  }

  /** Runs the schedules every `everyMs` on the leader (one second gives the standard's resolution). */
  schedule(everyMs: number): void {
    this.outbox.schedule(everyMs, () => this.runSchedules());
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.outbox.stop();
  }
}
