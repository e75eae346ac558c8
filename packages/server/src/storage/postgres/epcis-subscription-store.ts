/** PostgreSQL EPCIS subscriptions (migration 42): one row per subscription, removed with its webhook. */
import type { Timestamp } from '@sealwatch/core';
import type { Pool } from 'pg';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import type { EpcisSubscription, EpcisSubscriptionStore } from '../epcis-subscription-ports';

type Row = Record<string, unknown>;
const toSubscription = (r: Row): EpcisSubscription => ({
  id: r.webhook as string,
  queryName: r.query_name as string,
  base: r.base as string,
  stream: r.stream as boolean,
  schedule: (r.schedule as EpcisSubscription['schedule']) ?? null,
  reportIfEmpty: r.report_if_empty as boolean,
  initialRecordTime: r.initial_record_time as Timestamp,
  minRecordTime: r.min_record_time as Timestamp,
});

export function postgresEpcisSubscriptionStore(pool: Pool): EpcisSubscriptionStore {
  return {
    async create(s) {
      await pool.query(
        `INSERT INTO epcis_subscriptions (webhook, query_name, base, stream, schedule, report_if_empty, initial_record_time, min_record_time)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`,
        [
          s.id,
          s.queryName,
          s.base,
          s.stream,
          s.schedule ? JSON.stringify(s.schedule) : null,
          s.reportIfEmpty,
          s.initialRecordTime,
          s.minRecordTime,
        ],
      );
    },
    async get(id) {
      const { rows } = await pool.query('SELECT * FROM epcis_subscriptions WHERE webhook = $1', [id]);
      return rows.length ? toSubscription(rows[0]) : null;
    },
    async list(p) {
      const limit = clampLimit(p.limit);
      const key = decodeCursor(p.cursor, ['string']);
      const { rows } = await pool.query('SELECT * FROM epcis_subscriptions WHERE webhook > $1 ORDER BY webhook LIMIT $2', [
        key ? key[0] : '',
        limit + 1,
      ]);
      return toPage(rows.map(toSubscription), limit, (s) => [s.id]);
    },
    async setMinRecordTime(id, t) {
      return ((await pool.query('UPDATE epcis_subscriptions SET min_record_time = $1 WHERE webhook = $2', [t, id])).rowCount ?? 0) > 0;
    },
  };
}
