/** PostgreSQL webhook store: receivers and their delivery log (migration step 10). */
import type { Timestamp } from '@sealwatch/core';
import type { Pool } from 'pg';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import type { Webhook, WebhookDelivery, WebhookStore } from '../webhook-ports';
import { inTransaction } from './sql';

type Row = Record<string, unknown>;
const toWebhook = (r: Row): Webhook => ({
  id: r.id as string,
  url: r.url as string,
  secret: r.secret as string,
  types: (r.types as string[] | null) ?? null,
  createdAt: r.created_at as Timestamp,
  createdBy: r.created_by as string | null,
});
const toDelivery = (r: Row): WebhookDelivery => ({
  id: r.id as string,
  webhook: r.webhook as string,
  eventKey: r.event_key as string,
  payload: r.payload as Record<string, unknown>,
  status: r.status as WebhookDelivery['status'],
  attempts: r.attempts as WebhookDelivery['attempts'],
  nextAttemptAt: r.next_attempt_at as Timestamp | null,
  createdAt: r.created_at as Timestamp,
  updatedAt: r.updated_at as Timestamp,
});

/** Webhooks listed by id, deliveries newest first; a webhook's removal takes its deliveries (ON DELETE CASCADE). */
export function postgresWebhookStore(pool: Pool): WebhookStore {
  return {
    async create(w) {
      await pool.query('INSERT INTO webhooks (id, url, secret, types, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)', [
        w.id,
        w.url,
        w.secret,
        w.types === null ? null : JSON.stringify(w.types),
        w.createdAt,
        w.createdBy,
      ]);
    },
    async get(id) {
      const { rows } = await pool.query('SELECT * FROM webhooks WHERE id = $1', [id]);
      return rows.length ? toWebhook(rows[0]) : null;
    },
    async list(p, filter) {
      const limit = clampLimit(p.limit);
      const key = decodeCursor(p.cursor, ['string']);
      const { rows } = filter?.createdBy
        ? await pool.query('SELECT * FROM webhooks WHERE id > $1 AND created_by = ANY($2::text[]) ORDER BY id LIMIT $3', [
            key ? key[0] : '',
            filter.createdBy,
            limit + 1,
          ])
        : await pool.query('SELECT * FROM webhooks WHERE id > $1 ORDER BY id LIMIT $2', [key ? key[0] : '', limit + 1]);
      return toPage(rows.map(toWebhook), limit, (w) => [w.id]);
    },
    async setSecret(id, secret) {
      return ((await pool.query('UPDATE webhooks SET secret = $1 WHERE id = $2', [secret, id])).rowCount ?? 0) > 0;
    },
    async remove(id) {
      return ((await pool.query('DELETE FROM webhooks WHERE id = $1', [id])).rowCount ?? 0) > 0;
    },
    async enqueue(ds) {
      return inTransaction(pool, async (client) => {
        const queued: WebhookDelivery[] = [];
        for (const d of ds) {
          const r = await client.query(
            `INSERT INTO webhook_deliveries (id, webhook, event_key, payload, status, attempts, next_attempt_at, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (webhook, event_key) DO NOTHING`,
            [
              d.id,
              d.webhook,
              d.eventKey,
              JSON.stringify(d.payload),
              d.status,
              JSON.stringify(d.attempts),
              d.nextAttemptAt,
              d.createdAt,
              d.updatedAt,
            ],
          );
          if ((r.rowCount ?? 0) > 0) queued.push(d);
        }
        return queued;
      });
    },
    async due(now, limit) {
      const { rows } = await pool.query(
        `SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1
        ORDER BY next_attempt_at, id LIMIT $2`,
        [now, clampLimit(limit)],
      );
      return rows.map(toDelivery);
    },
    async saveDelivery(d) {
      await pool.query('UPDATE webhook_deliveries SET status = $1, attempts = $2, next_attempt_at = $3, updated_at = $4 WHERE id = $5', [
        d.status,
        JSON.stringify(d.attempts),
        d.nextAttemptAt,
        d.updatedAt,
        d.id,
      ]);
    },
    async deliveries(webhook, p) {
      const limit = clampLimit(p.limit);
      const key = decodeCursor(p.cursor, ['string', 'string']);
      const { rows } = await pool.query(
        `SELECT * FROM webhook_deliveries WHERE webhook = $1 AND (created_at, id) < ($2, $3)
        ORDER BY created_at DESC, id DESC LIMIT $4`,
        [webhook, key ? key[0] : '\uffff', key ? key[1] : '\uffff', limit + 1],
      );
      return toPage(rows.map(toDelivery), limit, (d) => [d.createdAt, d.id]);
    },
  };
}
