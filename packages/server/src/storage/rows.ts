/**
 * The rows every storage adapter shares. Both engines store the same columns under the same
 * names; they differ only in how a few values arrive from their driver (JSON as text or already
 * parsed, bytes as base64 text or a Buffer, booleans as 0/1 or true/false). Each adapter
 * describes that once as a `ColumnDecoder` and gets its row → domain mappers from `rowMappers`.
 * Statements stay in the adapters: only column names and values are shared here.
 */
import { DomainError } from '@sealwatch/core';
import type {
  Alert,
  AlertId,
  AlertType,
  Device,
  DeviceId,
  DeviceState,
  DomainEvent,
  EventId,
  EventType,
  Movement,
  MovementId,
  Observation,
  Office,
  OfficeCode,
  QuarantineEntry,
  Timestamp,
} from '@sealwatch/core';

/** A result row as a driver returns it, by column name. */
export type Row = Record<string, unknown>;

/** The observation members that SQLite keeps in one JSON column and PostgreSQL in columns of their own. */
export type ObservationPayload = Pick<Observation, 'position' | 'seal' | 'door' | 'sensors' | 'battery' | 'reads' | 'attributes'>;

/** How one engine's driver hands over the values whose form differs between engines. */
export interface ColumnDecoder {
  /** A JSON column as the value it holds; SQL NULL stays null. */
  json<T>(value: unknown): T;
  /** A boolean column as a boolean. */
  bool(value: unknown): boolean;
  /** A column of raw bytes as the base64 text the ports speak. */
  bytesBase64(value: unknown): string;
  /** The observation members outside the columns every engine has (see `ObservationPayload`). */
  observationPayload(row: Row): ObservationPayload;
}

/** One engine's mappers from a table's row to its domain object; plain functions, safe to pass to `map`. */
export interface RowMappers {
  /** A `devices` row. */
  toDevice(r: Row): Device;
  /** An `offices` row. */
  toOffice(r: Row): Office;
  /** A `movements` row. */
  toMovement(r: Row): Movement;
  /** An `observations` row. */
  toObservation(r: Row): Observation;
  /** An `events` row. */
  toEvent(r: Row): DomainEvent;
  /** An `alerts` row. */
  toAlert(r: Row): Alert;
  /** A `quarantine` row. */
  toQuarantineEntry(r: Row): QuarantineEntry;
  /** A `device_states` row. */
  toDeviceState(r: Row): DeviceState;
}

/** The row mappers of an engine whose driver hands values over as `decode` says. */
export function rowMappers(decode: ColumnDecoder): RowMappers {
  return {
    toDevice: (r) => ({
      id: r.id as DeviceId,
      class: r.class as Device['class'],
      kind: r.kind as Device['kind'],
      protocol: r.protocol as string,
      identifiers: decode.json(r.identifiers),
      reportIntervalS: r.report_interval_s as number | null,
      key: decode.json(r.key),
      owner: r.owner as string | null,
      createdAt: r.created_at as Timestamp,
      // Migration step 11: a reader's {location, band}; absent members stay absent.
      ...(decode.json<Pick<Device, 'location' | 'band'> | null>(r.placement) ?? {}),
    }),
    toOffice: (r) => ({
      code: r.code as OfficeCode,
      name: r.name as string,
      country: r.country as string,
      area: decode.json(r.area),
      createdAt: r.created_at as Timestamp,
    }),
    toMovement: (r) => ({
      id: r.id as MovementId,
      reference: r.reference as string,
      container: r.container as string | null,
      vehicle: r.vehicle as string | null,
      trader: r.trader as string | null,
      devices: decode.json(r.devices),
      seals: decode.json(r.seals),
      departureOffice: r.departure_office as OfficeCode,
      destinationOffice: r.destination_office as OfficeCode,
      route: decode.json(r.route),
      corridorWidthM: r.corridor_width_m as number,
      authorizedStops: decode.json(r.authorized_stops),
      timeLimit: r.time_limit as Timestamp | null,
      // Columns of migration step 10; NULL on rows written before it.
      sensorThresholds: decode.json(r.sensor_thresholds) ?? [],
      checkpoints: decode.json(r.checkpoints) ?? [],
      status: r.status as Movement['status'],
      createdAt: r.created_at as Timestamp,
      startedAt: r.started_at as Timestamp | null,
      arrivedAt: r.arrived_at as Timestamp | null,
      endedAt: r.ended_at as Timestamp | null,
      updatedAt: r.updated_at as Timestamp,
      // Columns of migration step 16; NULL when not declared (and on rows written before it).
      hsChapter: (r.hs_chapter as string | null) ?? null,
      originCountry: (r.origin_country as string | null) ?? null,
      // Column of migration step 20; NULL on rows written before it.
      transitOffices: decode.json(r.transit_offices) ?? [],
    }),
    toObservation: (r) => {
      const payload = decode.observationPayload(r);
      return {
        id: r.id as number,
        device: r.device as DeviceId,
        seq: r.seq as number | null,
        time: r.time as Timestamp,
        receivedAt: r.received_at as Timestamp,
        late: decode.bool(r.late),
        position: payload.position,
        seal: payload.seal,
        door: payload.door,
        sensors: payload.sensors,
        battery: payload.battery,
        reads: payload.reads,
        attributes: payload.attributes,
        trust: r.trust as Observation['trust'],
        protocol: r.protocol as string,
        hash: r.hash as string,
        // The message as received (a JWS, or base64 of a vendor frame): text on both engines.
        raw: r.raw as string,
      };
    },
    toEvent: (r) => ({
      id: r.id as EventId,
      type: r.type as EventType,
      movement: r.movement as MovementId | null,
      device: r.device as DeviceId | null,
      time: r.time as Timestamp,
      details: decode.json(r.details),
      observation: r.observation as number | null,
      createdAt: r.created_at as Timestamp,
    }),
    toAlert: (r) => ({
      id: r.id as AlertId,
      type: r.type as AlertType,
      severity: r.severity as Alert['severity'],
      status: r.status as Alert['status'],
      movement: r.movement as MovementId | null,
      device: r.device as DeviceId | null,
      time: r.time as Timestamp,
      lastTime: r.last_time as Timestamp,
      count: r.count as number,
      details: decode.json(r.details),
      assignee: r.assignee as string | null,
      outcome: r.outcome as Alert['outcome'],
      comment: r.comment as string | null,
      history: decode.json(r.history),
      createdAt: r.created_at as Timestamp,
      updatedAt: r.updated_at as Timestamp,
      revision: Number(r.revision),
    }),
    toQuarantineEntry: (r) => ({
      id: r.id as number,
      receivedAt: r.received_at as Timestamp,
      transport: r.transport as string,
      remote: r.remote as string | null,
      reason: r.reason as QuarantineEntry['reason'],
      detail: r.detail as string,
      device: r.device as string | null,
      seq: r.seq as number | null,
      raw: decode.bytesBase64(r.raw),
    }),
    toDeviceState: (r) => ({
      device: r.device as DeviceId,
      lastTime: r.last_time as Timestamp | null,
      lastReceivedAt: r.last_received_at as Timestamp | null,
      lastSeq: r.last_seq as number | null,
      position: decode.json(r.position),
      positionTime: r.position_time as Timestamp | null,
      seal: decode.json(r.seal),
      battery: decode.json(r.battery),
    }),
  };
}

/**
 * JSON text for a JSON column's parameter, null for SQL NULL. Both engines take text: SQLite
 * stores it as such, and node-postgres would turn a JS array into a PostgreSQL array literal.
 */
export function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** A device's `placement` column (a reader's location and band) as JSON text, or null when it has neither. */
export function devicePlacement(d: Device): string | null {
  if (!d.location && !d.band) return null;
  return JSON.stringify({ ...(d.location ? { location: d.location } : {}), ...(d.band ? { band: d.band } : {}) });
}

/** The columns of a `movements` row other than `id`, in the order of `movementValues`. */
export const movementColumns = `reference, container, vehicle, trader, devices, seals, departure_office,
  destination_office, route, corridor_width_m, authorized_stops, time_limit, status, created_at,
  started_at, arrived_at, ended_at, updated_at, sensor_thresholds, checkpoints, hs_chapter, origin_country, transit_offices`;

/** A movement's values for `movementColumns`, in that order (JSON members as text). */
export function movementValues(m: Movement): unknown[] {
  return [
    m.reference,
    m.container,
    m.vehicle,
    m.trader,
    toJson(m.devices),
    toJson(m.seals),
    m.departureOffice,
    m.destinationOffice,
    toJson(m.route),
    m.corridorWidthM,
    toJson(m.authorizedStops),
    m.timeLimit,
    m.status,
    m.createdAt,
    m.startedAt,
    m.arrivedAt,
    m.endedAt,
    m.updatedAt,
    toJson(m.sensorThresholds),
    toJson(m.checkpoints),
    m.hsChapter ?? null,
    m.originCountry ?? null,
    toJson(m.transitOffices ?? []),
  ];
}

/** How many values `movementValues` gives: adapters build their placeholders from it. */
export const movementColumnCount = movementColumns.split(',').length;

/** The error for a movement whose id or reference another stored movement already has. */
export function movementExists(m: Movement): DomainError {
  return new DomainError('movement_exists', `a movement with id ${m.id} or reference ${m.reference} already exists`, {
    id: m.id,
    reference: m.reference,
  });
}
