/** PostgreSQL stores for registered things: devices, offices, and the settings key-value table. */
import { DomainError, type MovementId } from '@sealwatch/core';
import type { Pool } from 'pg';
import type { DeviceStore, KeyValueStore, OfficeStore } from '../ports';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import { devicePlacement, toJson } from '../rows';
import { isUniqueViolation, postgresRows } from './sql';

const { toDevice, toOffice } = postgresRows;

/** Devices by id; `create` throws DomainError('device_exists') for a taken id. */
export function postgresDeviceStore(pool: Pool): DeviceStore {
  return {
    async create(d) {
      try {
        await pool.query(
          `INSERT INTO devices
          (id, class, kind, protocol, identifiers, report_interval_s, key, owner, created_at, placement)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            d.id,
            d.class,
            d.kind,
            d.protocol,
            toJson(d.identifiers),
            d.reportIntervalS,
            toJson(d.key),
            d.owner,
            d.createdAt,
            devicePlacement(d),
          ],
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError('device_exists', `device ${d.id} already exists`, { id: d.id });
        throw err;
      }
    },
    async get(id) {
      const { rows } = await pool.query('SELECT * FROM devices WHERE id = $1', [id]);
      return rows.length ? toDevice(rows[0]) : null;
    },
    async findByIdentifier(kind, value) {
      // kind is one of four fixed names (typed), never user text: safe to place in the SQL. Names are
      // compared without case (indexed on lower(...), migration 49): a hex DevEUI or EPC and a seal
      // number name one thing whatever case a network server or reader writes them in.
      const sql =
        kind === 'id'
          ? 'SELECT * FROM devices WHERE lower(id) = lower($1) ORDER BY id LIMIT 1'
          : `SELECT * FROM devices WHERE identifiers ? '${kind}' AND lower(identifiers->>'${kind}') = lower($1) ORDER BY id LIMIT 1`;
      const { rows } = await pool.query(sql, [value]);
      return rows.length ? toDevice(rows[0]) : null;
    },
    async list(page) {
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['string']);
      const { rows } = key
        ? await pool.query('SELECT * FROM devices WHERE id > $1 ORDER BY id LIMIT $2', [key[0], limit + 1])
        : await pool.query('SELECT * FROM devices ORDER BY id LIMIT $1', [limit + 1]);
      return toPage(rows.map(toDevice), limit, (d) => [d.id]);
    },
  };
}

/** Offices by code; `create` throws DomainError('office_exists') for a taken code. */
export function postgresOfficeStore(pool: Pool): OfficeStore {
  return {
    async create(o) {
      try {
        await pool.query('INSERT INTO offices (code, name, country, area, created_at) VALUES ($1, $2, $3, $4, $5)', [
          o.code,
          o.name,
          o.country,
          toJson(o.area),
          o.createdAt,
        ]);
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError('office_exists', `office ${o.code} already exists`, { code: o.code });
        throw err;
      }
    },
    async get(code) {
      const { rows } = await pool.query('SELECT * FROM offices WHERE code = $1', [code]);
      return rows.length ? toOffice(rows[0]) : null;
    },
    async list(page) {
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['string']);
      const { rows } = key
        ? await pool.query('SELECT * FROM offices WHERE code > $1 ORDER BY code LIMIT $2', [key[0], limit + 1])
        : await pool.query('SELECT * FROM offices ORDER BY code LIMIT $1', [limit + 1]);
      return toPage(rows.map(toOffice), limit, (o) => [o.code]);
    },
    async update(o) {
      const r = await pool.query('UPDATE offices SET name = $1, country = $2, area = $3 WHERE code = $4', [
        o.name,
        o.country,
        toJson(o.area),
        o.code,
      ]);
      return (r.rowCount ?? 0) > 0;
    },
    async delete(code) {
      const r = await pool.query('DELETE FROM offices WHERE code = $1', [code]);
      return (r.rowCount ?? 0) > 0;
    },
    async movementsUsing(code, limit, which) {
      const { rows } = await pool.query<{ id: MovementId; reference: string }>(
        `SELECT id, reference FROM movements WHERE ($3::text = 'all' OR status <> 'ended')
          AND (departure_office = $1 OR destination_office = $1 OR coalesce(transit_offices, '[]'::jsonb) @> jsonb_build_array($1::text))
          ORDER BY reference LIMIT $2`,
        [code, limit, which],
      );
      return rows.map((r) => ({ id: r.id, reference: r.reference }));
    },
  };
}

/** Installation settings (e.g. the admin token hash): plain strings by key. */
export function postgresSettingsStore(pool: Pool): KeyValueStore {
  return {
    async get(key) {
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
      return rows.length ? rows[0].value : null;
    },
    async setIfAbsent(key, value) {
      await pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
      return rows[0].value;
    },
    async set(key, value) {
      await pool.query(
        `INSERT INTO settings (key, value) VALUES ($1, $2)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [key, value],
      );
    },
  };
}
