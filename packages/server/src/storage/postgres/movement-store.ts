/** PostgreSQL movement store: one row per movement plus a movement_devices table for device look-ups. */
import { DomainError } from '@sealwatch/core';
import type { Movement } from '@sealwatch/core';
import type { Pool, PoolClient } from 'pg';
import type { MovementStore } from '../ports';
import { movementVisibilitySql } from '../visibility';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import { movementColumnCount, movementColumns, movementExists, movementValues } from '../rows';
import { inTransaction, isUniqueViolation, Params, postgresRows, where } from './sql';

const { toMovement } = postgresRows;
// $1..$n in the order of `movementColumns`; the id is $(n+1).
const placeholders = Array.from({ length: movementColumnCount }, (_, i) => `$${i + 1}`).join(', ');
const idParam = `$${movementColumnCount + 1}`;

async function linkDevices(client: PoolClient, m: Movement): Promise<void> {
  await client.query(
    `INSERT INTO movement_devices (movement_id, device)
    SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
    [m.id, m.devices],
  );
}

/**
 * Movements, listed newest first by (createdAt, id). Throws DomainError('movement_exists') when
 * the id or the reference is taken, and 'unknown_movement' when updating a movement not stored.
 */
export function postgresMovementStore(pool: Pool): MovementStore {
  return {
    async create(movement) {
      try {
        await inTransaction(pool, async (client) => {
          await client.query(`INSERT INTO movements (${movementColumns}, id) VALUES (${placeholders}, ${idParam})`, [
            ...movementValues(movement),
            movement.id,
          ]);
          await linkDevices(client, movement);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw movementExists(movement);
        throw err;
      }
    },
    async get(id) {
      const { rows } = await pool.query('SELECT * FROM movements WHERE id = $1', [id]);
      return rows.length ? toMovement(rows[0]) : null;
    },
    async update(movement) {
      try {
        await inTransaction(pool, async (client) => {
          const { rowCount } = await client.query(
            `UPDATE movements SET (${movementColumns}) = ROW(${placeholders}) WHERE id = ${idParam}`,
            [...movementValues(movement), movement.id],
          );
          if (rowCount === 0) {
            throw new DomainError('unknown_movement', `movement ${movement.id} does not exist`, { id: movement.id });
          }
          await client.query('DELETE FROM movement_devices WHERE movement_id = $1', [movement.id]);
          await linkDevices(client, movement);
        });
      } catch (err) {
        // Only the reference is unique on update: another movement already uses it.
        if (isUniqueViolation(err)) throw movementExists(movement);
        throw err;
      }
    },
    async list(filter, page) {
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['string', 'string']);
      const p = new Params();
      const conditions: string[] = [];
      if (filter.status) conditions.push(`status = ${p.add(filter.status)}`);
      if (filter.device) {
        conditions.push(`id IN (SELECT movement_id FROM movement_devices WHERE device = ${p.add(filter.device)})`);
      }
      if (filter.visibleTo) conditions.push(movementVisibilitySql(filter.visibleTo, (v) => p.add(v)));
      if (key) conditions.push(`(created_at, id) < (${p.add(key[0])}::timestamptz, ${p.add(key[1])})`);
      const sql = `SELECT * FROM movements ${where(conditions)}
        ORDER BY created_at DESC, id DESC LIMIT ${p.add(limit + 1)}`;
      const { rows } = await pool.query(sql, p.values);
      return toPage(rows.map(toMovement), limit, (m) => [m.createdAt, m.id]);
    },
    async listOpenByDevice(device) {
      const { rows } = await pool.query(
        `SELECT * FROM movements
        WHERE status <> 'ended' AND id IN (SELECT movement_id FROM movement_devices WHERE device = $1)
        ORDER BY created_at DESC, id DESC`,
        [device],
      );
      return rows.map(toMovement);
    },
  };
}
