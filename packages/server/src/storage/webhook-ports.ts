/**
 * The webhook store port (part of `Store`): registered receivers of alert notifications, and
 * the log of every delivery with each attempt. A delivery is keyed by (webhook, event key), so
 * the same alert change is queued once however many processes see it.
 */
import type { Timestamp } from '@sealwatch/core';
import type { Page, PageRequest } from './page';

/**
 * A receiver. Its `secret` keys the HMAC signature of every delivery; the API never shows it, and
 * it is stored sealed with the master key (notify/webhook-secrets.ts wraps the store).
 */
export interface Webhook {
  id: string;
  url: string;
  secret: string;
  /** Alert types it wants; null: all. */
  types: string[] | null;
  createdAt: Timestamp;
  createdBy: string | null;
}

/** One try to deliver: when, the HTTP status (null when there was no answer) and the error. */
export interface DeliveryAttempt {
  at: Timestamp;
  status: number | null;
  error: string | null;
}

/** A notification to one webhook and what became of it. */
export interface WebhookDelivery {
  id: string;
  webhook: string;
  /** What was notified, e.g. `alert:<id>:<revision>`; unique per webhook. */
  eventKey: string;
  /** The JSON body sent. */
  payload: Record<string, unknown>;
  /** pending: will be tried (again) at `nextAttemptAt`; delivered: a 2xx came back; failed: gave up. */
  status: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  nextAttemptAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface WebhookStore {
  create(webhook: Webhook): Promise<void>;
  get(id: string): Promise<Webhook | null>;
  /**
   * Ordered by id; with `createdBy`, only webhooks made by those users, filtered before paging, so
   * a page is full whenever more such webhooks exist.
   */
  list(page: PageRequest, filter?: { createdBy?: readonly string[] }): Promise<Page<Webhook>>;
  /** Replaces a webhook's stored secret (re-sealing under the master key); false when unknown. */
  setSecret(id: string, secret: string): Promise<boolean>;
  /** Removes the webhook and its delivery log; false when unknown. */
  remove(id: string): Promise<boolean>;
  /** Queues deliveries; one whose (webhook, eventKey) is already queued is skipped. Returns those queued now. */
  enqueue(deliveries: WebhookDelivery[]): Promise<WebhookDelivery[]>;
  /** Pending deliveries due at `now` (nextAttemptAt ≤ now), oldest first, at most `limit`. */
  due(now: Timestamp, limit: number): Promise<WebhookDelivery[]>;
  /** Replaces a delivery (its status, attempts and next attempt). */
  saveDelivery(delivery: WebhookDelivery): Promise<void>;
  /** A webhook's deliveries, newest first (by createdAt, then id). */
  deliveries(webhook: string, page: PageRequest): Promise<Page<WebhookDelivery>>;
}
