/** SQLite webhook store: receivers and their delivery log (migration step 10). */
import type { Timestamp } from '@sealwatch/core';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import type { Webhook, WebhookDelivery, WebhookStore } from '../webhook-ports';
import type { Db, Row } from './sql';

const toWebhook = (r: Row): Webhook => ({
  id: r.id as string,
  url: r.url as string,
  secret: r.secret as string,
  types: r.types === null ? null : JSON.parse(r.types as string),
  createdAt: r.created_at as Timestamp,
  createdBy: r.created_by as string | null,
});
const toDelivery = (r: Row): WebhookDelivery => ({
  id: r.id as string,
  webhook: r.webhook as string,
  eventKey: r.event_key as string,
  payload: JSON.parse(r.payload as string),
  status: r.status as WebhookDelivery['status'],
  attempts: JSON.parse(r.attempts as string),
  nextAttemptAt: r.next_attempt_at as Timestamp | null,
  createdAt: r.created_at as Timestamp,
  updatedAt: r.updated_at as Timestamp,
});

/** Webhooks listed by id, deliveries newest first; a webhook's removal takes its deliveries (ON DELETE CASCADE). */
export function sqliteWebhookStore(db: Db): WebhookStore {
  const insert = db.prepare('INSERT INTO webhooks (id, url, secret, types, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)');
  const byId = db.prepare<[string], Row>('SELECT * FROM webhooks WHERE id = ?');
  const page = db.prepare<[string, number], Row>('SELECT * FROM webhooks WHERE id > ? ORDER BY id LIMIT ?');
  const pageBy = db.prepare<[string, string, number], Row>(
    'SELECT * FROM webhooks WHERE id > ? AND created_by IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?',
  );
  const remove = db.prepare('DELETE FROM webhooks WHERE id = ?');
  const setSecret = db.prepare('UPDATE webhooks SET secret = ? WHERE id = ?');
  const queue =
    db.prepare(`INSERT INTO webhook_deliveries (id, webhook, event_key, payload, status, attempts, next_attempt_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (webhook, event_key) DO NOTHING`);
  const due = db.prepare<[string, number], Row>(`SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
    ORDER BY next_attempt_at, id LIMIT ?`);
  const save = db.prepare('UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?');
  const deliveries = db.prepare<[string, string, string, number], Row>(`SELECT * FROM webhook_deliveries
    WHERE webhook = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`);
  const enqueueTx = db.transaction((ds: WebhookDelivery[]) =>
    ds.filter(
      (d) =>
        queue.run(
          d.id,
          d.webhook,
          d.eventKey,
          JSON.stringify(d.payload),
          d.status,
          JSON.stringify(d.attempts),
          d.nextAttemptAt,
          d.createdAt,
          d.updatedAt,
        ).changes > 0,
    ),
  );
  return {
    async create(w) {
      insert.run(w.id, w.url, w.secret, w.types === null ? null : JSON.stringify(w.types), w.createdAt, w.createdBy);
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toWebhook(row) : null;
    },
    async list(p, filter) {
      const limit = clampLimit(p.limit);
      const key = decodeCursor(p.cursor, ['string']);
      const after = key ? (key[0] as string) : '';
      const rows = filter?.createdBy ? pageBy.all(after, JSON.stringify(filter.createdBy), limit + 1) : page.all(after, limit + 1);
      return toPage(rows.map(toWebhook), limit, (w) => [w.id]);
    },
    async setSecret(id, secret) {
      return setSecret.run(secret, id).changes > 0;
    },
    async remove(id) {
      return remove.run(id).changes > 0;
    },
    async enqueue(ds) {
      return enqueueTx(ds);
    },
    async due(now, limit) {
      return due.all(now, clampLimit(limit)).map(toDelivery);
    },
    async saveDelivery(d) {
      save.run(d.status, JSON.stringify(d.attempts), d.nextAttemptAt, d.updatedAt, d.id);
    },
    async deliveries(webhook, p) {
      const limit = clampLimit(p.limit);
      const key = decodeCursor(p.cursor, ['string', 'string']);
      const rows = deliveries.all(webhook, key ? (key[0] as string) : '\uffff', key ? (key[1] as string) : '\uffff', limit + 1);
      return toPage(rows.map(toDelivery), limit, (d) => [d.createdAt, d.id]);
    },
  };
}
