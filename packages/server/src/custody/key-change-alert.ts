/**
 * A device's keys changed while it is on a movement: whoever changes them could sign messages in
 * the device's name from then on, so the change needs a reason and raises a `device_key_changed`
 * alert on that movement (the event, with the reason and who made the change, is chained into
 * the audit trail like every event).
 */
import { DomainError, asEventId, toTimestamp, type DeviceId, type DomainEvent, type MovementId, type Principal } from '@sealwatch/core';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Mutex } from '../processing/mutex';
import { AlertBatch } from '../processing/alert-batch';

export type KeyChange = 'provisioned' | 'rotated' | 'revoked';

export interface KeyChangeGuard {
  /** Throws key_change_reason_required when the device is on a movement and `reason` is missing; answers that movement. */
  before(device: DeviceId, reason: string | undefined): Promise<MovementId | null>;
  /** Raises the alert on the movement `before` answered (nothing when null). */
  after(
    movement: MovementId | null,
    device: DeviceId,
    p: Principal,
    change: KeyChange,
    keyId: string,
    reason: string | undefined,
  ): Promise<void>;
}

export function makeKeyChangeGuard(deps: {
  store: Store;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  newId: () => string;
}): KeyChangeGuard {
  return {
    async before(device, reason) {
      const movement = (await deps.store.custody.armings(device)).find((a) => !a.released)?.movement ?? null;
      if (movement && !reason?.trim()) {
        // Named to nobody: the owner changing keys is often a provider, which learns that its device
        // is in use, not whose cargo it seals (the movement is in the alert, for its parties).
        throw new DomainError(
          'key_change_reason_required',
          `device ${device} is on a movement that has not ended: say why its keys change (reason)`,
          { field: 'reason' },
        );
      }
      return movement;
    },
    async after(movement, device, p, change, keyId, reason) {
      if (!movement) return;
      await deps.alertLock.run(async () => {
        const now = toTimestamp(deps.now());
        const event: DomainEvent & { type: 'device_key_changed' } = {
          id: asEventId(deps.newId()),
          type: 'device_key_changed',
          movement,
          device,
          time: now,
          details: { change, keyId, reason: reason ?? null, by: p.id, organisation: p.organisation.id },
          observation: null,
          createdAt: now,
        };
        for (let attempt = 1; ; attempt++) {
          const batch = new AlertBatch(deps.store, deps.newId, now);
          await batch.raise(event);
          const { alerts, incidents } = await batch.finish();
          try {
            await deps.store.processing.record([event], alerts, incidents);
            deps.bus.publish({ kind: 'event', data: event });
            for (const a of alerts) deps.bus.publish({ kind: 'alert', data: a });
            for (const i of incidents) deps.bus.publish({ kind: 'incident', data: i });
            return;
          } catch (e) {
            if (attempt < 3 && e instanceof DomainError && (e.code === 'alert_changed' || e.code === 'incident_changed')) continue;
            throw e;
          }
        }
      });
    },
  };
}
