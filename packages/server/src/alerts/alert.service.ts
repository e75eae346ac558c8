/** Operator actions on alerts: acknowledge, assign, resolve. Loads, applies the rule, saves, publishes. */
import {
  acknowledgeAlert,
  assignAlert,
  DomainError,
  resolveAlert,
  toTimestamp,
  type Alert,
  type AlertId,
  type AlertOutcome,
} from '@sealwatch/core';
import type { AlertStore } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Mutex } from '../processing/mutex';

export class AlertService {
  constructor(private readonly deps: { alerts: AlertStore; bus: StreamBus; alertLock: Mutex; now: () => number }) {}

  acknowledge(id: AlertId, by: string, comment?: string): Promise<Alert> {
    return this.change(id, (a, now) => acknowledgeAlert(a, by, now, comment));
  }

  assign(id: AlertId, assignee: string, by: string, comment?: string): Promise<Alert> {
    return this.change(id, (a, now) => assignAlert(a, assignee, by, now, comment));
  }

  resolve(id: AlertId, outcome: AlertOutcome, comment: string, by: string): Promise<Alert> {
    return this.change(id, (a, now) => resolveAlert(a, outcome, comment, by, now));
  }

  /** Re-reads and re-applies when another process changed the alert in between (cluster mode). */
  private change(id: AlertId, rule: (a: Alert, now: ReturnType<typeof toTimestamp>) => Alert): Promise<Alert> {
    return this.deps.alertLock.run(async () => {
      for (let attempt = 1; ; attempt++) {
        const alert = await this.deps.alerts.get(id);
        if (!alert) throw new DomainError('unknown_alert', `no alert with id ${id}`);
        const next = rule(alert, toTimestamp(this.deps.now()));
        try {
          await this.deps.alerts.save(next);
        } catch (e) {
          if (attempt < 3 && e instanceof DomainError && e.code === 'alert_changed') continue;
          throw e;
        }
        this.deps.bus.publish({ kind: 'alert', data: next });
        return next;
      }
    });
  }
}
