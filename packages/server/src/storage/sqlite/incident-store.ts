/** SQLite incidents (a JSON document with the columns queries need) and per-movement mutes. */
import { DomainError, type Incident, type MovementMute, type Timestamp } from '@sealwatch/core';
import type { IncidentStore } from '../incident-ports';
import { isUniqueViolation, sqliteLists } from './sql';
import type { Db, Row } from './sql';
import { keysetPage } from '../keyset-list';
import { incidentList } from '../lists';

const toIncident = (r: Row): Incident => JSON.parse(r.doc as string) as Incident;
const toMute = (r: Row): MovementMute => ({
  movement: r.movement as MovementMute['movement'],
  organisation: r.organisation as string,
  reason: r.reason as string,
  until: r.until as Timestamp,
  by: r.by as string,
  createdAt: r.created_at as Timestamp,
});

/** Writes an incident over the revision it was made from, inside the caller's transaction (ports: IncidentStore.save). */
export function incidentWriter(db: Db): (i: Incident) => void {
  const insert = db.prepare(`INSERT INTO incidents (id, movement, code, status, opened_at, updated_at, revision, doc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const update = db.prepare(`UPDATE incidents SET movement = ?, code = ?, status = ?, opened_at = ?, updated_at = ?,
    revision = ?, doc = ? WHERE id = ? AND revision = ?`);
  const changed = (i: Incident) =>
    new DomainError('incident_changed', `incident ${i.id} was changed by another writer`, { id: i.id, revision: i.revision });
  return (i) => {
    const doc = JSON.stringify(i);
    if (i.revision <= 1) {
      try {
        insert.run(i.id, i.movement, i.code, i.status, i.openedAt, i.updatedAt, i.revision, doc);
      } catch (err) {
        if (isUniqueViolation(err)) throw changed(i);
        throw err;
      }
    } else if (update.run(i.movement, i.code, i.status, i.openedAt, i.updatedAt, i.revision, doc, i.id, i.revision - 1).changes === 0) {
      throw changed(i);
    }
  };
}

export function sqliteIncidentStore(db: Db): IncidentStore {
  const lists = sqliteLists(db);
  const write = incidentWriter(db);
  const byId = db.prepare<[string], Row>('SELECT doc FROM incidents WHERE id = ?');
  const openOf = db.prepare<[string], Row>("SELECT doc FROM incidents WHERE movement = ? AND status = 'open' ORDER BY opened_at, id");
  const muteOf = db.prepare<[string, string], Row>('SELECT * FROM movement_mutes WHERE movement = ? AND organisation = ?');
  const putMute = db.prepare(`INSERT INTO movement_mutes (movement, organisation, reason, until, by, created_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (movement, organisation) DO UPDATE SET reason = excluded.reason, until = excluded.until, by = excluded.by, created_at = excluded.created_at`);
  const deleteMute = db.prepare<[string, string]>('DELETE FROM movement_mutes WHERE movement = ? AND organisation = ?');
  const active = db.prepare<[string, string | null, string | null], Row>(
    'SELECT * FROM movement_mutes WHERE until > ? AND (? IS NULL OR organisation = ?) ORDER BY until, movement, organisation',
  );
  return {
    async get(id) {
      const row = byId.get(id);
      return row ? toIncident(row) : null;
    },
    async list(filter, page) {
      return keysetPage(incidentList(filter), page, lists, toIncident, (i) => [i.updatedAt, i.id]);
    },
    async openOf(movement) {
      return openOf.all(movement).map(toIncident);
    },
    async save(incident) {
      write(incident);
    },
    async getMute(movement, organisation) {
      const row = muteOf.get(movement, organisation);
      return row ? toMute(row) : null;
    },
    async setMute(m) {
      putMute.run(m.movement, m.organisation, m.reason, m.until, m.by, m.createdAt);
    },
    async removeMute(movement, organisation) {
      return deleteMute.run(movement, organisation).changes > 0;
    },
    async activeMutes(at, organisation) {
      return active.all(at, organisation ?? null, organisation ?? null).map(toMute);
    },
  };
}
