/** PostgreSQL command store: one row per device command; status changes are compare-and-set. */
import type { CommandId, CommandStatus, DeviceCommand, DeviceId, Timestamp } from '@sealwatch/core';
import type { Pool } from 'pg';
import type { CommandStore } from '../command-ports';
import { clampLimit, decodeCursor, toPage } from '../cursor';

type Row = Record<string, unknown>;
const toCommand = (r: Row): DeviceCommand => ({
  id: r.id as CommandId,
  device: r.device as DeviceId,
  movement: r.movement as DeviceCommand['movement'],
  type: r.type as DeviceCommand['type'],
  params: r.params as Record<string, unknown>,
  status: r.status as CommandStatus,
  requestedBy: r.requested_by as string,
  reason: r.reason as string,
  createdAt: r.created_at as Timestamp,
  expiresAt: r.expires_at as Timestamp,
  sentAt: r.sent_at as Timestamp | null,
  completedAt: r.completed_at as Timestamp | null,
  result: (r.result ?? null) as DeviceCommand['result'],
});

/** The device command queue. */
export function postgresCommandStore(pool: Pool): CommandStore {
  return {
    async create(c) {
      await pool.query(
        `INSERT INTO device_commands (id, device, movement, type, params, status, requested_by, reason, created_at, expires_at, sent_at, completed_at, result)
        VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)`,
        [
          c.id,
          c.device,
          c.movement,
          c.type,
          JSON.stringify(c.params),
          c.status,
          c.requestedBy,
          c.reason,
          c.createdAt,
          c.expiresAt,
          c.sentAt,
          c.completedAt,
          c.result === null ? null : JSON.stringify(c.result),
        ],
      );
    },
    async get(id) {
      const { rows } = await pool.query('SELECT * FROM device_commands WHERE id = $1', [id]);
      return rows.length ? toCommand(rows[0]) : null;
    },
    async listByDevice(device, request) {
      const limit = clampLimit(request.limit);
      const after = decodeCursor(request.cursor, ['string', 'string']);
      const { rows } = after
        ? await pool.query(
            `SELECT * FROM device_commands WHERE device = $1 AND (created_at, id) < ($2::timestamptz, $3)
            ORDER BY created_at DESC, id DESC LIMIT $4`,
            [device, after[0], after[1], limit + 1],
          )
        : await pool.query('SELECT * FROM device_commands WHERE device = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [
            device,
            limit + 1,
          ]);
      return toPage(rows.map(toCommand), limit, (c) => [c.createdAt, c.id]);
    },
    async open(device, statuses) {
      if (!statuses.length) return [];
      const { rows } = await pool.query(
        'SELECT * FROM device_commands WHERE device = $1 AND status = ANY($2::text[]) ORDER BY created_at, id',
        [device, statuses],
      );
      return rows.map(toCommand);
    },
    async expiring(at, limit) {
      const { rows } = await pool.query(
        `SELECT * FROM device_commands WHERE status IN ('queued', 'sent') AND expires_at <= $1
        ORDER BY expires_at, id LIMIT $2`,
        [at, limit],
      );
      return rows.map(toCommand);
    },
    async update(c, from) {
      const r = await pool.query(
        `UPDATE device_commands SET status = $2, sent_at = $3, completed_at = $4, result = $5::jsonb
        WHERE id = $1 AND status = $6`,
        [c.id, c.status, c.sentAt, c.completedAt, c.result === null ? null : JSON.stringify(c.result), from],
      );
      return r.rowCount === 1;
    },
  };
}
