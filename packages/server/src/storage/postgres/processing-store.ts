/** PostgreSQL processing store: the processor's atomic commits, checkpoints and per-device state. */
import { DomainError, type DeviceState } from '@sealwatch/core';
import type { Pool, PoolClient } from 'pg';
import type { ProcessingEffects, ProcessingStore } from '../ports';
import { toJson } from '../rows';
import { insertEvents, lastByKey, upsertAlerts } from './alert-event-stores';
import { upsertIncidents } from './incident-store';
import { inTransaction, postgresRows } from './sql';
import { checkFence } from './partition-owner-store';

const { toDeviceState } = postgresRows;

async function upsertDeviceStates(client: PoolClient, states: readonly DeviceState[]): Promise<void> {
  if (!states.length) return;
  const list = lastByKey(states, (s) => s.device);
  await client.query(
    `INSERT INTO device_states
      (device, last_time, last_received_at, last_seq, position, position_time, seal, battery)
    SELECT device, last_time, last_received_at, last_seq, position::jsonb, position_time, seal::jsonb, battery::jsonb
    FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::bigint[], $5::text[],
      $6::timestamptz[], $7::text[], $8::text[])
      AS u(device, last_time, last_received_at, last_seq, position, position_time, seal, battery)
    ON CONFLICT (device) DO UPDATE SET last_time = excluded.last_time,
      last_received_at = excluded.last_received_at, last_seq = excluded.last_seq,
      position = excluded.position, position_time = excluded.position_time,
      seal = excluded.seal, battery = excluded.battery
    WHERE device_states.last_time IS NULL OR excluded.last_time >= device_states.last_time`,
    [
      list.map((s) => s.device),
      list.map((s) => s.lastTime),
      list.map((s) => s.lastReceivedAt),
      list.map((s) => s.lastSeq),
      list.map((s) => toJson(s.position)),
      list.map((s) => s.positionTime),
      list.map((s) => toJson(s.seal)),
      list.map((s) => toJson(s.battery)),
    ],
  );
}

class AlreadyProcessed extends Error {}

/** Applies effects once per observation: marking an id twice rolls the whole commit back. */
async function commitByObservation(pool: Pool, fx: ProcessingEffects, ids: number[]): Promise<boolean> {
  try {
    return await inTransaction(pool, async (client) => {
      await checkFence(client, fx.fence);
      const marked = await client.query('INSERT INTO processed_observations (id) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING', [
        ids,
      ]);
      if (marked.rowCount !== new Set(ids).size) throw new AlreadyProcessed();
      await insertEvents(client, fx.events);
      await upsertAlerts(client, fx.alerts);
      await upsertIncidents(client, fx.incidents ?? []);
      await upsertDeviceStates(client, fx.deviceStates);
      await client.query(
        `INSERT INTO processor_checkpoints (processor, position) VALUES ($1, $2)
        ON CONFLICT (processor) DO UPDATE SET position = GREATEST(processor_checkpoints.position, excluded.position)`,
        [fx.processor, fx.checkpoint],
      );
      return true;
    });
  } catch (e) {
    if (e instanceof AlreadyProcessed) return false;
    // A lost race on an alert: the caller retries on fresh reads.
    if (e instanceof DomainError && (e.code === 'alert_changed' || e.code === 'incident_changed')) return false;
    throw e;
  }
}

/**
 * Checkpoints per processor name. `commit` is idempotent: effects whose checkpoint is not past
 * the stored one were already committed (a replay after a crash) and are skipped entirely.
 */
export function postgresProcessingStore(pool: Pool): ProcessingStore {
  return {
    async checkpoint(processor) {
      const { rows } = await pool.query<{ position: number }>('SELECT position FROM processor_checkpoints WHERE processor = $1', [
        processor,
      ]);
      return rows.length ? rows[0].position : 0;
    },
    async commit(fx) {
      if (fx.observationIds) return commitByObservation(pool, fx, fx.observationIds);
      // A processor that never committed is at 0, so a checkpoint of 0 or less is a replay too.
      if (fx.checkpoint <= 0) return false;
      return inTransaction(pool, async (client) => {
        await checkFence(client, fx.fence);
        // Advancing the checkpoint first both decides "is this a replay?" and locks the row, so
        // two processors committing the same slice at once apply it once.
        const advanced = await client.query(
          `INSERT INTO processor_checkpoints (processor, position)
          VALUES ($1, $2) ON CONFLICT (processor) DO UPDATE SET position = excluded.position
          WHERE processor_checkpoints.position < excluded.position`,
          [fx.processor, fx.checkpoint],
        );
        if (advanced.rowCount === 0) return false;
        await insertEvents(client, fx.events);
        await upsertAlerts(client, fx.alerts);
        await upsertIncidents(client, fx.incidents ?? []);
        await upsertDeviceStates(client, fx.deviceStates);
        return true;
      });
    },
    async unprocessed(ids) {
      if (!ids.length) return [];
      const { rows } = await pool.query<{ id: string }>('SELECT id FROM processed_observations WHERE id = ANY($1::bigint[])', [ids]);
      const done = new Set(rows.map((r) => Number(r.id)));
      return ids.filter((id) => !done.has(id)).sort((a, b) => a - b);
    },
    async record(events, alerts, incidents = []) {
      if (!events.length && !alerts.length && !incidents.length) return;
      await inTransaction(pool, async (client) => {
        await insertEvents(client, events);
        await upsertAlerts(client, alerts);
        await upsertIncidents(client, incidents);
      });
    },
    async deviceState(device) {
      const { rows } = await pool.query('SELECT * FROM device_states WHERE device = $1', [device]);
      return rows.length ? toDeviceState(rows[0]) : null;
    },
    async deviceStates(devices) {
      if (!devices.length) return [];
      const { rows } = await pool.query('SELECT * FROM device_states WHERE device = ANY($1::text[]) ORDER BY device', [devices]);
      return rows.map(toDeviceState);
    },
  };
}
