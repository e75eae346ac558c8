/** SQLite movement store: one row per movement plus a movement_devices index for device look-ups. */
import { DomainError } from '@sealwatch/core';
import type { Movement } from '@sealwatch/core';
import type { MovementStore } from '../ports';
import { movementColumnCount, movementColumns, movementExists, movementValues } from '../rows';
import { isUniqueViolation, sqliteRows, sqliteLists } from './sql';
import type { Db, Row } from './sql';
import { keysetPage } from '../keyset-list';
import { movementList } from '../lists';

const { toMovement } = sqliteRows;

/**
 * The two writes of a movement as synchronous transactions (nested in a caller's transaction they
 * join it: the custody store declares a movement and claims its devices as one). They throw the
 * engine's errors; `movementWriteError` maps them.
 */
export function sqliteMovementWrites(db: Db) {
  const marks = Array.from({ length: movementColumnCount }, () => '?').join(', ');
  const insert = db.prepare(`INSERT INTO movements (id, ${movementColumns}) VALUES (?, ${marks})`);
  const replace = db.prepare(`UPDATE movements SET (${movementColumns}) = (${marks}) WHERE id = ?`);
  const linkDevice = db.prepare('INSERT OR IGNORE INTO movement_devices (movement_id, device) VALUES (?, ?)');
  const unlinkDevices = db.prepare('DELETE FROM movement_devices WHERE movement_id = ?');
  return {
    create: db.transaction((m: Movement) => {
      insert.run(m.id, ...movementValues(m));
      for (const d of m.devices) linkDevice.run(m.id, d);
    }),
    update: db.transaction((m: Movement) => {
      if (replace.run(...movementValues(m), m.id).changes === 0) {
        throw new DomainError('unknown_movement', `movement ${m.id} does not exist`, { id: m.id });
      }
      unlinkDevices.run(m.id);
      for (const d of m.devices) linkDevice.run(m.id, d);
    }),
  };
}

/** A unique violation on a movement write: the id or the reference is taken (only the reference, on update). */
export function movementWriteError(err: unknown, m: Movement): unknown {
  return isUniqueViolation(err) ? movementExists(m) : err;
}

/**
 * Movements, listed newest first by (createdAt, id). Throws DomainError('movement_exists') when
 * the id or the reference is taken, and 'unknown_movement' when updating a movement not stored.
 */
export function sqliteMovementStore(db: Db): MovementStore {
  const lists = sqliteLists(db);
  const writes = sqliteMovementWrites(db);
  const byId = db.prepare<[string], Row>('SELECT * FROM movements WHERE id = ?');
  const openByDevice = db.prepare<[string], Row>(`SELECT * FROM movements
    WHERE status <> 'ended' AND id IN (SELECT movement_id FROM movement_devices WHERE device = ?)
    ORDER BY created_at DESC, id DESC`);

  return {
    async create(movement) {
      try {
        writes.create(movement);
      } catch (err) {
        throw movementWriteError(err, movement);
      }
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toMovement(row) : null;
    },
    async update(movement) {
      try {
        writes.update(movement);
      } catch (err) {
        throw movementWriteError(err, movement);
      }
    },
    async list(filter, page) {
      return keysetPage(movementList(filter), page, lists, toMovement, (m) => [m.createdAt, m.id]);
    },
    async listOpenByDevice(device) {
      return openByDevice.all(device).map(toMovement);
    },
  };
}
