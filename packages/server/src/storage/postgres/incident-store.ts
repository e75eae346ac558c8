/** PostgreSQL incidents (a jsonb document with the columns queries need) and per-movement mutes. */
import { DomainError, toTimestamp, type Incident, type MovementMute } from '@sealwatch/core';
import type { Pool } from 'pg';
import type { IncidentStore } from '../incident-ports';
import { lastByKey } from './alert-event-stores';
import { isUniqueViolation, postgresLists } from './sql';
import type { Db } from './sql';
import { keysetPage } from '../keyset-list';
import { incidentList } from '../lists';

const toIncident = (r: { doc: unknown }): Incident => (typeof r.doc === 'string' ? JSON.parse(r.doc) : r.doc) as Incident;
const toMute = (r: Record<string, unknown>): MovementMute => ({
  movement: r.movement as MovementMute['movement'],
  organisation: r.organisation as string,
  reason: r.reason as string,
  until: toTimestamp(r.until as Date),
  by: r.by as string,
  createdAt: toTimestamp(r.created_at as Date),
});

/**
 * Writes incident changes over the revisions they were made from, inside the caller's
 * transaction; within the list the last of an id wins. Throws DomainError('incident_changed')
 * when another writer got there first.
 */
export async function upsertIncidents(db: Db, incidents: readonly Incident[]): Promise<void> {
  for (const i of lastByKey(incidents, (x) => x.id)) {
    const changed = () =>
      new DomainError('incident_changed', `incident ${i.id} was changed by another writer`, { id: i.id, revision: i.revision });
    const doc = JSON.stringify(i);
    if (i.revision <= 1) {
      try {
        await db.query(
          `INSERT INTO incidents (id, movement, code, status, opened_at, updated_at, revision, doc)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
          [i.id, i.movement, i.code, i.status, i.openedAt, i.updatedAt, i.revision, doc],
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw changed();
        throw err;
      }
    } else {
      const r = await db.query(
        `UPDATE incidents SET movement = $2, code = $3, status = $4, opened_at = $5, updated_at = $6,
        revision = $7, doc = $8::jsonb WHERE id = $1 AND revision = $7 - 1`,
        [i.id, i.movement, i.code, i.status, i.openedAt, i.updatedAt, i.revision, doc],
      );
      if (r.rowCount !== 1) throw changed();
    }
  }
}

export function postgresIncidentStore(pool: Pool): IncidentStore {
  return {
    async get(id) {
      const { rows } = await pool.query('SELECT doc FROM incidents WHERE id = $1', [id]);
      return rows.length ? toIncident(rows[0]) : null;
    },
    async list(filter, page) {
      return keysetPage(incidentList(filter), page, postgresLists(pool), toIncident, (i) => [i.updatedAt, i.id]);
    },
    async openOf(movement) {
      const { rows } = await pool.query("SELECT doc FROM incidents WHERE movement = $1 AND status = 'open' ORDER BY opened_at, id", [
        movement,
      ]);
      return rows.map(toIncident);
    },
    async save(incident) {
      await upsertIncidents(pool, [incident]);
    },
    async getMute(movement, organisation) {
      const { rows } = await pool.query('SELECT * FROM movement_mutes WHERE movement = $1 AND organisation = $2', [movement, organisation]);
      return rows.length ? toMute(rows[0]) : null;
    },
    async setMute(m) {
      await pool.query(
        `INSERT INTO movement_mutes (movement, organisation, reason, until, by, created_at) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (movement, organisation) DO UPDATE SET reason = excluded.reason, until = excluded.until, by = excluded.by,
          created_at = excluded.created_at`,
        [m.movement, m.organisation, m.reason, m.until, m.by, m.createdAt],
      );
    },
    async removeMute(movement, organisation) {
      const r = await pool.query('DELETE FROM movement_mutes WHERE movement = $1 AND organisation = $2', [movement, organisation]);
      return (r.rowCount ?? 0) > 0;
    },
    async activeMutes(at, organisation) {
      const { rows } = await pool.query(
        'SELECT * FROM movement_mutes WHERE until > $1 AND ($2::text IS NULL OR organisation = $2) ORDER BY until, movement, organisation',
        [at, organisation ?? null],
      );
      return rows.map(toMute);
    },
  };
}
