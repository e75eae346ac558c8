/** PostgreSQL events and alerts: read stores, plus the writers the processing store commits with. */
import { DomainError, type Alert, type DomainEvent } from '@sealwatch/core';
import type { Pool } from 'pg';
import type { AlertStore, EventStore } from '../ports';
import { toJson } from '../rows';
import { isUniqueViolation, postgresRows, postgresLists } from './sql';
import type { Db } from './sql';
import { keysetPage } from '../keyset-list';
import { alertList, eventList } from '../lists';

const { toAlert, toEvent } = postgresRows;

/** The last element per key, in first-seen order: one multi-row upsert may touch a row only once. */
export function lastByKey<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [keyOf(item), item])).values()];
}

/**
 * Inserts events with one statement; an id already stored is left as it is (replaying a slice is
 * harmless), and within the list the first of an id wins, as with one insert after another.
 */
export async function insertEvents(db: Db, events: readonly DomainEvent[]): Promise<void> {
  if (!events.length) return;
  await db.query(
    `INSERT INTO events (id, type, movement, device, time, details, observation, created_at)
    SELECT id, type, movement, device, time, details::jsonb, observation, created_at
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[],
      $7::bigint[], $8::timestamptz[]) AS u(id, type, movement, device, time, details, observation, created_at)
    ON CONFLICT (id) DO NOTHING`,
    [
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.movement),
      events.map((e) => e.device),
      events.map((e) => e.time),
      events.map((e) => toJson(e.details)),
      events.map((e) => e.observation),
      events.map((e) => e.createdAt),
    ],
  );
}

/**
 * Writes alert changes over the revisions they were made from (revision 1 inserts, revision n
 * updates the stored n-1), one statement each for inserts and updates; within the list the last
 * of an id wins. Throws DomainError('alert_changed') when another writer got there first, or when
 * a second unresolved alert of a movement and type would appear: the caller's transaction rolls back.
 */
export async function upsertAlerts(db: Db, alerts: readonly Alert[]): Promise<void> {
  if (!alerts.length) return;
  const list = lastByKey(alerts, (a) => a.id);
  const changed = () => new DomainError('alert_changed', `alert ${list.map((a) => a.id).join(', ')} was changed by another writer`);
  const values = (rows: Alert[]) => {
    const column = <K extends keyof Alert>(k: K) => rows.map((a) => a[k]);
    return [
      column('id'),
      column('type'),
      column('severity'),
      column('status'),
      column('movement'),
      column('device'),
      column('time'),
      column('lastTime'),
      column('count'),
      rows.map((a) => toJson(a.details)),
      column('assignee'),
      column('outcome'),
      column('comment'),
      rows.map((a) => toJson(a.history)),
      column('createdAt'),
      column('updatedAt'),
      column('revision'),
    ];
  };
  const from = `FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
      $7::timestamptz[], $8::timestamptz[], $9::integer[], $10::text[], $11::text[], $12::text[],
      $13::text[], $14::text[], $15::timestamptz[], $16::timestamptz[], $17::integer[])
      AS u(id, type, severity, status, movement, device, time, last_time, count, details, assignee,
        outcome, comment, history, created_at, updated_at, revision)`;
  const inserts = list.filter((a) => a.revision <= 1);
  const updates = list.filter((a) => a.revision > 1);
  if (inserts.length) {
    try {
      await db.query(
        `INSERT INTO alerts (id, type, severity, status, movement, device, time, last_time,
          count, details, assignee, outcome, comment, history, created_at, updated_at, revision)
        SELECT id, type, severity, status, movement, device, time, last_time, count, details::jsonb,
          assignee, outcome, comment, history::jsonb, created_at, updated_at, revision ${from}`,
        values(inserts),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw changed();
      throw err;
    }
  }
  if (updates.length) {
    const r = await db.query(
      `UPDATE alerts SET type = u.type, severity = u.severity, status = u.status,
        movement = u.movement, device = u.device, time = u.time, last_time = u.last_time, count = u.count,
        details = u.details::jsonb, assignee = u.assignee, outcome = u.outcome, comment = u.comment,
        history = u.history::jsonb, created_at = u.created_at, updated_at = u.updated_at, revision = u.revision
      ${from} WHERE alerts.id = u.id AND alerts.revision = u.revision - 1`,
      values(updates),
    );
    if (r.rowCount !== updates.length) throw changed();
  }
}

/** Events, listed by (time, id) ascending. Written through the processing store. */
export function postgresEventStore(pool: Pool): EventStore {
  return {
    async list(filter, page) {
      return keysetPage(eventList(filter), page, postgresLists(pool), toEvent, (e) => [e.time, e.id]);
    },
  };
}

/** Alerts, listed newest first by (updatedAt, id). */
export function postgresAlertStore(pool: Pool): AlertStore {
  return {
    async get(id) {
      const { rows } = await pool.query('SELECT * FROM alerts WHERE id = $1', [id]);
      return rows.length ? toAlert(rows[0]) : null;
    },
    async list(filter, page) {
      return keysetPage(alertList(filter), page, postgresLists(pool), toAlert, (a) => [a.updatedAt, a.id]);
    },
    async findUnresolved(type, movement, device) {
      // ports.ts: keyed by the movement when there is one, else by the device.
      const { rows } =
        movement !== null
          ? await pool.query(
              `SELECT * FROM alerts WHERE type = $1 AND movement = $2 AND status <> 'resolved'
            ORDER BY updated_at DESC, id DESC LIMIT 1`,
              [type, movement],
            )
          : await pool.query(
              `SELECT * FROM alerts
            WHERE type = $1 AND movement IS NULL AND device IS NOT DISTINCT FROM $2 AND status <> 'resolved'
            ORDER BY updated_at DESC, id DESC LIMIT 1`,
              [type, device],
            );
      return rows.length ? toAlert(rows[0]) : null;
    },
    async countUnresolved(by: 'type' | 'movement', movements: string[] = []) {
      const { rows } =
        by === 'type'
          ? await pool.query<{ k: string; n: string }>(
              "SELECT type AS k, count(*) AS n FROM alerts WHERE status <> 'resolved' GROUP BY type",
            )
          : await pool.query<{ k: string; n: string }>(
              "SELECT movement AS k, count(*) AS n FROM alerts WHERE status <> 'resolved' AND movement = ANY($1::text[]) GROUP BY movement",
              [movements],
            );
      return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
    },
    async save(alert) {
      // Alone, not in a caller's transaction: a failed update leaves nothing behind.
      await upsertAlerts(pool, [alert]);
    },
  };
}
