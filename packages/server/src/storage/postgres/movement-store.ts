/** PostgreSQL movement store: one row per movement plus a movement_devices table for device look-ups. */
import { DomainError } from '@sealwatch/core';
import type { Movement } from '@sealwatch/core';
import type { Pool, PoolClient } from 'pg';
import type { MovementStore } from '../ports';
import { movementColumnCount, movementColumns, movementExists, movementValues } from '../rows';
import { inTransaction, isUniqueViolation, postgresRows, postgresLists } from './sql';
import { keysetPage } from '../keyset-list';
import { movementList } from '../lists';

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

/** Inserts a movement inside the caller's transaction (the custody store declares with it). */
export async function insertMovement(client: PoolClient, m: Movement): Promise<void> {
  await client.query(`INSERT INTO movements (${movementColumns}, id) VALUES (${placeholders}, ${idParam})`, [...movementValues(m), m.id]);
  await linkDevices(client, m);
}

/** Replaces a stored movement inside the caller's transaction; unknown_movement when it is not stored. */
export async function replaceMovement(client: PoolClient, m: Movement): Promise<void> {
  const { rowCount } = await client.query(`UPDATE movements SET (${movementColumns}) = ROW(${placeholders}) WHERE id = ${idParam}`, [
    ...movementValues(m),
    m.id,
  ]);
  if (rowCount === 0) throw new DomainError('unknown_movement', `movement ${m.id} does not exist`, { id: m.id });
  await client.query('DELETE FROM movement_devices WHERE movement_id = $1', [m.id]);
  await linkDevices(client, m);
}

/**
 * Movements, listed newest first by (createdAt, id). Throws DomainError('movement_exists') when
 * the id or the reference is taken, and 'unknown_movement' when updating a movement not stored.
 */
export function postgresMovementStore(pool: Pool): MovementStore {
  return {
    async create(movement) {
      try {
        await inTransaction(pool, (client) => insertMovement(client, movement));
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
        await inTransaction(pool, (client) => replaceMovement(client, movement));
      } catch (err) {
        // Only the reference is unique on update: another movement already uses it.
        if (isUniqueViolation(err)) throw movementExists(movement);
        throw err;
      }
    },
    async list(filter, page) {
      return keysetPage(movementList(filter), page, postgresLists(pool), toMovement, (m) => [m.createdAt, m.id]);
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
