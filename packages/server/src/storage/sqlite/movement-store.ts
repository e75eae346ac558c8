/** SQLite movement store: one row per movement plus a movement_devices index for device look-ups. */
import { DomainError } from '@sealwatch/core';
import type { Movement } from '@sealwatch/core';
import type { MovementStore } from '../ports';
import { movementVisibilitySql } from '../visibility';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import { movementColumnCount, movementColumns, movementExists, movementValues } from '../rows';
import { isUniqueViolation, sqliteRows, statementCache, where } from './sql';
import type { Db, Row } from './sql';

const { toMovement } = sqliteRows;

/**
 * Movements, listed newest first by (createdAt, id). Throws DomainError('movement_exists') when
 * the id or the reference is taken, and 'unknown_movement' when updating a movement not stored.
 */
export function sqliteMovementStore(db: Db): MovementStore {
  const stmt = statementCache(db);
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
      if (filter.visibleTo) conditions.push(movementVisibilitySql(filter.visibleTo, (v) => (params.push(v), '?')));
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
