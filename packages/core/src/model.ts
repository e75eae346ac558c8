/** The domain model (DESIGN §4). Plain data, no behaviour: rules live in their own modules. */
import type { AlertId, DeviceId, EventId, MovementId, OfficeCode, Timestamp } from './ids';

export type DeviceClass = 'passive' | 'semi_active' | 'active';
export type DeviceKind = 'e_seal' | 'e_lock' | 'tracker' | 'container_sensor' | 'rfid_seal' | 'reader';

/** Key material registered for a native-protocol device; its `alg` is the only algorithm accepted. */
export type DeviceKey = (
  | { alg: 'EdDSA'; jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string } }
  | { alg: 'ES256'; jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string } }
  | { alg: 'HS256'; secret: string }
) & {
  /**
   * base64url 32-byte A256GCM content key for encrypted messages (JWE `dir`, COSE_Encrypt0): a
   * device secret like the HS256 `secret`, never shown by the API.
   * TODO(master key): seal it at rest with SEALWATCH_MASTER_KEY as HS256 secrets are.
   */
  contentKey?: string;
};
export type SigningAlg = DeviceKey['alg'];

export interface DeviceIdentifiers {
  imei?: string;
  epc?: string;
  sealNumber?: string;
}

export interface Device {
  id: DeviceId;
  class: DeviceClass;
  kind: DeviceKind;
  protocol: string;
  identifiers: DeviceIdentifiers;
  /** Expected seconds between reports; null where the class reports only on events. */
  reportIntervalS: number | null;
  /**
   * The public part of the device's current key (an HS256 key as `{alg}` alone). The keys
   * themselves, with their lifecycle and encrypted secrets, are the device's key list.
   */
  key: DeviceKey | { alg: 'HS256' } | null;
  owner: string | null;
  createdAt: Timestamp;
  /** A fixed reader's registered location: where its tag reads are placed (absent for other devices). */
  location?: { lat: number; lon: number; accuracy?: number };
  /** A reader's regional UHF band profile (e.g. `ETSI_EU`), recorded with its reads. */
  band?: string;
}

export interface LatLon {
  lat: number;
  lon: number;
}

/** An office or stop area: a GeoJSON Polygon or a circle. */
export type Area = { type: 'Polygon'; coordinates: number[][][] } | { center: LatLon; radiusM: number };

export interface Office {
  code: OfficeCode;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  area: Area;
  createdAt: Timestamp;
}

export interface LineString {
  type: 'LineString';
  coordinates: number[][];
}

export interface AuthorizedStop {
  name: string;
  area: Area;
  maxDwellMinutes: number;
}

export type MovementStatus = 'declared' | 'in_transit' | 'arrived' | 'ended' | 'held';

/** The sensors of the native protocol (DESIGN §5): °C, %RH, g, lux. */
export type SensorName = 'temperature' | 'humidity' | 'shock' | 'light';

/** One threshold of a movement: out of range below `min` or above `max` (either may be absent), for at least `minDurationS`. */
export interface SensorThreshold {
  sensor: SensorName;
  min?: number;
  max?: number;
  /** Seconds from the first to the last reading out of range that make an episode; default `DEFAULT_SENSOR_MIN_DURATION_S`. */
  minDurationS?: number;
}

/** A reader the cargo must pass; `order` ranks checkpoints along the itinerary (equal orders do not constrain each other). */
export interface Checkpoint {
  /** The reader's device id (reads are reported by the reader, DESIGN §5 `reads`). One checkpoint per reader. */
  readerId: string;
  order: number;
  /** Latest time for the first read; absent: no deadline. */
  expectedBy?: Timestamp | null;
  name?: string;
}

export interface Movement {
  id: MovementId;
  reference: string;
  container: string | null;
  vehicle: string | null;
  trader: string | null;
  devices: DeviceId[];
  seals: string[];
  departureOffice: OfficeCode;
  destinationOffice: OfficeCode;
  /**
   * Offices of transit, border posts included, in the order the itinerary passes them (DESIGN §6).
   * Waiting inside their areas is part of the itinerary: never an unauthorised stop. Absent or
   * empty when the movement declares none.
   */
  transitOffices?: OfficeCode[];
  route: LineString | null;
  corridorWidthM: number;
  authorizedStops: AuthorizedStop[];
  timeLimit: Timestamp | null;
  /** Condition limits of the cargo (reefer temperature, door light…), checked by sensor_out_of_range. */
  sensorThresholds: SensorThreshold[];
  /** The RFID readers the movement's passive seals must be read at, in order (checkpoint_missed). */
  checkpoints: Checkpoint[];
  /** Declared HS chapter or code of the main goods item (digits: 2, 4, 6, 8 or 10), null when not declared; rated by the risk reference. */
  hsChapter?: string | null;
  /** Declared ISO 3166-1 alpha-2 country of origin of the goods, null when not declared; rated by the risk reference. */
  originCountry?: string | null;
  status: MovementStatus;
  createdAt: Timestamp;
  startedAt: Timestamp | null;
  arrivedAt: Timestamp | null;
  endedAt: Timestamp | null;
  updatedAt: Timestamp;
}

export type SealState = 'closed' | 'open' | 'tampered';
export type RopeState = 'inserted' | 'removed' | 'cut';
export type LockState = 'locked' | 'unlocked';

export interface SealReading {
  state?: SealState;
  rope?: RopeState;
  lock?: LockState;
}

export interface Position {
  lat: number;
  lon: number;
  accuracy?: number;
  /** km/h */
  speed?: number;
  /** degrees from north */
  heading?: number;
  source?: 'gnss' | 'cell' | 'wifi' | 'reader';
}

export interface TagRead {
  epc: string;
  tid?: string;
  rssi?: number;
  time?: string;
}

/** How an observation's origin was proven: an asymmetric signature, a shared-secret MAC, or nothing. */
/** How an observation's origin is known; `federated`: forwarded by a partner administration in a signed federation message (docs/federation.md). */
export type Trust = 'signed' | 'hmac' | 'unverified' | 'federated';

export interface Observation {
  /** Storage sequence: increases with every committed observation; the processor's log position. */
  id: number;
  device: DeviceId;
  seq: number | null;
  time: Timestamp;
  receivedAt: Timestamp;
  /** True when it arrived long after it was made (store-and-forward). */
  late: boolean;
  position: Position | null;
  seal: SealReading | null;
  door: 'open' | 'closed' | null;
  sensors: Record<string, number> | null;
  battery: { level?: number; voltage?: number } | null;
  reads: TagRead[] | null;
  /** Unknown payload members, kept as the vendor sent them. */
  attributes: Record<string, unknown> | null;
  trust: Trust;
  protocol: string;
  /** SHA-256 (base64url) of the signed payload bytes: the identity of the content for duplicates. */
  hash: string;
  /** The raw message as received: the JWS compact string for native messages, base64 of the frame for vendor protocols. */
  raw: string;
}

export type NewObservation = Omit<Observation, 'id'>;

export const alertTypes = [
  'seal_opened',
  'seal_tampered',
  'rope_cut',
  'unlock_unauthorized',
  'route_deviation',
  'unauthorized_stop',
  'transit_overdue',
  'signal_lost',
  'battery_low',
  'battery_insufficient',
  'sensor_out_of_range',
  'gnss_anomaly',
  'device_cloned',
  'checkpoint_missed',
  'seal_mismatch',
  'message_forged',
  'device_key_changed',
  // The platform itself (no movement, no device): a dependency down, low disk, processing lag, a lost partition lease.
  'platform_degraded',
] as const;
export type AlertType = (typeof alertTypes)[number];

/** Event types: every alert type, plus facts that need no person. */
export const eventTypes = [
  ...alertTypes,
  'movement_declared',
  'movement_started',
  'movement_arrived',
  'movement_ended',
  'seal_closed',
  'rope_inserted',
  'seal_locked',
  'seal_unlocked',
  'seq_conflict',
  // transit facts (core/transit/areas.ts, checkpoints.ts): recorded for the timeline, no alert
  'office_entered',
  'office_left',
  'border_crossed',
  'movement_arrived_detected',
  'checkpoint_unexpected',
] as const;
export type EventType = (typeof eventTypes)[number];

export type Severity = 'critical' | 'major' | 'minor' | 'warning';

export interface DomainEvent {
  id: EventId;
  type: EventType;
  movement: MovementId | null;
  device: DeviceId | null;
  time: Timestamp;
  details: Record<string, unknown>;
  /** The observation that caused it, if any. */
  observation: number | null;
  createdAt: Timestamp;
}

export type AlertStatus = 'open' | 'acknowledged' | 'assigned' | 'resolved';
export type AlertOutcome = 'confirmed' | 'false_alarm';

export interface AlertHistoryEntry {
  /** `cleared`: the condition ended by itself (back in the corridor, signal back); `escalated`: not acknowledged in time. Both by the system (`by` null). */
  action: 'opened' | 'repeated' | 'acknowledged' | 'assigned' | 'resolved' | 'cleared' | 'escalated';
  at: Timestamp;
  by: string | null;
  comment?: string;
  assignee?: string;
  outcome?: AlertOutcome;
}

export interface Alert {
  id: AlertId;
  type: AlertType;
  severity: Severity;
  status: AlertStatus;
  movement: MovementId | null;
  device: DeviceId | null;
  /** When it first happened. */
  time: Timestamp;
  /** When it last happened; later occurrences update an open alert instead of opening another. */
  lastTime: Timestamp;
  count: number;
  details: Record<string, unknown>;
  assignee: string | null;
  outcome: AlertOutcome | null;
  comment: string | null;
  history: AlertHistoryEntry[];
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /**
   * 1 when opened, one more for each stored change: stores write a change only over the
   * revision it was made from, so concurrent writers (processors, operators) never lose one.
   */
  revision: number;
}

/** Why an input was rejected: a closed set, counted in metrics and kept with the raw bytes. */
export const rejectReasons = [
  'malformed_jws',
  'invalid_header',
  'algorithm_not_allowed',
  'unknown_device',
  'no_device_key',
  'bad_signature',
  'invalid_payload',
  'kid_mismatch',
  'clock_skew',
  'seq_conflict',
  'too_large',
  // vendor protocols: a frame the decoder cannot read; a device registered for another protocol
  'malformed_frame',
  'protocol_mismatch',
  // native protocol v1 as COSE: not a tagged COSE_Sign1 / COSE_Mac0 (docs/native-protocol.md)
  'malformed_cose',
  // an encrypted message (JWE, COSE_Encrypt0) that does not decrypt: wrong key, altered, bad IV or epk
  'decryption_failed',
  // device key lifecycle: signed with a revoked key; with a retiring key after its overlap ended
  'key_revoked',
  'key_expired',
  // federation messages (docs/federation.md): not from a partner, signed with a key not pinned,
  // carrying more than this side's agreement, about a movement not shared
  'unknown_partner',
  'unknown_key',
  'beyond_agreement',
  'unknown_movement',
  // an HTTP integration (network server, readers) posting for a device its organisation does not own
  'not_integration_device',
  // an unsigned (vendor) reading dated inside the armed period of a movement that had already ended
  'movement_ended',
] as const;
export type RejectReason = (typeof rejectReasons)[number];

export interface QuarantineEntry {
  id: number;
  receivedAt: Timestamp;
  transport: string;
  remote: string | null;
  reason: RejectReason;
  detail: string;
  device: string | null;
  seq: number | null;
  /** Raw bytes, base64. */
  raw: string;
}
export type NewQuarantineEntry = Omit<QuarantineEntry, 'id'>;

/** What the processor remembers per device between observations. */
export interface DeviceState {
  device: DeviceId;
  lastTime: Timestamp | null;
  lastReceivedAt: Timestamp | null;
  lastSeq: number | null;
  position: Position | null;
  positionTime: Timestamp | null;
  seal: SealReading | null;
  battery: { level?: number; voltage?: number } | null;
}
