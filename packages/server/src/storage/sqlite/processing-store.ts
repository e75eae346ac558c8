/** SQLite processing store: the processor's atomic commits, checkpoints and per-device state. */
import { DomainError, type Alert, type DomainEvent, type Incident } from '@sealwatch/core';
import type { ProcessingEffects, ProcessingStore } from '../ports';
import { toJson } from '../rows';
import { eventAlertWriter } from './alert-event-stores';
import { incidentWriter } from './incident-store';
import { sqliteRows } from './sql';
import type { Db, Row } from './sql';
import type { WalFlush } from './wal-flush';
import { checkFenceSqlite } from './partition-owner-store';

const { toDeviceState } = sqliteRows;

/**
 * Checkpoints per processor name. `commit` is idempotent: effects whose checkpoint is not past
 * the stored one were already committed (a replay after a crash) and are skipped entirely.
 */
export function sqliteProcessingStore(db: Db, wal: WalFlush | null = null): ProcessingStore {
  const writer = eventAlertWriter(db);
  const writeIncident = incidentWriter(db);
  const readCheckpoint = db.prepare<[string], number>('SELECT position FROM processor_checkpoints WHERE processor = ?').pluck();
  const writeCheckpoint = db.prepare(`INSERT INTO processor_checkpoints (processor, position) VALUES (?, ?)
    ON CONFLICT (processor) DO UPDATE SET position = excluded.position`);
  const upsertState = db.prepare(`INSERT INTO device_states
    (device, last_time, last_received_at, last_seq, position, position_time, seal, battery)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (device) DO UPDATE SET last_time = excluded.last_time,
      last_received_at = excluded.last_received_at, last_seq = excluded.last_seq,
      position = excluded.position, position_time = excluded.position_time,
      seal = excluded.seal, battery = excluded.battery
    WHERE device_states.last_time IS NULL OR excluded.last_time >= device_states.last_time`);
  const markProcessed = db.prepare<[number]>('INSERT OR IGNORE INTO processed_observations (id) VALUES (?)');
  const processedAmong = db
    .prepare<[string], number>('SELECT id FROM processed_observations WHERE id IN (SELECT value FROM json_each(?))')
    .pluck();
  const stateOf = db.prepare<[string], Row>('SELECT * FROM device_states WHERE device = ?');
  const statesOf = db.prepare<[string], Row>(
    'SELECT * FROM device_states WHERE device IN (SELECT value FROM json_each(?)) ORDER BY device',
  );

  const recordTx = db.transaction((events: DomainEvent[], alerts: Alert[], incidents: Incident[]) => {
    for (const e of events) writer.insertEvent(e);
    for (const a of alerts) writer.upsertAlert(a);
    for (const i of incidents) writeIncident(i);
  });
  class AlreadyProcessed extends Error {}
  const commitTx = db.transaction((fx: ProcessingEffects): boolean => {
    checkFenceSqlite(db, fx.fence);
    const stored = readCheckpoint.get(fx.processor) ?? 0;
    if (fx.observationIds) {
      // Any id already marked rolls the whole commit back.
      for (const id of fx.observationIds) if (markProcessed.run(id).changes === 0) throw new AlreadyProcessed();
    } else if (fx.checkpoint <= stored) {
      return false;
    }
    recordTx(fx.events, fx.alerts, fx.incidents ?? []);
    for (const s of fx.deviceStates) {
      upsertState.run(
        s.device,
        s.lastTime,
        s.lastReceivedAt,
        s.lastSeq,
        toJson(s.position),
        s.positionTime,
        toJson(s.seal),
        toJson(s.battery),
      );
    }
    writeCheckpoint.run(fx.processor, Math.max(stored, fx.checkpoint));
    return true;
  });

  return {
    async checkpoint(processor) {
      return readCheckpoint.get(processor) ?? 0;
    },
    async commit(effects) {
      try {
        if (!wal) return commitTx(effects);
        // As the group commit: durable when this resolves, the WAL synced off the event loop.
        const applied = wal.deferredCommit(() => commitTx(effects));
        await wal.flush();
        return applied;
      } catch (e) {
        if (e instanceof AlreadyProcessed) return false;
        // By observation (cluster), a lost race is retried by the caller on fresh reads.
        if (effects.observationIds && e instanceof DomainError && (e.code === 'alert_changed' || e.code === 'incident_changed'))
          return false;
        throw e;
      }
    },
    async unprocessed(ids) {
      if (!ids.length) return [];
      const done = new Set(processedAmong.all(JSON.stringify(ids)));
      return ids.filter((id) => !done.has(id)).sort((a, b) => a - b);
    },
    async record(events, alerts, incidents = []) {
      if (events.length || alerts.length || incidents.length) recordTx(events, alerts, incidents);
    },
    async deviceState(device) {
      const row = stateOf.get(device);
      return row ? toDeviceState(row) : null;
    },
    async deviceStates(devices) {
      return devices.length ? statesOf.all(JSON.stringify(devices)).map(toDeviceState) : [];
    },
  };
}
