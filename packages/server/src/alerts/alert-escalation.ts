/**
 * Escalation: an alert nobody acknowledged within `SEALWATCH_ALERT_ESCALATE_S` is marked
 * escalated (core `escalateAlert`: a history entry by the system, `details.escalated`), saved
 * through the audited store and published again, so the console re-announces it and webhooks
 * send it once more. Runs on a timer where the transit rules run (one process in a cluster).
 */
import { DomainError, escalateAlert, toTimestamp, type Alert } from '@sealwatch/core';
import type { AlertStore } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Mutex } from '../processing/mutex';

export interface AlertEscalatorDeps {
  alerts: AlertStore;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  /** Seconds an alert may stay open; 0: never escalate. */
  afterS: number;
  log: { warn(o: object, m: string): void };
  isLeader?: () => boolean;
}

export class AlertEscalator {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly deps: AlertEscalatorDeps) {}

  /** Escalates every open alert past the limit; returns those escalated now. */
  async escalateDue(): Promise<Alert[]> {
    if (this.deps.afterS <= 0) return [];
    const due: Alert[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await this.deps.alerts.list({ status: 'open' }, { limit: 500, cursor });
      due.push(...page.items.filter((a) => escalateAlert(a, this.deps.afterS, toTimestamp(this.deps.now())) !== a));
      cursor = page.nextCursor;
    } while (cursor);
    const done: Alert[] = [];
    for (const a of due) {
      const next = await this.deps.alertLock.run(() => this.escalate(a));
      if (next) done.push(next);
    }
    return done;
  }

  schedule(everyMs: number): void {
    const tick = () => {
      if (this.running || (this.deps.isLeader && !this.deps.isLeader())) return;
      this.running = this.escalateDue()
        .catch((e: Error) => this.deps.log.warn({ err: e.message }, 'alert escalation failed; retrying at the next turn'))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Re-reads the alert (an operator may have acknowledged it meanwhile) and escalates it if still due. */
  private async escalate(found: Alert): Promise<Alert | null> {
    for (let attempt = 1; ; attempt++) {
      const current = attempt === 1 ? found : await this.deps.alerts.get(found.id);
      if (!current) return null;
      const next = escalateAlert(current, this.deps.afterS, toTimestamp(this.deps.now()));
      if (next === current) return null;
      try {
        await this.deps.alerts.save(next);
      } catch (e) {
        if (attempt < 3 && e instanceof DomainError && e.code === 'alert_changed') continue;
        throw e;
      }
      this.deps.bus.publish({ kind: 'alert', data: next });
      return next;
    }
  }
}
