/**
 * The storage port of EPCIS standing queries (REST binding `/queries/{queryName}/subscriptions`).
 * A subscription is a webhook (webhook-ports.ts, types `['epcis']`: its URL is the `dest`, its
 * secret the `signatureToken`, its deliveries the reports) plus what the query needs here; its id
 * is the webhook's, and removing the webhook removes it.
 */
import type { EpcisSchedule, Timestamp } from '@sealwatch/core';
import type { Page, PageRequest } from './page';

export interface EpcisSubscription {
  /** The webhook's id: the `subscriptionID`. */
  id: string;
  queryName: string;
  /** The base URL of the installation's EPCIS identifiers, as the subscriber's request reached it. */
  base: string;
  /** true: a report per new event; false: reports on `schedule`. */
  stream: boolean;
  schedule: EpcisSchedule | null;
  reportIfEmpty: boolean;
  /** Events recorded before it are never reported. */
  initialRecordTime: Timestamp;
  /** Scheduled: the next report holds the events recorded from here on; moved to each run's time. */
  minRecordTime: Timestamp;
}

export interface EpcisSubscriptionStore {
  /** Stores a subscription for an existing webhook. */
  create(s: EpcisSubscription): Promise<void>;
  get(id: string): Promise<EpcisSubscription | null>;
  /** Ordered by id. */
  list(page: PageRequest): Promise<Page<EpcisSubscription>>;
  /** A scheduled run's new lower bound; false when the subscription is gone. */
  setMinRecordTime(id: string, t: Timestamp): Promise<boolean>;
}
