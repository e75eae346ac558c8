/** SQLite custody store: custody grants, and device armings under a one-open-arming-per-device unique index. */
import {
  DomainError,
  type Arming,
  type CustodyGrant,
  type DeviceId,
  type LendingConsent,
  type LendingConsentStatus,
  type Movement,
  type MovementId,
  type Timestamp,
} from '@sealwatch/core';
import type { ArmingChange, CustodyStore } from '../custody-ports';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import { movementWriteError, sqliteMovementWrites } from './movement-store';
import type { Db, Row } from './sql';

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
  released: r.released === 1,
});

const toConsent = (r: Row): LendingConsent => ({
  id: r.id as string,
  trader: r.trader as string,
  administration: r.administration as string,
  movement: (r.movement ?? null) as MovementId | null,
  devices: r.devices === null ? null : (JSON.parse(r.devices as string) as DeviceId[]),
  status: r.status as LendingConsentStatus,
  from: r.valid_from as Timestamp,
  to: (r.valid_to ?? null) as Timestamp | null,
  createdAt: r.created_at as Timestamp,
  createdBy: r.created_by as string,
  decidedAt: (r.decided_at ?? null) as Timestamp | null,
  decidedBy: (r.decided_by ?? null) as string | null,
});

export function sqliteCustodyStore(db: Db): CustodyStore {
  const insertGrant = db.prepare(`INSERT INTO custody_grants (id, device, holder, valid_from, valid_to, granted_by, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const grantById = db.prepare<[string], Row>('SELECT * FROM custody_grants WHERE id = ?');
  const grantsOf = db.prepare<[string], Row>('SELECT * FROM custody_grants WHERE device = ? ORDER BY valid_from, id');
  const endGrant = db.prepare('UPDATE custody_grants SET valid_to = ? WHERE id = ? AND valid_to IS NULL');
  const openOf = db.prepare<[string], Row>('SELECT * FROM device_armings WHERE device = ? AND released = 0');
  const insertArming = db.prepare('INSERT INTO device_armings (device, movement) VALUES (?, ?)');
  const armAll = db.prepare('UPDATE device_armings SET armed_from = ? WHERE movement = ? AND released = 0');
  const releaseAll = db.prepare('UPDATE device_armings SET armed_to = ?, released = 1 WHERE movement = ? AND released = 0');
  const armingsOf = db.prepare<[string], Row>(`SELECT * FROM device_armings WHERE device = ?
    ORDER BY armed_from IS NULL, armed_from, movement`);
  const withdrawClaim = db.prepare(
    'UPDATE device_armings SET released = 1, armed_to = NULL WHERE movement = ? AND device = ? AND armed_from IS NULL AND released = 0',
  );
  const insertConsent = db.prepare(`INSERT INTO lending_consents (id, trader, administration, movement, devices, status, valid_from,
    valid_to, created_at, created_by, decided_at, decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const consentById = db.prepare<[string], Row>('SELECT * FROM lending_consents WHERE id = ?');
  const consentOfMovement = db.prepare<[string], Row>('SELECT * FROM lending_consents WHERE movement = ?');
  const standingOf = db.prepare<[string, string], Row>(
    'SELECT * FROM lending_consents WHERE trader = ? AND administration = ? AND movement IS NULL ORDER BY valid_from, id',
  );
  const listConsents = db.prepare<Record<string, unknown>, Row>(`SELECT * FROM lending_consents WHERE id > @after
    AND (@party IS NULL OR trader = @party OR administration = @party)
    AND (@status IS NULL OR status = @status) AND (@movement IS NULL OR movement = @movement)
    ORDER BY id LIMIT @limit`);
  const decide = db.prepare(`UPDATE lending_consents SET status = @to, decided_at = @at, decided_by = @by,
    valid_to = coalesce(@validTo, valid_to) WHERE id = @id AND status IN (SELECT value FROM json_each(@from))`);

  // Check and insert in one IMMEDIATE transaction: no other writer can claim in between.
  const claimTx = db.transaction((movement: MovementId, devices: readonly DeviceId[]) => {
    for (const d of devices) {
      const open = openOf.get(d);
      if (open && open.movement !== movement) {
        throw new DomainError('device_on_movement', `device ${d} is on movement ${String(open.movement)}, which has not ended`, {
          device: d,
          movement: open.movement,
          field: 'devices',
        });
      }
      if (!open) insertArming.run(d, movement);
    }
  });

  const movements = sqliteMovementWrites(db);
  const declareTx = db.transaction((m: Movement) => {
    claimTx(m.id, [...new Set(m.devices)]);
    movements.create(m);
  });
  const stepTx = db.transaction((m: Movement, change: ArmingChange | null) => {
    movements.update(m);
    if (change && 'arm' in change) armAll.run(change.arm, m.id);
    if (change && 'release' in change) releaseAll.run(change.release, m.id);
  });

  return {
    async addGrant(g) {
      insertGrant.run(g.id, g.device, g.holder, g.from, g.to, g.grantedBy, g.createdAt);
    },
    async getGrant(id) {
      const row = grantById.get(id);
      return row ? toGrant(row) : null;
    },
    async grants(device) {
      return grantsOf.all(device).map(toGrant);
    },
    async endGrant(id, to) {
      return endGrant.run(to, id).changes === 1;
    },
    async claim(movement, devices) {
      claimTx.immediate(movement, [...new Set(devices)]);
    },
    async declare(movement) {
      try {
        declareTx.immediate(movement);
      } catch (err) {
        throw movementWriteError(err, movement);
      }
    },
    async recordStep(movement, change) {
      try {
        stepTx.immediate(movement, change);
      } catch (err) {
        throw movementWriteError(err, movement);
      }
    },
    async arm(movement, from) {
      armAll.run(from, movement);
    },
    async release(movement, to) {
      releaseAll.run(to, movement);
    },
    async armings(device) {
      return armingsOf.all(device).map(toArming);
    },
    async withdrawClaims(movement, devices) {
      db.transaction(() => {
        for (const d of devices) withdrawClaim.run(movement, d);
      }).immediate();
    },
    async addConsent(c) {
      const stored = db
        .transaction(() => {
          insertConsent.run(
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
          );
          return c.movement ? consentOfMovement.get(c.movement) : consentById.get(c.id);
        })
        .immediate();
      return toConsent(stored!);
    },
    async getConsent(id) {
      const row = consentById.get(id);
      return row ? toConsent(row) : null;
    },
    async consentForMovement(movement) {
      const row = consentOfMovement.get(movement);
      return row ? toConsent(row) : null;
    },
    async standingConsents(trader, administration) {
      return standingOf.all(trader, administration).map(toConsent);
    },
    async listConsents(filter, page) {
      const limit = clampLimit(page.limit);
      const key = decodeCursor(page.cursor, ['string']);
      const rows = listConsents.all({
        after: key ? (key[0] as string) : '',
        party: filter.party ?? null,
        status: filter.status ?? null,
        movement: filter.movement ?? null,
        limit: limit + 1,
      });
      return toPage(rows.map(toConsent), limit, (c) => [c.id]);
    },
    async decideConsent(id, from, to, at, by, validTo) {
      return decide.run({ id, from: JSON.stringify(from), to, at, by, validTo: validTo ?? null }).changes === 1;
    },
  };
}
