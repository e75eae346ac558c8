/** SQLite command store: one row per device command; status changes are compare-and-set. */
import type { CommandId, CommandStatus, DeviceCommand, DeviceId, Timestamp } from '@sealwatch/core';
import type { CommandStore } from '../command-ports';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import type { Db, Row } from './sql';

const toCommand = (r: Row): DeviceCommand => ({
  id: r.id as CommandId,
  device: r.device as DeviceId,
  movement: r.movement as DeviceCommand['movement'],
  type: r.type as DeviceCommand['type'],
  params: JSON.parse(r.params as string),
  status: r.status as CommandStatus,
  requestedBy: r.requested_by as string,
  reason: r.reason as string,
  createdAt: r.created_at as Timestamp,
  expiresAt: r.expires_at as Timestamp,
  sentAt: r.sent_at as Timestamp | null,
  completedAt: r.completed_at as Timestamp | null,
  result: r.result === null ? null : JSON.parse(r.result as string),
});

/** The device command queue. */
export function sqliteCommandStore(db: Db): CommandStore {
  const insert =
    db.prepare(`INSERT INTO device_commands (id, device, movement, type, params, status, requested_by, reason, created_at, expires_at, sent_at, completed_at, result)
    VALUES (@id, @device, @movement, @type, @params, @status, @requestedBy, @reason, @createdAt, @expiresAt, @sentAt, @completedAt, @result)`);
  const byId = db.prepare<[string], Row>('SELECT * FROM device_commands WHERE id = ?');
  const page = db.prepare<[string, number, string, string, string, number], Row>(`SELECT * FROM device_commands WHERE device = ?
    AND (? = 0 OR created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT ?`);
  const expiring = db.prepare<[string, number], Row>(`SELECT * FROM device_commands WHERE status IN ('queued', 'sent') AND expires_at <= ?
    ORDER BY expires_at, id LIMIT ?`);
  const update = db.prepare(`UPDATE device_commands SET status = @status, sent_at = @sentAt, completed_at = @completedAt, result = @result
    WHERE id = @id AND status = @from`);
  const row = (c: DeviceCommand) => ({
    ...c,
    params: JSON.stringify(c.params),
    result: c.result === null ? null : JSON.stringify(c.result),
  });
  return {
    async create(c) {
      insert.run(row(c));
    },
    async get(id) {
      const r = byId.get(id);
      return r ? toCommand(r) : null;
    },
    async listByDevice(device, request) {
      const limit = clampLimit(request.limit);
      const after = decodeCursor(request.cursor, ['string', 'string']);
      const [t, id] = after ? (after as [string, string]) : ['', ''];
      const rows = page.all(device, after ? 1 : 0, t, t, id, limit + 1);
      return toPage(rows.map(toCommand), limit, (c) => [c.createdAt, c.id]);
    },
    async open(device, statuses) {
      if (!statuses.length) return [];
      const rows = db
        .prepare<unknown[], Row>(
          `SELECT * FROM device_commands WHERE device = ? AND status IN (${statuses.map(() => '?').join(', ')})
        ORDER BY created_at, id`,
        )
        .all(device, ...statuses);
      return rows.map(toCommand);
    },
    async expiring(at, limit) {
      return expiring.all(at, limit).map(toCommand);
    },
    async update(c, from) {
      return update.run({ ...row(c), from }).changes === 1;
    },
  };
}
