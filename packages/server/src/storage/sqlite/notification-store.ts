/** SQLite notification settings and e-mail outbox (JSON documents with the columns queries need). */
import type { NotificationPrefs } from '@sealwatch/core';
import type { NotificationStore, OutboxEmail } from '../notification-ports';
import type { Db, Row } from './sql';

const doc = <T>(r: Row): T => JSON.parse(r.doc as string) as T;

export function sqliteNotificationStore(db: Db): NotificationStore {
  const getPrefs = db.prepare<[string], Row>('SELECT doc FROM notification_prefs WHERE user_id = ?');
  const putPrefs = db.prepare(
    'INSERT INTO notification_prefs (user_id, doc) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET doc = excluded.doc',
  );
  const emailPrefs = db.prepare<[], Row>(
    "SELECT doc FROM notification_prefs WHERE json_extract(doc, '$.email') IS NOT NULL ORDER BY user_id",
  );
  const insert = db.prepare(`INSERT INTO notification_outbox (id, user_id, event_key, status, next_attempt_at, created_at, doc)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, event_key) DO NOTHING`);
  const due = db.prepare<[string, number], Row>(
    "SELECT doc FROM notification_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
  );
  const update = db.prepare('UPDATE notification_outbox SET status = ?, next_attempt_at = ?, doc = ? WHERE id = ?');
  const recent = db.prepare<[string, number], Row>(
    'SELECT doc FROM notification_outbox WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
  );
  const enqueue = db.transaction((emails: OutboxEmail[]) =>
    emails.filter((e) => insert.run(e.id, e.user, e.eventKey, e.status, e.nextAttemptAt, e.createdAt, JSON.stringify(e)).changes > 0),
  );
  return {
    async getPrefs(user) {
      const r = getPrefs.get(user);
      return r ? doc<NotificationPrefs>(r) : null;
    },
    async setPrefs(p) {
      putPrefs.run(p.user, JSON.stringify(p));
    },
    async listEmailPrefs() {
      return emailPrefs.all().map((r) => doc<NotificationPrefs>(r));
    },
    async enqueue(emails) {
      return enqueue(emails);
    },
    async due(now, limit) {
      return due.all(now, limit).map((r) => doc<OutboxEmail>(r));
    },
    async save(e) {
      update.run(e.status, e.nextAttemptAt, JSON.stringify(e), e.id);
    },
    async recent(user, limit) {
      return recent.all(user, limit).map((r) => doc<OutboxEmail>(r));
    },
  };
}
