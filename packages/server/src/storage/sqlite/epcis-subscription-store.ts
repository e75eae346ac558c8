/** SQLite EPCIS subscriptions (migration 42): one row per subscription, removed with its webhook. */
import type { Timestamp } from '@sealwatch/core';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import type { EpcisSubscription, EpcisSubscriptionStore } from '../epcis-subscription-ports';
import type { Db, Row } from './sql';

const toSubscription = (r: Row): EpcisSubscription => ({
  id: r.webhook as string,
  queryName: r.query_name as string,
  base: r.base as string,
  stream: r.stream === 1,
  schedule: r.schedule === null ? null : JSON.parse(r.schedule as string),
  reportIfEmpty: r.report_if_empty === 1,
  initialRecordTime: r.initial_record_time as Timestamp,
  minRecordTime: r.min_record_time as Timestamp,
});

export function sqliteEpcisSubscriptionStore(db: Db): EpcisSubscriptionStore {
  const insert = db.prepare(`INSERT INTO epcis_subscriptions
    (webhook, query_name, base, stream, schedule, report_if_empty, initial_record_time, min_record_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const byId = db.prepare<[string], Row>('SELECT * FROM epcis_subscriptions WHERE webhook = ?');
  const page = db.prepare<[string, number], Row>('SELECT * FROM epcis_subscriptions WHERE webhook > ? ORDER BY webhook LIMIT ?');
  const setMin = db.prepare('UPDATE epcis_subscriptions SET min_record_time = ? WHERE webhook = ?');
  return {
    async create(s) {
      insert.run(
        s.id,
        s.queryName,
        s.base,
        s.stream ? 1 : 0,
        s.schedule ? JSON.stringify(s.schedule) : null,
        s.reportIfEmpty ? 1 : 0,
        s.initialRecordTime,
        s.minRecordTime,
      );
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toSubscription(row) : null;
    },
    async list(p) {
      const limit = clampLimit(p.limit);
      const key = decodeCursor(p.cursor, ['string']);
      return toPage(page.all(key ? (key[0] as string) : '', limit + 1).map(toSubscription), limit, (s) => [s.id]);
    },
    async setMinRecordTime(id, t) {
      return setMin.run(t, id).changes > 0;
    },
  };
}
