/**
 * The federation store port (part of `Store`): partner administrations with their agreement and
 * pinned keys, the durable outbox of signed messages per partner, the ids of messages received
 * (idempotency), and the links between a movement here and the same movement at a partner.
 */
import type { Agreement, ControlResults, CopyRetention, FederationMessageType, SharedField, Timestamp } from '@sealwatch/core';

/** A public federation key as a partner publishes it (JWK with its key id). */
export interface FederationKey {
  kid: string;
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

export interface Partner {
  /** The partner's administration id: its key in this store and the prefix of its kids. */
  administration: string;
  name: string;
  /** ISO 3166-1 alpha-2: its territory on this installation's map. */
  country: string;
  /** The base URL it was registered by. */
  url: string;
  inbox: string;
  agreement: Agreement;
  /**
   * This installation's own days per data class for the copies of this partner's movements (its
   * law), each at most `agreement.retentionDays`; a class not named is kept `retentionDays`.
   */
  retention: CopyRetention;
  /** The keys its messages are checked with. */
  keys: FederationKey[];
  /** Keys it now publishes that differ from the pinned ones: waiting for an admin's acceptance. */
  pendingKeys: FederationKey[] | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** When the partnership was ended (DELETE); its messages are then refused and nothing more is sent. */
  endedAt: Timestamp | null;
  /** When a message last went to it or came from it. */
  lastExchangeAt: Timestamp | null;
}

/** One signed message to a partner and what became of it. */
export interface OutboxMessage {
  /** Order of queueing (the store assigns it): messages of one movement go in this order. */
  seq: number;
  id: string;
  partner: string;
  type: FederationMessageType;
  /** The movement's id at its origin. */
  movement: string;
  jws: string;
  status: 'pending' | 'delivered';
  attempts: number;
  /** The HTTP status of the last try (null: no answer). */
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Timestamp;
  createdAt: Timestamp;
  deliveredAt: Timestamp | null;
}

/** A message taken from a partner's inbox call (its id makes a resend a no-op). */
export interface ReceivedMessage {
  partner: string;
  id: string;
  type: FederationMessageType;
  movement: string;
  receivedAt: Timestamp;
}

/**
 * A movement shared with a partner. `out`: ours, announced to the partner (`originMovement` = our
 * id); `in`: the partner's, copied here as `localMovement`.
 */
export interface FederationLink {
  partner: string;
  direction: 'in' | 'out';
  originMovement: string;
  localMovement: string;
  /** What the partner (out) or we (in) recorded at the office of destination. */
  controlResults: ControlResults | null;
  createdAt: Timestamp;
  /**
   * When the movement left the territory of the link's receiver (`in`: ours; `out`: the
   * partner's) by a border crossing out of it, and has not come back since; null while it is there.
   */
  leftAt: Timestamp | null;
  /** `in`: when this copy's shared data was purged (retention), if it was. */
  purgedAt: Timestamp | null;
  /** `in`: the data classes purged before the whole copy, each on its own retention day. */
  purgedClasses: SharedField[];
}

export interface FederationStore {
  /** Creates or replaces a partner (by administration). */
  putPartner(p: Partner): Promise<void>;
  getPartner(administration: string): Promise<Partner | null>;
  /** Every partner ever registered, ended ones included, by administration. */
  listPartners(): Promise<Partner[]>;
  /** Queues messages; one whose (partner, id) is already queued is skipped. Returns how many were queued now. */
  enqueue(messages: Omit<OutboxMessage, 'seq'>[]): Promise<number>;
  /** A partner's pending messages in queueing order (due or not), at most `limit`. */
  pending(partner: string, limit: number): Promise<OutboxMessage[]>;
  /**
   * Takes a pending message for one sending try: moves its next attempt to `until` only if it is
   * still `expected` (as read) and pending. True for the one caller that moved it; a process that
   * read the same row before then gets false and does not send it (several processes sending).
   */
  claim(seq: number, expected: Timestamp, until: Timestamp): Promise<boolean>;
  /** Records a try: status, attempts, last answer, next attempt, delivery time. */
  saveOutbox(m: OutboxMessage): Promise<void>;
  /** Pending messages per partner. */
  backlog(): Promise<Record<string, number>>;
  /** A partner's messages, sent or waiting, newest first (the access report). */
  sent(partner: string, limit: number): Promise<OutboxMessage[]>;
  /** Whether (partner, id) was already taken. */
  wasReceived(partner: string, id: string): Promise<boolean>;
  /** Records a received message; false when (partner, id) was already taken. */
  receive(m: ReceivedMessage): Promise<boolean>;
  /** A partner's received messages, newest first. */
  received(partner: string, limit: number): Promise<ReceivedMessage[]>;
  /** Adds a link; an existing (partner, direction, originMovement) is kept as it is. */
  link(l: Omit<FederationLink, 'leftAt' | 'purgedAt' | 'purgedClasses'>): Promise<void>;
  getLink(partner: string, direction: 'in' | 'out', originMovement: string): Promise<FederationLink | null>;
  /** The links of one movement here (both directions). */
  linksOf(localMovement: string): Promise<FederationLink[]>;
  setControlResults(partner: string, direction: 'in' | 'out', originMovement: string, results: ControlResults): Promise<void>;
  /**
   * Notes when a shared movement left the receiver's territory (`in`: a partner's copied here
   * left ours; `out`: ours left the partner's): the first crossing out counts until it comes back.
   * `null` clears it: it crossed back in.
   */
  setLeft(partner: string, direction: 'in' | 'out', originMovement: string, at: Timestamp | null): Promise<void>;
  /** The partners' movements copied here whose shared data is not purged yet (`in` links), oldest first. */
  copies(): Promise<FederationLink[]>;
  /**
   * Purges a copy's shared data in one transaction: every observation of its feed device (rows
   * deleted) and that device's last known state, the copy's optional fields (trader, vehicle,
   * goods) set to null, and the link marked purged at `at`. Returns how many observations went.
   */
  purgeCopy(link: FederationLink, feedDevice: string, at: Timestamp): Promise<number>;
  /**
   * Purges some data classes of a copy in one transaction, before the whole copy goes: `position`,
   * `seal`, `sensors` are taken out of every observation of its feed device (and its last known
   * state), and an observation with none of them left is deleted; as the signed message kept as
   * `raw` carries them too, it is blanked. `trader`, `goods` (HS chapter, origin country) and
   * `driver` (the vehicle) are set to null on the copy. The classes are added to the link's
   * `purgedClasses`. Returns how many observations were deleted.
   */
  purgeCopyClasses(link: FederationLink, feedDevice: string, classes: SharedField[]): Promise<number>;
  /**
   * Deletes a copy's shared readings made at or after `from` (the movement left this territory
   * then: the sender's crossing is confirmed only after a fix or two beyond it), with the feed's
   * last known state, which may come from them. Returns how many observations went.
   */
  dropCopyReadingsFrom(feedDevice: string, from: Timestamp): Promise<number>;
}
