/** PostgreSQL notification settings and e-mail outbox (jsonb documents with the columns queries need). */
import type { NotificationPrefs } from '@sealwatch/core';
import type { Pool } from 'pg';
import type { NotificationStore, OutboxEmail } from '../notification-ports';

export function postgresNotificationStore(pool: Pool): NotificationStore {
  const docs = <T>(rows: { doc: unknown }[]) => rows.map((r) => r.doc as T);
  return {
    async getPrefs(user) {
      const { rows } = await pool.query('SELECT doc FROM notification_prefs WHERE user_id = $1', [user]);
      return rows.length ? (rows[0].doc as NotificationPrefs) : null;
    },
    async setPrefs(p) {
      await pool.query(
        'INSERT INTO notification_prefs (user_id, doc) VALUES ($1, $2::jsonb) ON CONFLICT (user_id) DO UPDATE SET doc = excluded.doc',
        [p.user, JSON.stringify(p)],
      );
    },
    async listEmailPrefs() {
      const { rows } = await pool.query("SELECT doc FROM notification_prefs WHERE doc->>'email' IS NOT NULL ORDER BY user_id");
      return docs<NotificationPrefs>(rows);
    },
    async enqueue(emails) {
      const queued: OutboxEmail[] = [];
      for (const e of emails) {
        const { rowCount } = await pool.query(
          `INSERT INTO notification_outbox (id, user_id, event_key, status, next_attempt_at, created_at, doc)
          VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT (user_id, event_key) DO NOTHING`,
          [e.id, e.user, e.eventKey, e.status, e.nextAttemptAt, e.createdAt, JSON.stringify(e)],
        );
        if (rowCount) queued.push(e);
      }
      return queued;
    },
    async due(now, limit) {
      const { rows } = await pool.query(
        "SELECT doc FROM notification_outbox WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
        [now, limit],
      );
      return docs<OutboxEmail>(rows);
    },
    async save(e) {
      await pool.query('UPDATE notification_outbox SET status = $1, next_attempt_at = $2, doc = $3::jsonb WHERE id = $4', [
        e.status,
        e.nextAttemptAt,
        JSON.stringify(e),
        e.id,
      ]);
    },
    async recent(user, limit) {
      const { rows } = await pool.query(
        'SELECT doc FROM notification_outbox WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2',
        [user, limit],
      );
      return docs<OutboxEmail>(rows);
    },
  };
}
