/**
 * Incident e-mails. Every incident change on the stream that people are told about (opened;
 * assigned to someone) is queued, durably, as one e-mail per user whose settings want it (core's
 * wantsEmail: codes, severity floor, quiet hours) and whose scope shows the movement, keyed by
 * incident id and revision so a change is queued once. Nothing is queued for a user whose
 * organisation muted the movement (another organisation's mute does not touch them).
 * Due e-mails are handed to the administrator's SMTP server (SEALWATCH_SMTP_URL); a refusal or no
 * answer is retried with exponential backoff, then marked failed. The SMTP URL (it may carry a
 * password) is never logged.
 */
import { incidentEmail, isMuted, notifiedChange, toTimestamp, wantsEmail, type Incident, type Principal } from '@sealwatch/core';
import type { IncidentStore } from '../storage/incident-ports';
import type { NotificationStore, OutboxEmail } from '../storage/notification-ports';
import type { User } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import { afterAttempt, OutboxRounds } from './outbox-rounds';

/** Sends one e-mail; throws when the SMTP server refuses it or cannot be reached. */
export type SendMail = (m: { from: string; to: string; subject: string; text: string }) => Promise<void>;

export interface EmailDispatcherOptions {
  store: NotificationStore;
  incidents: Pick<IncidentStore, 'getMute'>;
  /** The user by id, and the principal it acts as (for its data scope). */
  users: {
    get(id: string): Promise<User | null>;
    getByUsername(username: string): Promise<User | null>;
    principalOf(user: User): Promise<Principal>;
  };
  /** Whether the principal may see the incident's movement. */
  canSeeMovement(principal: Principal, movement: string): Promise<boolean>;
  bus: StreamBus;
  send: SendMail;
  from: string;
  /** The console's public base URL, for a link to the incident; null: no link. */
  consoleUrl: string | null;
  now: () => number;
  newId: () => string;
  log: { warn(o: object, m: string): void };
  /** Whether this process queues and sends (cluster: one process). */
  isLeader?: () => boolean;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export class EmailDispatcher {
  private readonly unsubscribe: () => void;
  private readonly outbox: OutboxRounds;

  constructor(private readonly o: EmailDispatcherOptions) {
    this.outbox = new OutboxRounds('e-mail', o.log, o.isLeader);
    this.unsubscribe = o.bus.subscribe((m) => {
      if (m.kind !== 'incident' || (o.isLeader && !o.isLeader())) return;
      this.outbox.queue(() => this.enqueue(m.data));
    });
  }

  /** Queues the incident change for every user who wants it; resolves to the e-mails queued now. */
  async enqueue(incident: Incident): Promise<OutboxEmail[]> {
    let change = notifiedChange(incident);
    if (!change) return [];
    if (change.kind === 'assigned') {
      // The console assigns by user id; an API client may have named the username.
      const assignee = (await this.o.users.get(change.assignee)) ?? (await this.o.users.getByUsername(change.assignee));
      change = { kind: 'assigned', assignee: assignee?.id ?? change.assignee };
    }
    const now = this.o.now();
    const at = toTimestamp(now);
    const out: OutboxEmail[] = [];
    for (const prefs of await this.o.store.listEmailPrefs()) {
      if (!wantsEmail(prefs, incident, change, at)) continue;
      const user = await this.o.users.get(prefs.user);
      if (!user || user.disabled) continue;
      const principal = await this.o.users.principalOf(user);
      if (!(await this.o.canSeeMovement(principal, incident.movement))) continue;
      if (isMuted(await this.o.incidents.getMute(incident.movement, principal.organisation.id), at)) continue;
      const link = this.o.consoleUrl ? `${this.o.consoleUrl}/#/incidents/${encodeURIComponent(incident.id)}` : null;
      const { subject, text } = incidentEmail(incident, change, link);
      out.push({
        id: this.o.newId(),
        user: user.id,
        eventKey: `incident:${incident.id}:${incident.revision}`,
        to: prefs.email!,
        subject,
        text,
        status: 'pending',
        attempts: [],
        nextAttemptAt: at,
        createdAt: at,
        updatedAt: at,
      });
    }
    return out.length ? this.o.store.enqueue(out) : [];
  }

  /** Waits until incidents already published are queued (tests, shutdown). */
  idle(): Promise<void> {
    return this.outbox.idle();
  }

  /** Tries every due e-mail once; returns how many were tried. Rounds run one at a time. */
  sendDue(): Promise<number> {
    return this.outbox.tryDue(
      () => this.o.store.due(toTimestamp(this.o.now()), 100),
      (e) => this.attempt(e),
    );
  }

  schedule(everyMs: number): void {
    this.outbox.schedule(everyMs, () => this.sendDue());
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.outbox.stop();
  }

  private async attempt(e: OutboxEmail): Promise<void> {
    let error: string | null = null;
    try {
      await this.o.send({ from: this.o.from, to: e.to, subject: e.subject, text: e.text });
    } catch (err) {
      error = (err as Error).message.slice(0, 500);
    }
    const now = this.o.now();
    const next = afterAttempt(e, { at: toTimestamp(now), error }, error === null, 'sent', now, this.o);
    if (error)
      this.o.log.warn({ email: e.id, user: e.user, attempt: next.attempts.length, err: error }, 'e-mail not accepted by the SMTP server');
    await this.o.store.save(next);
  }
}
