/** PostgreSQL custody store: custody grants, and device armings under a one-open-arming-per-device unique index. */
import {
  DomainError,
  type Arming,
  type CustodyGrant,
  type DeviceId,
  type LendingConsent,
  type LendingConsentStatus,
  type MovementId,
  type Timestamp,
} from '@sealwatch/core';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import type { Pool, PoolClient } from 'pg';
import type { CustodyStore } from '../custody-ports';
import { movementExists } from '../rows';
import { insertMovement, replaceMovement } from './movement-store';
import { inTransaction, isUniqueViolation } from './sql';

type Row = Record<string, unknown>;
const toGrant = (r: Row): CustodyGrant => ({
  id: r.id as string,
  device: r.device as DeviceId,
  holder: r.holder as string,
  from: r.valid_from as Timestamp,
  to: (r.valid_to ?? null) as Timestamp | null,
  grantedBy: r.granted_by as string,
  createdAt: r.created_at as Timestamp,
});
const toArming = (r: Row): Arming => ({
  device: r.device as DeviceId,
  movement: r.movement as MovementId,
  from: (r.armed_from ?? null) as Timestamp | null,
  to: (r.armed_to ?? null) as Timestamp | null,
  released: r.released as boolean,
});

const toConsent = (r: Row): LendingConsent => ({
  id: r.id as string,
  trader: r.trader as string,
  administration: r.administration as string,
  movement: (r.movement ?? null) as MovementId | null,
  devices: (r.devices ?? null) as DeviceId[] | null,
  status: r.status as LendingConsentStatus,
  from: r.valid_from as Timestamp,
  to: (r.valid_to ?? null) as Timestamp | null,
  createdAt: r.created_at as Timestamp,
  createdBy: r.created_by as string,
  decidedAt: (r.decided_at ?? null) as Timestamp | null,
  decidedBy: (r.decided_by ?? null) as string | null,
});

export function postgresCustodyStore(pool: Pool): CustodyStore {
  const onMovement = async (devices: readonly DeviceId[], movement: MovementId): Promise<DomainError | null> => {
    const { rows } = await pool.query(
      'SELECT device, movement FROM device_armings WHERE device = ANY($1::text[]) AND NOT released AND movement <> $2 ORDER BY device LIMIT 1',
      [devices, movement],
    );
    if (!rows.length) return null;
    const { device, movement: other } = rows[0] as { device: string; movement: string };
    return new DomainError('device_on_movement', `device ${device} is on movement ${other}, which has not ended`, {
      device,
      movement: other,
      field: 'devices',
    });
  };
  const insertClaims = (c: PoolClient, devices: readonly DeviceId[], movement: MovementId) =>
    c.query(
      `INSERT INTO device_armings (device, movement) SELECT d, $2 FROM unnest($1::text[]) AS d
      ON CONFLICT (device, movement) DO NOTHING`,
      [devices, movement],
    );
  /**
   * Claims (and, for a declaration, stores the movement) in one transaction. Of two unique
   * violations the claims' comes first: which one the engine raised is known by the step it failed in.
   */
  const claimThen = async (movement: MovementId, devices: readonly DeviceId[], then?: (c: PoolClient) => Promise<void>) => {
    const early = devices.length ? await onMovement(devices, movement) : null;
    if (early) throw early;
    let claimed = false;
    try {
      await inTransaction(pool, async (c) => {
        if (devices.length) await insertClaims(c, devices, movement);
        claimed = true;
        await then?.(c);
      });
    } catch (err) {
      if (!isUniqueViolation(err) || claimed) throw err;
      throw (
        (await onMovement(devices, movement)) ??
        new DomainError('device_on_movement', `a device of movement ${movement} is on another movement`, { field: 'devices' })
      );
    }
  };
  return {
    async addGrant(g) {
      await pool.query(
        `INSERT INTO custody_grants (id, device, holder, valid_from, valid_to, granted_by, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [g.id, g.device, g.holder, g.from, g.to, g.grantedBy, g.createdAt],
      );
    },
    async getGrant(id) {
      const { rows } = await pool.query('SELECT * FROM custody_grants WHERE id = $1', [id]);
      return rows.length ? toGrant(rows[0]) : null;
    },
    async grants(device) {
      const { rows } = await pool.query('SELECT * FROM custody_grants WHERE device = $1 ORDER BY valid_from, id', [device]);
      return rows.map(toGrant);
    },
    async endGrant(id, to) {
      return (await pool.query('UPDATE custody_grants SET valid_to = $1 WHERE id = $2 AND valid_to IS NULL', [to, id])).rowCount === 1;
    },
    async claim(movement, devices) {
      // The unique index decides between concurrent claims: all rows or none.
      await claimThen(movement, [...new Set(devices)]);
    },
    async declare(m) {
      try {
        await claimThen(m.id, [...new Set(m.devices)], (c) => insertMovement(c, m));
      } catch (err) {
        throw isUniqueViolation(err) ? movementExists(m) : err;
      }
    },
    async recordStep(m, change) {
      try {
        await inTransaction(pool, async (c) => {
          await replaceMovement(c, m);
          if (change && 'arm' in change)
            await c.query('UPDATE device_armings SET armed_from = $1 WHERE movement = $2 AND NOT released', [change.arm, m.id]);
          if (change && 'release' in change)
            await c.query('UPDATE device_armings SET armed_to = $1, released = true WHERE movement = $2 AND NOT released', [
              change.release,
              m.id,
            ]);
        });
      } catch (err) {
        throw isUniqueViolation(err) ? movementExists(m) : err;
      }
    },
    async arm(movement, from) {
      await pool.query('UPDATE device_armings SET armed_from = $1 WHERE movement = $2 AND NOT released', [from, movement]);
    },
    async release(movement, to) {
      await pool.query('UPDATE device_armings SET armed_to = $1, released = true WHERE movement = $2 AND NOT released', [to, movement]);
    },
    async armings(device) {
      const { rows } = await pool.query(
        `SELECT * FROM device_armings WHERE device = $1
        ORDER BY armed_from IS NULL, armed_from, movement`,
        [device],
      );
      return rows.map(toArming);
    },
    async withdrawClaims(movement, devices) {
      await pool.query(
        `UPDATE device_armings SET released = true, armed_to = NULL
        WHERE movement = $1 AND device = ANY($2::text[]) AND armed_from IS NULL AND NOT released`,
        [movement, devices],
      );
    },
    async addConsent(c) {
      await pool.query(
        `INSERT INTO lending_consents (id, trader, administration, movement, devices, status, valid_from, valid_to, created_at,
          created_by, decided_at, decided_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
        [
          c.id,
          c.trader,
          c.administration,
          c.movement,
          c.devices === null ? null : JSON.stringify(c.devices),
          c.status,
          c.from,
          c.to,
          c.createdAt,
          c.createdBy,
          c.decidedAt,
          c.decidedBy,
        ],
      );
      const { rows } = c.movement
        ? await pool.query('SELECT * FROM lending_consents WHERE movement = $1', [c.movement])
        : await pool.query('SELECT * FROM lending_consents WHERE id = $1', [c.id]);
      return toConsent(rows[0]);
    },
    async getConsent(id) {
      const { rows } = await pool.query('SELECT * FROM lending_consents WHERE id = $1', [id]);
      return rows.length ? toConsent(rows[0]) : null;
    },
    async consentForMovement(movement) {
      const { rows } = await pool.query('SELECT * FROM lending_consents WHERE movement = $1', [movement]);
      return rows.length ? toConsent(rows[0]) : null;
    },
    async standingConsents(trader, administration) {
      const { rows } = await pool.query(
        'SELECT * FROM lending_consents WHERE trader = $1 AND administration = $2 AND movement IS NULL ORDER BY valid_from, id',
        [trader, administration],
      );
      return rows.map(toConsent);
    },
    async listConsents(filter, page) {
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['string']);
      const { rows } = await pool.query(
        `SELECT * FROM lending_consents WHERE id > $1 AND ($2::text IS NULL OR trader = $2 OR administration = $2)
        AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR movement = $4) ORDER BY id LIMIT $5`,
        [key ? key[0] : '', filter.party ?? null, filter.status ?? null, filter.movement ?? null, limit + 1],
      );
      return toPage(rows.map(toConsent), limit, (c) => [c.id]);
    },
    async decideConsent(id, from, to, at, by, validTo) {
      const { rowCount } = await pool.query(
        `UPDATE lending_consents SET status = $3, decided_at = $4, decided_by = $5, valid_to = coalesce($6, valid_to)
        WHERE id = $1 AND status = ANY($2::text[])`,
        [id, from, to, at, by, validTo ?? null],
      );
      return rowCount === 1;
    },
  };
}
