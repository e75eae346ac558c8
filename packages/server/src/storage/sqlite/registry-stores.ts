/** SQLite stores for registered things: devices, offices, and the settings key-value table. */
import { DomainError, type MovementId } from '@sealwatch/core';
import type { DeviceStore, KeyValueStore, OfficeStore } from '../ports';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import { devicePlacement, toJson } from '../rows';
import { isUniqueViolation, sqliteRows } from './sql';
import type { Db, Row } from './sql';

const { toDevice, toOffice } = sqliteRows;

/** Devices by id; `create` throws DomainError('device_exists') for a taken id. */
export function sqliteDeviceStore(db: Db): DeviceStore {
  const insert = db.prepare(`INSERT INTO devices
    (id, class, kind, protocol, identifiers, report_interval_s, key, owner, created_at, placement)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const byId = db.prepare<[string], Row>('SELECT * FROM devices WHERE id = ?');
  // Names are compared without case (indexed on lower(...), migration 49): a hex DevEUI or EPC
  // and a seal number name one thing whatever case a network server or reader writes them in.
  const byIdentifier = {
    id: db.prepare<[string], Row>('SELECT * FROM devices WHERE lower(id) = lower(?) ORDER BY id LIMIT 1'),
    imei: db.prepare<[string], Row>(
      "SELECT * FROM devices WHERE lower(json_extract(identifiers, '$.imei')) = lower(?) ORDER BY id LIMIT 1",
    ),
    epc: db.prepare<[string], Row>("SELECT * FROM devices WHERE lower(json_extract(identifiers, '$.epc')) = lower(?) ORDER BY id LIMIT 1"),
    sealNumber: db.prepare<[string], Row>(
      "SELECT * FROM devices WHERE lower(json_extract(identifiers, '$.sealNumber')) = lower(?) ORDER BY id LIMIT 1",
    ),
  };
  const first = db.prepare<[number], Row>('SELECT * FROM devices ORDER BY id LIMIT ?');
  const after = db.prepare<[string, number], Row>('SELECT * FROM devices WHERE id > ? ORDER BY id LIMIT ?');
  return {
    async create(d) {
      try {
        insert.run(
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
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError('device_exists', `device ${d.id} already exists`, { id: d.id });
        throw err;
      }
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toDevice(row) : null;
    },
    async findByIdentifier(kind, value) {
      const row = byIdentifier[kind].get(value);
      return row ? toDevice(row) : null;
    },
    async list(page) {
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['string']);
      const rows = key ? after.all(key[0] as string, limit + 1) : first.all(limit + 1);
      return toPage(rows.map(toDevice), limit, (d) => [d.id]);
    },
  };
}

/** Offices by code; `create` throws DomainError('office_exists') for a taken code. */
export function sqliteOfficeStore(db: Db): OfficeStore {
  const insert = db.prepare('INSERT INTO offices (code, name, country, area, created_at) VALUES (?, ?, ?, ?, ?)');
  const byCode = db.prepare<[string], Row>('SELECT * FROM offices WHERE code = ?');
  const first = db.prepare<[number], Row>('SELECT * FROM offices ORDER BY code LIMIT ?');
  const after = db.prepare<[string, number], Row>('SELECT * FROM offices WHERE code > ? ORDER BY code LIMIT ?');
  const update = db.prepare('UPDATE offices SET name = ?, country = ?, area = ? WHERE code = ?');
  const remove = db.prepare('DELETE FROM offices WHERE code = ?');
  const naming = `(departure_office = ? OR destination_office = ?
          OR (transit_offices IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(movements.transit_offices) WHERE json_each.value = ?)))`;
  const using = {
    open: db.prepare<[string, string, string, number], { id: MovementId; reference: string }>(
      `SELECT id, reference FROM movements WHERE status != 'ended' AND ${naming} ORDER BY reference LIMIT ?`,
    ),
    all: db.prepare<[string, string, string, number], { id: MovementId; reference: string }>(
      `SELECT id, reference FROM movements WHERE ${naming} ORDER BY reference LIMIT ?`,
    ),
  };
  return {
    async create(o) {
      try {
        insert.run(o.code, o.name, o.country, toJson(o.area), o.createdAt);
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError('office_exists', `office ${o.code} already exists`, { code: o.code });
        throw err;
      }
    },
    async get(code) {
      const row = byCode.get(code);
      return row ? toOffice(row) : null;
    },
    async list(page) {
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['string']);
      const rows = key ? after.all(key[0] as string, limit + 1) : first.all(limit + 1);
      return toPage(rows.map(toOffice), limit, (o) => [o.code]);
    },
    async update(o) {
      return update.run(o.name, o.country, toJson(o.area), o.code).changes > 0;
    },
    async delete(code) {
      return remove.run(code).changes > 0;
    },
    async movementsUsing(code, limit, which) {
      return using[which].all(code, code, code, limit);
    },
  };
}

/** Installation settings (e.g. the admin token hash): plain strings by key. */
export function sqliteSettingsStore(db: Db): KeyValueStore {
  const read = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
  const write = db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  const insertNew = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
  return {
    async get(key) {
      return read.get(key) ?? null;
    },
    async setIfAbsent(key, value) {
      insertNew.run(key, value);
      return read.get(key)!;
    },
    async set(key, value) {
      write.run(key, value);
    },
  };
}
