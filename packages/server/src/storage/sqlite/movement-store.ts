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
 * Movements, listed newest first by (createdAt, id). Throws DomainError('movement_exists') when
 * the id or the reference is taken, and 'unknown_movement' when updating a movement not stored.
 */
export function sqliteMovementStore(db: Db): MovementStore {
  const lists = sqliteLists(db);
  const marks = Array.from({ length: movementColumnCount }, () => '?').join(', ');
  const insert = db.prepare(`INSERT INTO movements (id, ${movementColumns}) VALUES (?, ${marks})`);
  const replace = db.prepare(`UPDATE movements SET (${movementColumns}) = (${marks}) WHERE id = ?`);
  const byId = db.prepare<[string], Row>('SELECT * FROM movements WHERE id = ?');
  const linkDevice = db.prepare('INSERT OR IGNORE INTO movement_devices (movement_id, device) VALUES (?, ?)');
  const unlinkDevices = db.prepare('DELETE FROM movement_devices WHERE movement_id = ?');
  const openByDevice = db.prepare<[string], Row>(`SELECT * FROM movements
    WHERE status <> 'ended' AND id IN (SELECT movement_id FROM movement_devices WHERE device = ?)
    ORDER BY created_at DESC, id DESC`);

  const createTx = db.transaction((m: Movement) => {
    insert.run(m.id, ...movementValues(m));
    for (const d of m.devices) linkDevice.run(m.id, d);
  });
  const updateTx = db.transaction((m: Movement) => {
    if (replace.run(...movementValues(m), m.id).changes === 0) {
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
      return keysetPage(movementList(filter), page, lists, toMovement, (m) => [m.createdAt, m.id]);
    },
    async listOpenByDevice(device) {
      return openByDevice.all(device).map(toMovement);
    },
  };
}
