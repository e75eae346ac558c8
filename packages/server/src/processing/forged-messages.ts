/**
 * Forgery attempts against a registered device, found at ingest: a signature that
 * verifies with none of its keys, an algorithm none of its keys has (alg:none, HS256 made of a
 * public key), a valid signature under a revoked key, a payload naming another device than the
 * key's. Each is already rejected and quarantined; here it becomes a `message_forged` event and
 * alert (one open alert per movement, or per device outside a movement). seq_conflict has its
 * own recorder (security-events.ts).
 *
 * Not alerted: `key_expired` (the device's own old key after its overlap: a device behind on
 * rotation, visible in the quarantine), clock skew, unknown devices (no one to alert about, and
 * anyone can send them), malformed input. Anyone can send a bad signature naming a device, so
 * per device and cause at most one event per `quietMs` is recorded; every message stays in the
 * quarantine and the audit trail.
 */
import {
  asEventId,
  DomainError,
  isInTransitAt,
  toTimestamp,
  type DeviceId,
  type DomainEvent,
  type RejectReason,
  type Incident,
} from '@sealwatch/core';
import { AlertBatch, type AlertBatchStore } from './alert-batch';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Mutex } from './mutex';

/** The rejections that mean someone tried to speak for a registered device. */
export const forgedReasons: ReadonlySet<RejectReason> = new Set<RejectReason>([
  'bad_signature',
  'algorithm_not_allowed',
  'key_revoked',
  'kid_mismatch',
]);

export interface ForgedMessage {
  device: DeviceId;
  reason: RejectReason;
  seq: number | null;
  quarantineId: number;
}

export function makeForgedMessageRecorder(deps: {
  store: AlertBatchStore & Pick<Store, 'processing'>;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  newId: () => string;
  quietMs?: number;
}) {
  const quietMs = deps.quietMs ?? 60_000;
  const lastAt = new Map<string, number>();
  return async (f: ForgedMessage): Promise<void> => {
    const key = `${f.device}|${f.reason}`;
    const nowMs = deps.now();
    if (nowMs - (lastAt.get(key) ?? -Infinity) < quietMs) return;
    if (lastAt.size > 100_000) lastAt.clear();
    lastAt.set(key, nowMs);
    await deps.alertLock.run(async () => {
      const now = toTimestamp(nowMs);
      const movement = (await deps.store.movements.listOpenByDevice(f.device)).find((m) => isInTransitAt(m, now))?.id ?? null;
      const forged: DomainEvent & { type: 'message_forged' } = {
        id: asEventId(deps.newId()),
        type: 'message_forged',
        movement,
        device: f.device,
        time: now,
        details: { cause: f.reason, seq: f.seq, quarantineId: f.quarantineId },
        observation: null,
        createdAt: now,
      };
      let alert;
      let incidents: Incident[] = [];
      for (let attempt = 1; ; attempt++) {
        const batch = new AlertBatch(deps.store, deps.newId, now);
        await batch.raise(forged);
        const done = await batch.finish();
        [alert] = done.alerts;
        incidents = done.incidents;
        try {
          await deps.store.processing.record([forged], [alert], incidents);
          break;
        } catch (e) {
          if (attempt < 3 && e instanceof DomainError && (e.code === 'alert_changed' || e.code === 'incident_changed')) continue;
          throw e;
        }
      }
      deps.bus.publish({ kind: 'event', data: forged });
      deps.bus.publish({ kind: 'alert', data: alert });
      for (const i of incidents) deps.bus.publish({ kind: 'incident', data: i });
    });
  };
}
