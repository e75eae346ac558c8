/**
 * Writes what the transit monitor found: one event per new finding, dated when it occurred
 * (`time`) and stamped when it was detected (`createdAt`, and `detection` in its details, with
 * `late` when its data came after an earlier run could have seen it); an alert where the type
 * needs a person. Events, alerts and their audit entries are committed together, retried when
 * an operator changed one of the alerts in between.
 */
import {
  asEventId,
  backdateAlert,
  clearAlert,
  DomainError,
  isAlertType,
  type Alert,
  type AlertType,
  type DetectedFinding,
  type DomainEvent,
  type EventType,
  type Movement,
  type Timestamp,
  type TransitClear,
} from '@sealwatch/core';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Mutex } from '../processing/mutex';
import { AlertBatch, type AlertBatchStore } from '../processing/alert-batch';

const ENDED: Partial<Record<AlertType, string>> = {
  route_deviation: 'back in the corridor',
  signal_lost: 'the device reported again',
  unauthorized_stop: 'moving again',
  transit_overdue: 'arrived',
  sensor_out_of_range: 'back in range',
  battery_insufficient: 'the charge now lasts to the ETA',
};
const clearComment = (c: TransitClear) =>
  c.reason === 'retracted' ? 'no longer found: late data or the end of the watch removed it' : `${ENDED[c.type] ?? 'ended'} at ${c.at}`;

export class TransitRecorder {
  constructor(
    private readonly deps: { store: AlertBatchStore & Pick<Store, 'processing'>; bus: StreamBus; alertLock: Mutex; newId: () => string },
  ) {}

  /**
   * Records the events of new findings and raises their alerts, moves back the time of alerts
   * whose episode late data showed began earlier, then marks cleared the alerts whose condition ended (`clearAlert`: status kept, a `cleared` history entry by the system).
   */
  record(
    m: Movement,
    found: DetectedFinding[],
    clears: TransitClear[],
    now: Timestamp,
    backdates: Array<{ type: AlertType; start: Timestamp }> = [],
  ): Promise<void> {
    return this.write(now, async (alerts) => {
      const events: DomainEvent[] = [];
      for (const f of found) {
        const span = 'start' in f ? { start: f.start, end: f.end } : {};
        const event: DomainEvent = {
          id: asEventId(this.deps.newId()),
          type: f.type as EventType,
          movement: m.id,
          device: (f.device ?? null) as never,
          time: f.detection.occurredAt,
          details: { ...(f.details as Record<string, unknown>), ...span, detection: f.detection },
          observation: null,
          createdAt: f.detection.detectedAt,
        };
        events.push(event);
        if (isAlertType(event.type)) await alerts.raise(event as DomainEvent & { type: AlertType });
      }
      for (const b of backdates) await alerts.update(b.type, m.id, (a) => backdateAlert(a, b.start, now));
      for (const c of clears) await alerts.update(c.type, m.id, (a) => clearAlert(a, c.at, c.reason, now, clearComment(c)));
      return events;
    });
  }

  /** One write of events and alerts, retried (up to three times) when an alert changed meanwhile. */
  protected write(now: Timestamp, build: (alerts: AlertBatch) => Promise<DomainEvent[]>): Promise<void> {
    return this.deps.alertLock.run(async () => {
      for (let attempt = 1; ; attempt++) {
        const alerts = new AlertBatch(this.deps.store, this.deps.newId, now);
        const events = await build(alerts);
        const { alerts: changed, incidents } = await alerts.finish();
        try {
          await this.deps.store.processing.record(events, changed, incidents);
        } catch (err) {
          if (attempt < 3 && err instanceof DomainError && (err.code === 'alert_changed' || err.code === 'incident_changed')) continue;
          throw err;
        }
        for (const e of events) this.deps.bus.publish({ kind: 'event', data: e });
        for (const a of changed) this.deps.bus.publish({ kind: 'alert', data: a });
        for (const i of incidents) this.deps.bus.publish({ kind: 'incident', data: i });
        return;
      }
    });
  }
}
