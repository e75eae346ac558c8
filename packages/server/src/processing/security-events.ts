/**
 * Security events raised at ingest: a (device, seq) pair reused with other content may be a
 * replayed or forged message. It is recorded as a `seq_conflict` event and a `message_forged`
 * alert on the device's movement in transit (or on the device alone).
 */
import { asEventId, DomainError, isInTransitAt, toTimestamp, type DomainEvent, type Incident } from '@sealwatch/core';
import { AlertBatch, type AlertBatchStore } from './alert-batch';
import type { SeqConflict } from '../ingest/ingest.service';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Mutex } from './mutex';

export function makeSeqConflictRecorder(deps: {
  store: AlertBatchStore & Pick<Store, 'processing'>;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  newId: () => string;
}) {
  return (c: SeqConflict) =>
    deps.alertLock.run(async () => {
      const now = toTimestamp(deps.now());
      const movement =
        (await deps.store.movements.listOpenByDevice(c.device)).find((m) => isInTransitAt(m, toTimestamp(c.time)))?.id ?? null;
      const details = { seq: c.seq, existingHash: c.existingHash, hash: c.hash };
      const conflict: DomainEvent = {
        id: asEventId(deps.newId()),
        type: 'seq_conflict',
        movement,
        device: c.device,
        time: now,
        details,
        observation: null,
        createdAt: now,
      };
      const forged = {
        ...conflict,
        id: asEventId(deps.newId()),
        type: 'message_forged' as const,
        details: { ...details, cause: 'seq_conflict' },
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
          await deps.store.processing.record([conflict, forged], [alert], incidents);
          break;
        } catch (e) {
          // Another process changed that alert in between: read it again (events are idempotent by id).
          if (attempt < 3 && e instanceof DomainError && (e.code === 'alert_changed' || e.code === 'incident_changed')) continue;
          throw e;
        }
      }
      deps.bus.publish({ kind: 'event', data: conflict });
      deps.bus.publish({ kind: 'event', data: forged });
      deps.bus.publish({ kind: 'alert', data: alert });
      for (const i of incidents) deps.bus.publish({ kind: 'incident', data: i });
    });
}
