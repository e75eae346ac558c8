/** SQLite custody store: custody grants, and device armings under a one-open-arming-per-device unique index. */
import {
  DomainError,
  type Arming,
  type CustodyGrant,
  type DeviceId,
  type Movement,
  type MovementId,
  type Timestamp,
} from '@sealwatch/core';
import type { ArmingChange, CustodyStore } from '../custody-ports';
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
  };
}
