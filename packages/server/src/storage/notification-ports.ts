/**
 * The notification store port (part of `Store`): each user's notification settings, and the
 * durable outbox of e-mails, one per (user, change) so a change is queued once however many
 * processes see it. Each e-mail keeps every attempt.
 */
import type { NotificationPrefs, Timestamp } from '@sealwatch/core';

/** One e-mail to one user and what became of it. */
export interface OutboxEmail {
  id: string;
  user: string;
  /** What it tells, e.g. `incident:<id>:<revision>`; unique per user. */
  eventKey: string;
  to: string;
  subject: string;
  text: string;
  /** pending: will be tried (again) at `nextAttemptAt`; sent: the SMTP server took it; failed: gave up. */
  status: 'pending' | 'sent' | 'failed';
  attempts: { at: Timestamp; error: string | null }[];
  nextAttemptAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface NotificationStore {
  getPrefs(user: string): Promise<NotificationPrefs | null>;
  /** Inserts or replaces the user's settings. */
  setPrefs(prefs: NotificationPrefs): Promise<void>;
  /** Every user's settings that name an e-mail address, by user. */
  listEmailPrefs(): Promise<NotificationPrefs[]>;
  /** Queues e-mails; one whose (user, eventKey) is already queued is skipped. Returns those queued now. */
  enqueue(emails: OutboxEmail[]): Promise<OutboxEmail[]>;
  /** Pending e-mails due at `now`, oldest first, at most `limit`. */
  due(now: Timestamp, limit: number): Promise<OutboxEmail[]>;
  /** Replaces an e-mail (its status, attempts and next attempt). */
  save(email: OutboxEmail): Promise<void>;
  /** A user's most recent e-mails, newest first, at most `limit`. */
  recent(user: string, limit: number): Promise<OutboxEmail[]>;
}
