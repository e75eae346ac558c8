/** SQLite events and alerts: read stores, plus the writers the processing store commits with. */
import { DomainError, type Alert, type DomainEvent } from '@sealwatch/core';
import type { AlertStore, EventStore } from '../ports';
import { toJson } from '../rows';
import { isUniqueViolation, sqliteRows, sqliteLists } from './sql';
import type { Db, Row } from './sql';
import { keysetPage } from '../keyset-list';
import { alertList, eventList } from '../lists';

const { toAlert, toEvent } = sqliteRows;

export interface EventAlertWriter {
  /** Inserts an event; an id already stored is left as it is (replaying a slice is harmless). */
  insertEvent(e: DomainEvent): void;
  /**
   * Writes an alert change over the revision it was made from: revision 1 inserts, revision n
   * updates the stored revision n-1. Throws DomainError('alert_changed') when another writer got
   * there first, or when a second unresolved alert of a movement and type would appear.
   */
  upsertAlert(a: Alert): void;
}

/** Writers to call inside a caller's transaction. */
export function eventAlertWriter(db: Db): EventAlertWriter {
  const event = db.prepare(`INSERT INTO events
    (id, type, movement, device, time, details, observation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO NOTHING`);
  const insertAlert = db.prepare(`INSERT INTO alerts (id, type, severity, status, movement, device, time,
    last_time, count, details, assignee, outcome, comment, history, created_at, updated_at, revision)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const updateAlert = db.prepare(`UPDATE alerts SET type = ?, severity = ?, status = ?, movement = ?,
    device = ?, time = ?, last_time = ?, count = ?, details = ?, assignee = ?, outcome = ?, comment = ?,
    history = ?, created_at = ?, updated_at = ?, revision = ? WHERE id = ? AND revision = ?`);
  const changed = (a: Alert) =>
    new DomainError('alert_changed', `alert ${a.id} was changed by another writer`, { id: a.id, revision: a.revision });
  return {
    insertEvent: (e) => event.run(e.id, e.type, e.movement, e.device, e.time, toJson(e.details), e.observation, e.createdAt),
    upsertAlert: (a) => {
      const fields = [
        a.type,
        a.severity,
        a.status,
        a.movement,
        a.device,
        a.time,
        a.lastTime,
        a.count,
        toJson(a.details),
        a.assignee,
        a.outcome,
        a.comment,
        toJson(a.history),
        a.createdAt,
        a.updatedAt,
        a.revision,
      ];
      if (a.revision <= 1) {
        try {
          insertAlert.run(a.id, ...fields);
        } catch (err) {
          if (isUniqueViolation(err)) throw changed(a);
          throw err;
        }
      } else if (updateAlert.run(...fields, a.id, a.revision - 1).changes === 0) {
        throw changed(a);
      }
    },
  };
}

/** Events, listed by (time, id) ascending. Written through the processing store. */
export function sqliteEventStore(db: Db): EventStore {
  const lists = sqliteLists(db);
  return {
    async list(filter, page) {
      return keysetPage(eventList(filter), page, lists, toEvent, (e) => [e.time, e.id]);
    },
  };
}

/** Alerts, listed newest first by (updatedAt, id). */
export function sqliteAlertStore(db: Db): AlertStore {
  const lists = sqliteLists(db);
  const writer = eventAlertWriter(db);
  const byId = db.prepare<[string], Row>('SELECT * FROM alerts WHERE id = ?');
  const unresolvedByMovement = db.prepare<[string, string], Row>(`SELECT * FROM alerts
    WHERE type = ? AND movement = ? AND status <> 'resolved' ORDER BY updated_at DESC, id DESC LIMIT 1`);
  const unresolvedByDevice = db.prepare<[string, string | null], Row>(`SELECT * FROM alerts
    WHERE type = ? AND movement IS NULL AND device IS ? AND status <> 'resolved'
    ORDER BY updated_at DESC, id DESC LIMIT 1`);
  const countByType = db.prepare<[], { k: string; n: number }>(
    "SELECT type AS k, count(*) AS n FROM alerts WHERE status <> 'resolved' GROUP BY type",
  );
  const countByMovement = db.prepare<[string], { k: string; n: number }>(
    "SELECT movement AS k, count(*) AS n FROM alerts WHERE status <> 'resolved' AND movement IN (SELECT value FROM json_each(?)) GROUP BY movement",
  );
  return {
    async get(id) {
      const row = byId.get(id);
      return row ? toAlert(row) : null;
    },
    async list(filter, page) {
      return keysetPage(alertList(filter), page, lists, toAlert, (a) => [a.updatedAt, a.id]);
    },
    async findUnresolved(type, movement, device) {
      // ports.ts: keyed by the movement when there is one, else by the device.
      const row = movement !== null ? unresolvedByMovement.get(type, movement) : unresolvedByDevice.get(type, device);
      return row ? toAlert(row) : null;
    },
    async save(alert) {
      writer.upsertAlert(alert);
    },
    async countUnresolved(by: 'type' | 'movement', movements: string[] = []) {
      const rows = by === 'type' ? countByType.all() : countByMovement.all(JSON.stringify(movements));
      return Object.fromEntries(rows.map((r) => [r.k, r.n]));
    },
  };
}
