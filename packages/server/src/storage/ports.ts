/**
 * Storage ports. Every adapter (SQLite now, PostgreSQL in cluster mode) implements these and
 * passes the one contract suite in `contract/`. SQL dialect details stay inside adapters.
 * All methods are async so that a network database fits the same shape.
 */
import type { PartitionOwnerStore } from './partition-owner-ports';
import type {
  Alert,
  AlertId,
  AlertStatus,
  AlertType,
  Device,
  DeviceId,
  DeviceState,
  DomainEvent,
  Movement,
  MovementId,
  MovementStatus,
  NewObservation,
  NewQuarantineEntry,
  Observation,
  Office,
  OfficeCode,
  QuarantineEntry,
  RejectReason,
  Timestamp,
  AuditCheckpointBody,
  AuditEntry,
  ChainHead,
  NewAuditEntry,
  OrganisationKind,
  Permission,
  Role,
  Incident,
} from '@sealwatch/core';
import type {
  InspectionOutcome,
  KpiAggregate,
  KpiPeriod,
  LaneDecision,
  RiskFacts,
  RiskProfile,
  RiskReferenceEntry,
  RiskReferenceKind,
  RiskScore,
} from '@sealwatch/core';

import type { TransitStore } from './transit-ports';
import type { CommandStore } from './command-ports';
import type { DeviceKeyStore } from './device-key-ports';
import type { WebhookStore } from './webhook-ports';
import type { NotificationStore } from './notification-ports';
import type { IncidentStore } from './incident-ports';
import type { CustodyStore } from './custody-ports';
import type { FederationStore } from './federation-ports';
import type { CaptureJobStore } from './capture-job-ports';
import type { EpcisSubscriptionStore } from './epcis-subscription-ports';
import type { EpcisQueryStore } from './epcis-query-ports';

import type { Page, PageRequest } from './page';

export type { Page, PageRequest } from './page';
import type { MovementVisibility } from './visibility';
export type { MovementVisibility } from './visibility';

export interface DeviceStore {
  /** Throws DomainError('device_exists') if the id is taken. */
  create(device: Device): Promise<void>;
  get(id: DeviceId): Promise<Device | null>;
  /**
   * The device registered with this name (vendor protocols name devices by IMEI etc.), compared
   * without case, or null. `id` finds a device whose id differs from `value` at most in case.
   */
  findByIdentifier(kind: 'id' | 'imei' | 'epc' | 'sealNumber', value: string): Promise<Device | null>;
  /** Ordered by id. */
  list(page: PageRequest): Promise<Page<Device>>;
}

export interface OfficeStore {
  /** Throws DomainError('office_exists') if the code is taken. */
  create(office: Office): Promise<void>;
  get(code: OfficeCode): Promise<Office | null>;
  /** Ordered by code. */
  list(page: PageRequest): Promise<Page<Office>>;
  /** Replaces name, country and area of the office with `office.code` (createdAt kept); false when there is none. */
  update(office: Office): Promise<boolean>;
  /** False when there is no such office. */
  delete(code: OfficeCode): Promise<boolean>;
  /**
   * Up to `limit` movements that name the office (departure, destination or transit), by reference:
   * `open` those not ended (an office they rely on may not be moved under them), `all` ended ones
   * too (their jurisdiction follows the office's country: it may neither change nor be deleted).
   */
  movementsUsing(code: OfficeCode, limit: number, which: 'open' | 'all'): Promise<Array<{ id: MovementId; reference: string }>>;
}

export interface MovementFilter {
  status?: MovementStatus;
  device?: DeviceId;
  visibleTo?: MovementVisibility;
}
export interface MovementStore {
  /** Throws DomainError('movement_exists') if the id or the reference is taken. */
  create(movement: Movement): Promise<void>;
  get(id: MovementId): Promise<Movement | null>;
  /**
   * Replaces the stored movement (status and lifecycle times change; the id never does).
   * Throws unknown_movement for an id not stored, movement_exists for a reference taken by another.
   * Stores do not check that offices or devices exist: the services do.
   */
  update(movement: Movement): Promise<void>;
  /** Newest first (by createdAt, then id). */
  list(filter: MovementFilter, page: PageRequest): Promise<Page<Movement>>;
  /** Movements that list the device and are not ended, newest first. */
  listOpenByDevice(device: DeviceId): Promise<Movement[]>;
}

export type AppendOutcome =
  { status: 'inserted'; id: number } | { status: 'duplicate'; id: number } | { status: 'conflict'; existingHash: string };

/** What a stored (device, seq) refers to. */
export interface ObservationKey {
  device: DeviceId;
  seq: number;
  hash: string;
  id: number;
}

export interface ObservationQuery {
  /** Inclusive lower bound on observation time. */
  from?: Timestamp;
  /** Inclusive upper bound on observation time. */
  to?: Timestamp;
  /** 'asc' by (time, id) or 'desc'. Default 'desc'. */
  order?: 'asc' | 'desc';
}
/**
 * A device's position as the first pass over a track reads it, as an array (no object per row):
 * [id, time, lon, lat, seal state]. What the line and its simplification need, nothing else.
 */
export type TrackLinePoint = [id: number, time: Timestamp, lon: number, lat: number, sealState: string | null];
/**
 * A device's position with what a Point feature shows, as an array: [id, time, lon, lat, seal,
 * speed, trust]. `seal` is the seal reading as the engine's JSON text, never parsed by the store.
 */
export type TrackPoint = [
  id: number,
  time: Timestamp,
  lon: number,
  lat: number,
  seal: string | null,
  speed: number | null,
  trust: Observation['trust'],
];
/** What a Point feature adds to a kept position of the line: [id, device, seal (JSON text), speed, trust]. */
export type TrackDetail = [id: number, device: DeviceId, seal: string | null, speed: number | null, trust: Observation['trust']];
export interface ObservationStore {
  /**
   * Appends a batch in ONE transaction, committed durably before the promise resolves
   * ("acknowledged means durable"). Observations that carry a `seq` are identified by
   * (device, seq): the same pair with the same hash is a duplicate (not stored again), with
   * another hash a conflict (not stored). Observations without a seq (vendor protocols, whose
   * hash is a content hash) are identified by (device, time, hash): the same triple again is a
   * duplicate. Also applies within the batch itself. Outcomes are in input order.
   */
  append(batch: NewObservation[]): Promise<AppendOutcome[]>;
  /**
   * Where the audit trail lives in the same database (SQLite): `append`, and in the same
   * transaction one audit entry for the rows inserted now (core's `messageBatchEntry`: the Merkle
   * root of their leaves), each row remembering that entry's seq. One commit makes the batch
   * durable and audited. `transports` are those the batch's messages came over. Absent: the
   * caller audits each message itself (cluster mode, where the log is JetStream).
   */
  appendAudited?(batch: NewObservation[], transports: string[]): Promise<AppendOutcome[]>;
  /**
   * The observations of one batch entry (`auditSeq`, ids `firstId`..`lastId`) in leaf order, with
   * the entry's seq on each, so an export can rebuild the tree and prove one of them; and for
   * given observation ids, the batch entry holding each (absent: audited one by one).
   */
  auditBatch?(auditSeq: number, firstId: number, lastId: number): Promise<Observation[]>;
  auditSeqs?(ids: number[]): Promise<Map<number, number>>;
  get(id: number): Promise<Observation | null>;
  listByDevice(device: DeviceId, query: ObservationQuery, page: PageRequest): Promise<Page<Observation>>;
  /**
   * The device's positions (observations with one) in [from, to] by (time, id) ascending, after
   * `after` (exclusive; null: from the start), at most `limit` (clamped to 1..10,000): a track
   * read page by page, so a year of history is never held at once. `trackLinePage` reads only
   * what the line needs; `trackPage` also what each Point feature shows.
   */
  trackLinePage(
    device: DeviceId,
    query: Pick<ObservationQuery, 'from' | 'to'>,
    after: { time: Timestamp; id: number } | null,
    limit: number,
  ): Promise<TrackLinePoint[]>;
  trackPage(
    device: DeviceId,
    query: Pick<ObservationQuery, 'from' | 'to'>,
    after: { time: Timestamp; id: number } | null,
    limit: number,
  ): Promise<TrackPoint[]>;
  /** For the given observation ids (at most 10,000), what their Point features show; unknown ids are absent, in no promised order. */
  trackDetails(ids: number[]): Promise<TrackDetail[]>;
  /**
   * Reports of reader devices (kind `reader`) made in [from, to] whose `reads` name any of the
   * EPCs (compared in lower case): where a movement's passive seals were seen (checkpoints,
   * cloned tags). By (time, id) ascending, at most `limit` (clamped to 1..1000).
   */
  listTagReads(epcs: string[], query: Pick<ObservationQuery, 'from' | 'to'>, limit: number): Promise<Observation[]>;
  /** The processor's log: observations with id > afterId, by id ascending; limit clamped to 1..1000. */
  readLog(afterId: number, limit: number): Promise<Observation[]>;
  /** Highest observation id, 0 if none. */
  lastId(): Promise<number>;
  /** Highest seq stored for the device, or null. */
  lastSeq(device: DeviceId): Promise<number | null>;
  /** The stored keys among those asked (one query; unknown keys are absent), in no promised order. */
  findKeys(keys: { device: DeviceId; seq: number }[]): Promise<ObservationKey[]>;
  /**
   * Retention: removes the observations made before `time` (strictly earlier; one made at `time`
   * stays) and returns how many were removed. PostgreSQL drops whole monthly partitions that end
   * at or before `time` and deletes the rest row by row; SQLite deletes rows. The (device, seq)
   * keys of removed rows go with them: ids are never reused, but a removed (device, seq) is no
   * longer remembered, so the same message sent again is stored as new.
   */
  purgeBefore(time: Timestamp): Promise<number>;
}

export interface EventFilter {
  movement?: MovementId;
  device?: DeviceId;
  type?: string;
}
export interface EventStore {
  /** Ordered by time, then id (ascending). */
  list(filter: EventFilter, page: PageRequest): Promise<Page<DomainEvent>>;
}

export interface AlertFilter {
  movement?: MovementId;
  device?: DeviceId;
  type?: AlertType;
  status?: AlertStatus;
  /** Only alerts of movements in this scope (alerts outside any movement are then excluded). */
  visibleTo?: MovementVisibility;
}
export interface AlertStore {
  get(id: AlertId): Promise<Alert | null>;
  /** Newest first (by updatedAt, then id). */
  list(filter: AlertFilter, page: PageRequest): Promise<Page<Alert>>;
  /**
   * The one unresolved alert of this type for this movement; when `movement` is null, for the
   * device alone (alerts outside any movement). `device` is ignored when a movement is given:
   * one unresolved alert per movement and type, whichever of its devices raised it.
   */
  findUnresolved(type: AlertType, movement: MovementId | null, device: DeviceId | null): Promise<Alert | null>;
  /** Insert or replace by id. */
  save(alert: Alert): Promise<void>;
  /** Unresolved alerts counted by `type`, or by `movement` among the movements given (absent keys: 0). */
  countUnresolved(by: 'type'): Promise<Record<string, number>>;
  countUnresolved(by: 'movement', movements: MovementId[]): Promise<Record<string, number>>;
}

export interface QuarantineFilter {
  reason?: RejectReason;
  device?: string;
}
export interface QuarantineStore {
  /** Durable before it resolves; returns the ids in input order. */
  add(entries: NewQuarantineEntry[]): Promise<number[]>;
  get(id: number): Promise<QuarantineEntry | null>;
  /** Newest first (by id, i.e. the order of adding). */
  list(filter: QuarantineFilter, page: PageRequest): Promise<Page<QuarantineEntry>>;
  countByReason(): Promise<Record<string, number>>;
  /** Retention: removes entries received before `time`; returns how many. */
  purgeBefore(time: Timestamp): Promise<number>;
}

/** Everything the processor changes for one slice of the log, committed atomically. */
export interface ProcessingEffects {
  /** Name of the processor whose checkpoint advances. */
  processor: string;
  /** The log position (observation id) processed up to, inclusive. */
  checkpoint: number;
  /**
   * Idempotency by observation instead of by position (cluster mode, where batches of one
   * partition may be committed out of order during a handover): the ids processed by this
   * commit. It applies only if none of them was processed before, and marks them processed;
   * the checkpoint then only moves forward and never makes a commit a replay.
   */
  observationIds?: number[];
  events: DomainEvent[];
  alerts: Alert[];
  /** The incidents these alerts were grouped into, written over their revisions (incident-ports.ts). */
  incidents?: Incident[];
  deviceStates: DeviceState[];
  /**
   * Cluster: the partition this commit belongs to and the epoch its processor holds it under.
   * The commit is refused (PartitionFencedError, nothing written) when the epoch is stale.
   */
  fence?: { partition: number; epoch: number };
}
export interface ProcessingStore {
  /** The last committed log position of a processor, 0 if it never ran. */
  checkpoint(processor: string): Promise<number>;
  /**
   * Events + alert upserts + device states + checkpoint in one transaction; skipped entirely when
   * the checkpoint is not beyond the stored one (a replay), or, with `observationIds`, when one
   * of them was already processed. An event id already stored is kept. A device state is only
   * replaced by one at least as recent (by lastTime). True when applied, false when skipped.
   */
  commit(effects: ProcessingEffects): Promise<boolean>;
  /** The ids among those given that no commit with `observationIds` has processed yet, ascending. */
  unprocessed(observationIds: number[]): Promise<number[]>;
  /**
   * Saves events, alerts and the incidents grouping them outside the log (API actions, ingest
   * security events, transit rules) atomically.
   */
  record(events: DomainEvent[], alerts: Alert[], incidents?: Incident[]): Promise<void>;
  deviceState(device: DeviceId): Promise<DeviceState | null>;
  /** States of the known devices among those given (unknown ones are skipped), in no promised order. */
  deviceStates(devices: DeviceId[]): Promise<DeviceState[]>;
}

/**
 * A signed statement by the server of the trail's heads at `time` (core's
 * `auditCheckpointMessage`): version 1, kept from before there were several chains, names the one
 * chain `main`; version 2 names every chain's head.
 */
export interface AuditCheckpoint extends AuditCheckpointBody {
  /** Which server key signed (its JWK thumbprint). */
  keyId: string;
  /** base64url Ed25519 signature over `auditCheckpointMessage`. */
  signature: string;
}

/** Which chain a PostgreSQL append goes to: a partition owner's commit names its partition and epoch. */
export interface AuditAppendOptions {
  /**
   * The partition's chain, appended only while the partition is still held under `epoch` (checked
   * in the append's own transaction, after the chain is locked): a processor fenced off writes
   * nothing, and the new owner continues the same chain. Absent: a shared chain.
   */
  fence?: { partition: number; epoch: number };
}

export interface AuditStore {
  /**
   * Seals (core's `sealAuditEntries`) and appends the entries whose `ref` is not yet in the trail,
   * in input order, to one chain, in one transaction serialised with every other append to that
   * chain only, so each chain has one order and no gaps whichever process writes. SQLite has one
   * chain (`main`); PostgreSQL the partition's chain for a fenced append, else a free shared chain
   * (`main` first, then `shared:<n>`). Returns the entries appended now.
   */
  append(entries: NewAuditEntry[], options?: AuditAppendOptions): Promise<AuditEntry[]>;
  /** Every chain's head (chains without entries left out), ascending by chain name. */
  heads(): Promise<ChainHead[]>;
  /**
   * Up to `limit` (clamped to 1..1000) entries from `fromSeq` on, ascending by seq (PostgreSQL:
   * an entry may commit after one with a higher seq; a chain's order is `chainRange`).
   */
  range(fromSeq: number, limit: number): Promise<AuditEntry[]>;
  /** Up to `limit` (clamped to 1..1000) entries of `chain` from position `fromPos` on, ascending. */
  chainRange(chain: string, fromPos: number, limit: number): Promise<AuditEntry[]>;
  /** The entries with these seqs (those that exist), ascending by seq. */
  bySeqs(seqs: readonly number[]): Promise<AuditEntry[]>;
  /** Positions of the entries that name `subject`, ascending. */
  seqsBySubject(subject: string): Promise<number[]>;
  /** Stores a checkpoint (version 2). */
  addCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;
  /** Every checkpoint in the order signed: version 1 ones first (by seq), then version 2. */
  checkpoints(): Promise<AuditCheckpoint[]>;
}

/** One version of a risk profile as stored: immutable once added (a change is a new version). */
export interface StoredRiskProfile {
  /** Equals `profile.version`. */
  version: number;
  profile: RiskProfile;
  createdAt: Timestamp;
  /** The actor who added it (`system` for the seeded default). */
  createdBy: string;
  /**
   * The customs administration (organisation id) whose profile it is; absent for the
   * installation's own profiles, which an administration without one of its own uses.
   */
  administration?: string;
}

/** Which profile version scores new assessments, since when and by whose decision. */
export interface ActiveRiskProfile {
  version: number;
  activatedAt: Timestamp;
  activatedBy: string;
}

/**
 * One revision of a movement's risk assessment: the facts the engine saw, the score, the lane
 * decision (with officers' overrides) and the seed of its random draw, so it can be replayed.
 * Append-only: a re-assessment or an override is a new revision; the highest one is current.
 */
export interface RiskAssessment {
  id: string;
  movement: MovementId;
  /** 1, 2, 3, … per movement; assigned by the store. */
  revision: number;
  trader: string | null;
  /** The office that decided the lane (the office of destination). */
  office: OfficeCode;
  /** What made this revision: the arrival, a request (API), or an officer's override. */
  cause: 'arrival' | 'request' | 'override';
  facts: RiskFacts;
  score: RiskScore;
  decision: LaneDecision;
  profileVersion: number;
  /** uint32 seed of the lane selection's generator. */
  seed: number;
  decidedAt: Timestamp;
  /** `system` for automatic assessments, else the actor. */
  decidedBy: string;
}

/** A movement's inspection outcome (one per movement; recording again replaces it), with its trader and the officer's comment. */
export interface StoredInspection extends InspectionOutcome {
  trader: string | null;
  comment: string | null;
}

/** A trader's compliance history as the risk store counts it (other movements only). */
export interface TraderHistory {
  /** Movements of the trader with an assessment. */
  movements: number;
  inspections: number;
  /** Inspections whose result was an irregularity or a seizure. */
  irregularities: number;
}

export interface RiskStore {
  /** Adds a profile version. Throws DomainError('risk_profile_exists') if the version is taken. */
  addProfile(profile: StoredRiskProfile): Promise<void>;
  /**
   * First-start seeding: adds the profile unless its version exists, and activates it unless some
   * version is active. Safe when several processes start at once.
   */
  seedProfile(profile: StoredRiskProfile): Promise<void>;
  getProfile(version: number): Promise<StoredRiskProfile | null>;
  /**
   * Newest version first. With `administration`, only that administration's versions and the
   * installation's ('' : the installation's only); without, every version.
   */
  listProfiles(page: PageRequest, filter?: { administration?: string }): Promise<Page<StoredRiskProfile>>;
  /** The highest stored version, 0 when none. */
  latestProfileVersion(): Promise<number>;
  /** The version active for an administration ('' or absent: the installation's); null before seeding or when it chose none. */
  activeProfile(administration?: string): Promise<ActiveRiskProfile | null>;
  /** Activates a version for an administration ('' or absent: the installation). Throws DomainError('unknown_risk_profile') for a version not stored. */
  activateProfile(version: number, by: string, at: Timestamp, administration?: string): Promise<void>;

  /** Appends a revision (the store numbers it: one more than the movement's latest) and returns it as stored. */
  addAssessment(assessment: Omit<RiskAssessment, 'revision'>): Promise<RiskAssessment>;
  latestAssessment(movement: MovementId): Promise<RiskAssessment | null>;
  /** The latest revision of each movement given that has one, in no promised order. */
  latestAssessments(movements: MovementId[]): Promise<RiskAssessment[]>;
  /** Every revision of the movement, oldest first. */
  assessmentHistory(movement: MovementId): Promise<RiskAssessment[]>;
  /** The latest revision of every assessed movement (optionally of one office), by decidedAt then movement. */
  listLatestAssessments(filter: { office?: OfficeCode }): Promise<RiskAssessment[]>;
  /** The trader's record over its movements other than `except`. */
  traderHistory(trader: string, except: MovementId): Promise<TraderHistory>;

  /** Records (or replaces) the movement's inspection outcome. */
  saveInspection(inspection: StoredInspection): Promise<void>;
  getInspection(movement: MovementId): Promise<StoredInspection | null>;
  /** Every inspection (optionally under one profile version), by time then movement. */
  listInspections(filter: { profileVersion?: number }): Promise<StoredInspection[]>;

  /**
   * KPI sums of every movement's latest revision, grouped in the database by office (or all
   * offices as '*' with `allOffices`) and UTC period of its decision (`periodKey`'s keys), with
   * the movement's clearance time (arrival to end) and inspection result joined in.
   */
  kpiAggregates(filter: {
    period: KpiPeriod;
    office?: OfficeCode;
    allOffices?: boolean;
    from?: Timestamp;
    to?: Timestamp;
  }): Promise<KpiAggregate[]>;

  /** One administration's layer of the risk reference ('' or absent: the installation's), by kind then key (optionally of one kind). */
  listReference(filter: { kind?: RiskReferenceKind; administration?: string }): Promise<RiskReferenceEntry[]>;
  /** Sets (replaces) one entry of an administration's layer ('' or absent: the installation's). */
  putReference(entry: RiskReferenceEntry, administration?: string): Promise<void>;
  /** Removes one entry of an administration's layer; false when there was none. */
  deleteReference(kind: RiskReferenceKind, key: string, administration?: string): Promise<boolean>;
}

/** An organisation: a customs administration (with its country), a trader, a device provider, an auditor, or the platform operator. */
export interface Organisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  /** ISO 3166 alpha-2: a customs administration's jurisdiction; null for others (and for a central administration). */
  country: string | null;
  /** Authorised Economic Operator (traders). */
  aeo: boolean;
  createdAt: Timestamp;
}
export interface User {
  id: string;
  username: string;
  name: string;
  organisation: string;
  roles: Role[];
  /** `scrypt$N$r$p$salt$hash`; never leaves the server. */
  passwordHash: string;
  /** base32 TOTP secret once a second factor is enrolled; null otherwise. */
  totpSecret: string | null;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: Timestamp | null;
  createdAt: Timestamp;
}
export interface Session {
  /** SHA-256 (hex) of the cookie value: the value itself is never stored. */
  idHash: string;
  user: string;
  csrf: string;
  createdAt: Timestamp;
  expiresAt: Timestamp;
}
export interface ApiToken {
  id: string;
  /** SHA-256 (hex) of the token. */
  hash: string;
  user: string;
  name: string;
  scopes: Permission[];
  createdAt: Timestamp;
  expiresAt: Timestamp | null;
  revokedAt: Timestamp | null;
  /** The token that made this one (null: made in a session or with the installation token). */
  maker: string | null;
}
export interface AccessStore {
  /** Throws DomainError('organisation_exists'). */
  createOrganisation(o: Organisation): Promise<void>;
  getOrganisation(id: string): Promise<Organisation | null>;
  listOrganisations(): Promise<Organisation[]>;
  /** Throws DomainError('user_exists') for a taken id or username. */
  createUser(u: User): Promise<void>;
  getUser(id: string): Promise<User | null>;
  getUserByUsername(username: string): Promise<User | null>;
  listUsers(organisation?: string): Promise<User[]>;
  /** Replaces the stored user (same id). */
  updateUser(u: User): Promise<void>;
  createSession(s: Session): Promise<void>;
  getSession(idHash: string): Promise<Session | null>;
  deleteSession(idHash: string): Promise<void>;
  /** Removes every session of a user (password change, disabling). */
  deleteSessionsOf(user: string): Promise<void>;
  createToken(t: ApiToken): Promise<void>;
  getTokenByHash(hash: string): Promise<ApiToken | null>;
  getToken(id: string): Promise<ApiToken | null>;
  listTokens(user?: string): Promise<ApiToken[]>;
  /** Marks the token and every token made from it (down the chain) revoked at `at`; false if unknown. */
  revokeToken(id: string, at: Timestamp): Promise<boolean>;
  /**
   * Takes one sign-in attempt for `key` atomically (parallel attempts each see the one before): refused
   * with the wait left while the key is delayed; otherwise counted as a failure in advance (cleared
   * by `clearSignInFailures` when it succeeds) and the key delayed by `delayMs(failures)` from `nowMs`.
   */
  takeSignInAttempt(
    key: string,
    nowMs: number,
    delayMs: (failures: number) => number,
  ): Promise<{ ok: true } | { ok: false; retryAfterMs: number }>;
  clearSignInFailures(key: string): Promise<void>;
  /** Forgets failure counts last touched before `beforeMs`; returns how many. */
  pruneSignInFailures(beforeMs: number): Promise<number>;
  /** Records that the user signed in with the TOTP code of time step `step`; false if that step or a later one was used already. */
  useTotpStep(user: string, step: number): Promise<boolean>;
}

export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Stores `value` only if the key has none; returns what is stored afterwards (first writer wins). */
  setIfAbsent(key: string, value: string): Promise<string>;
}

/** What an integration token may feed: one network server or the RFID reader endpoints. */
export type IntegrationKind = 'chirpstack' | 'tts' | 'rfid';

/** A scoped token for one HTTP device integration; only the SHA-256 of the token is stored. */
export interface IntegrationToken {
  id: string;
  kind: IntegrationKind;
  name: string;
  /** Hex SHA-256 of the token. */
  tokenSha256: string;
  createdAt: Timestamp;
  createdBy: string;
  /** The organisation it belongs to: listed and revoked within it, feeding only its devices (the platform's: all). */
  organisation: string;
  revokedAt: Timestamp | null;
}

export interface IntegrationStore {
  /** Throws DomainError('integration_exists') if the id or the token hash is taken. */
  create(token: IntegrationToken): Promise<void>;
  /** The token with this hash, revoked or not (the caller decides), or null. */
  findByHash(tokenSha256: string): Promise<IntegrationToken | null>;
  /** The integration with this id, or null. */
  get(id: string): Promise<IntegrationToken | null>;
  /** Ordered by id; only `organisation`'s when given. */
  list(page: PageRequest, organisation?: string): Promise<Page<IntegrationToken>>;
  /** Marks the token revoked at `at` (an earlier revocation is kept); the token as stored, or null if unknown. */
  revoke(id: string, at: Timestamp): Promise<IntegrationToken | null>;
}

/** A vendor identifier that reached ingest without a registered device (SEALWATCH_PENDING_DEVICES). */
export interface PendingDevice {
  identifier: string;
  /** The protocol of its latest sighting. */
  protocol: string;
  transport: string;
  remote: string | null;
  firstSeenAt: Timestamp;
  lastSeenAt: Timestamp;
  /** Inputs received from it while pending (each quarantined). */
  count: number;
  /**
   * The organisation whose integration reported it; null when it came another way (a listener, the
   * platform's integrations) or through several organisations: then only the platform sees it.
   */
  organisation: string | null;
}

export interface PendingDeviceStore {
  /** Adds the identifier, or counts one more sighting (protocol, transport, remote and lastSeenAt become the latest). */
  note(sighting: {
    identifier: string;
    protocol: string;
    transport: string;
    remote: string | null;
    at: Timestamp;
    /** The organisation of the integration that reported it (absent: none). */
    organisation?: string | null;
  }): Promise<void>;
  get(identifier: string): Promise<PendingDevice | null>;
  /** Ordered by identifier; with `organisation`, only that organisation's, filtered before paging. */
  list(page: PageRequest, filter?: { organisation?: string }): Promise<Page<PendingDevice>>;
  /** True when it was pending. */
  remove(identifier: string): Promise<boolean>;
}

/** The whole store: what an adapter hands to the services. */
export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  devices: DeviceStore;
  /** Each device's keys with their lifecycle; HS256 secrets sealed (device-key-ports.ts). */
  deviceKeys: DeviceKeyStore;
  offices: OfficeStore;
  movements: MovementStore;
  observations: ObservationStore;
  events: EventStore;
  alerts: AlertStore;
  quarantine: QuarantineStore;
  processing: ProcessingStore;
  settings: KeyValueStore;
  audit: AuditStore;
  /** Risk profiles, assessments and inspection outcomes. */
  risk: RiskStore;
  /** Scoped tokens of HTTP device integrations (LoRaWAN network servers, RFID readers). */
  integrations: IntegrationStore;
  /** Unknown vendor identifiers waiting for an operator's approval. */
  pendingDevices: PendingDeviceStore;
  /** Organisations, users, sessions and API tokens. */
  access: AccessStore;
  /** What each movement's last transit evaluation found (transit-ports.ts). */
  transit: TransitStore;
  /** The device command queue: remote unlocks and other commands, with their results (command-ports.ts). */
  commands: CommandStore;
  /** Alert notification receivers and their delivery log (webhook-ports.ts). */
  webhooks: WebhookStore;
  /** Incidents grouping alerts, and per-movement mutes (incident-ports.ts). */
  incidents: IncidentStore;
  /** Custody grants and device armings: who holds a device, which movement it is on (custody-ports.ts). */
  custody: CustodyStore;
  /** Partner administrations, the federation outbox, messages received, shared movements (federation-ports.ts). */
  federation: FederationStore;
  /** Users' notification settings and the e-mail outbox (notification-ports.ts). */
  notifications: NotificationStore;
  /** Cluster partitions' owners and epochs: the fence a processing commit must pass (partition-owner-ports.ts). */
  partitionOwners: PartitionOwnerStore;
  /** EPCIS capture jobs, so a capture's Location answers after a restart (capture-job-ports.ts). */
  captureJobs: CaptureJobStore;
  /** EPCIS standing queries, each on its webhook (epcis-subscription-ports.ts). */
  epcisSubscriptions: EpcisSubscriptionStore;
  /** EPCIS named queries, each organisation's own (epcis-query-ports.ts). */
  epcisQueries: EpcisQueryStore;
  /** Cheap liveness probe for /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
