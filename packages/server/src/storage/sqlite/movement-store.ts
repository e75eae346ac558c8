/** SQLite movement store: one row per movement plus a movement_devices index for device look-ups. */
import { DomainError } from '@sealwatch/core';
import type { DeviceId, Movement, MovementId, OfficeCode, Timestamp } from '@sealwatch/core';
import type { MovementStore } from '../ports';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import { fromJson, isUniqueViolation, statementCache, toJson, where } from './sql';
import type { Db, Row } from './sql';

const columns = `reference, container, vehicle, trader, devices, seals, departure_office,
  destination_office, route, corridor_width_m, authorized_stops, time_limit, status, created_at,
  started_at, arrived_at, ended_at, updated_at`;

function values(m: Movement): unknown[] {
  return [m.reference, m.container, m.vehicle, m.trader, toJson(m.devices), toJson(m.seals),
    m.departureOffice, m.destinationOffice, toJson(m.route), m.corridorWidthM,
    toJson(m.authorizedStops), m.timeLimit, m.status, m.createdAt, m.startedAt, m.arrivedAt,
    m.endedAt, m.updatedAt];
}

function toMovement(r: Row): Movement {
  return {
    id: r.id as MovementId,
    reference: r.reference as string,
    container: r.container as string | null,
    vehicle: r.vehicle as string | null,
    trader: r.trader as string | null,
    devices: fromJson<DeviceId[]>(r.devices),
    seals: fromJson<string[]>(r.seals),
    departureOffice: r.departure_office as OfficeCode,
    destinationOffice: r.destination_office as OfficeCode,
    route: fromJson(r.route),
    corridorWidthM: r.corridor_width_m as number,
    authorizedStops: fromJson(r.authorized_stops),
    timeLimit: r.time_limit as Timestamp | null,
    status: r.status as Movement['status'],
    createdAt: r.created_at as Timestamp,
    startedAt: r.started_at as Timestamp | null,
    arrivedAt: r.arrived_at as Timestamp | null,
    endedAt: r.ended_at as Timestamp | null,
    updatedAt: r.updated_at as Timestamp,
  };
}

function movementExists(m: Movement): DomainError {
  return new DomainError('movement_exists', `a movement with id ${m.id} or reference ${m.reference} already exists`,
    { id: m.id, reference: m.reference });
}

/**
 * Movements, listed newest first by (createdAt, id). Throws DomainError('movement_exists') when
 * the id or the reference is taken, and 'unknown_movement' when updating a movement not stored.
 */
export function sqliteMovementStore(db: Db): MovementStore {
  const stmt = statementCache(db);
  const insert = db.prepare(`INSERT INTO movements (id, ${columns})
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const replace = db.prepare(`UPDATE movements SET (${columns})
    = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`);
  const byId = db.prepare<[string], Row>('SELECT * FROM movements WHERE id = ?');
  const linkDevice = db.prepare('INSERT OR IGNORE INTO movement_devices (movement_id, device) VALUES (?, ?)');
  const unlinkDevices = db.prepare('DELETE FROM movement_devices WHERE movement_id = ?');
  const openByDevice = db.prepare<[string], Row>(`SELECT * FROM movements
    WHERE status <> 'ended' AND id IN (SELECT movement_id FROM movement_devices WHERE device = ?)
    ORDER BY created_at DESC, id DESC`);

  const createTx = db.transaction((m: Movement) => {
    insert.run(m.id, ...values(m));
    for (const d of m.devices) linkDevice.run(m.id, d);
  });
  const updateTx = db.transaction((m: Movement) => {
    if (replace.run(...values(m), m.id).changes === 0) {
      throw new DomainError('unknown_movement', `movement ${m.id} does not exist`, { id: m.id });
    }
    unlinkDevices.run(m.id);
    for (const d of m.devices) linkDevice.run(m.id, d);
  });

  return {
    async create(movement) {
      try {
        createTx(movement);
      } catch (err) {
        if (isUniqueViolation(err)) throw movementExists(movement);
        throw err;
      }
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toMovement(row) : null;
    },
    async update(movement) {
      try {
        updateTx(movement);
      } catch (err) {
        // Only the reference is unique on update: another movement already uses it.
        if (isUniqueViolation(err)) throw movementExists(movement);
        throw err;
      }
    },
    async list(filter, page) {
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['string', 'string']);
      const conditions: string[] = [];
      const params: unknown[] = [];
      if (filter.status) {
        conditions.push('status = ?');
        params.push(filter.status);
      }
      if (filter.device) {
        conditions.push('id IN (SELECT movement_id FROM movement_devices WHERE device = ?)');
        params.push(filter.device);
      }
      if (key) {
        conditions.push('(created_at, id) < (?, ?)');
        params.push(key[0], key[1]);
      }
      const sql = `SELECT * FROM movements ${where(conditions)} ORDER BY created_at DESC, id DESC LIMIT ?`;
      const rows = stmt(sql).all(...params, limit + 1);
      return toPage(rows.map(toMovement), limit, (m) => [m.createdAt, m.id]);
    },
    async listOpenByDevice(device) {
      return openByDevice.all(device).map(toMovement);
    },
  };
}
