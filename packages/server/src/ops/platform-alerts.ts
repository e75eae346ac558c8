/**
 * Degraded states of this process raised as platform alerts: a `platform_degraded` alert (no
 * movement, no device) per health check and process while the check is degraded or failing
 * (store or NATS down, MQTT broker lost, disk low, processing lag high, a partition lease lost),
 * cleared when the check is ok again, opened again if it fails again. The console lists it with
 * the other alerts (scope `all`) and webhooks carry each change, through the stream bus as any
 * alert change.
 *
 * The store may be what is down: changes are queued in order with the time they were seen and
 * applied once the store answers (retried at every report), so a store outage is recorded,
 * opened and cleared at the times it began and ended, when it ends. Every process raises its own (`details.instance`): a cluster-wide outage shows
 * once per process that saw it.
 */
import { asAlertId, asEventId, clearAlert, raiseAlert, toTimestamp, type Alert, type DomainEvent } from '@sealwatch/core';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { HealthCheck } from './health';

export interface PlatformAlertsDeps {
  store: Pick<Store, 'alerts' | 'processing'>;
  bus: StreamBus;
  now: () => number;
  newId: () => string;
  /** This process (SEALWATCH_INSTANCE_ID): each process raises and clears its own. */
  instance: string;
  log: { warn(o: object, m: string): void };
}

export class PlatformAlerts {
  /** State changes not yet applied to the store, oldest first. */
  private readonly queue: { check: string; state: HealthCheck; at: number }[] = [];
  private applying: Promise<void> | null = null;
  private again = false;
  private failing = false;

  constructor(private readonly deps: PlatformAlertsDeps) {}

  /** A health check changed state (HealthMonitor's onChange). Applied in the background. */
  report(check: string, state: HealthCheck): void {
    this.queue.push({ check, state, at: this.deps.now() });
    void this.apply();
  }

  /** Applies what is wanted (one round at a time); resolves when done or when the store failed (kept for the next round). */
  apply(): Promise<void> {
    if (this.applying) {
      this.again = true;
      return this.applying;
    }
    this.applying = this.round().finally(() => {
      this.applying = null;
      if (this.again) {
        this.again = false;
        void this.apply();
      }
    });
    return this.applying;
  }

  private async round(): Promise<void> {
    while (this.queue.length) {
      const { check, state, at } = this.queue[0];
      try {
        await this.applyOne(check, state, toTimestamp(at));
        this.queue.shift();
        this.failing = false;
      } catch (e) {
        // Most likely the store itself is down: keep the wish, the next report retries it.
        if (!this.failing)
          this.deps.log.warn({ err: (e as Error).message }, 'platform alert not recorded yet; retrying at the next health change');
        this.failing = true;
        return;
      }
    }
  }

  private async applyOne(check: string, state: HealthCheck, at: ReturnType<typeof toTimestamp>): Promise<void> {
    const now = toTimestamp(this.deps.now());
    const current = await this.find(check);
    if (state.status === 'ok') {
      if (!current || current.details.cleared) return;
      return this.save(clearAlert(current, at, 'ended', now, state.detail));
    }
    const event: DomainEvent & { type: 'platform_degraded' } = {
      id: asEventId(this.deps.newId()),
      type: 'platform_degraded',
      movement: null,
      device: null,
      time: at,
      details: { check, status: state.status, detail: state.detail, instance: this.deps.instance },
      observation: null,
      createdAt: now,
    };
    // Still open with the same state (a repeat report): nothing new to tell.
    if (current && !current.details.cleared && current.details.status === state.status) return;
    const alert = raiseAlert(current, event, asAlertId(this.deps.newId()), now);
    if (current) {
      await this.deps.store.processing.record([event], []);
      await this.save(alert);
    } else {
      await this.deps.store.processing.record([event], [alert]);
      this.deps.bus.publish({ kind: 'alert', data: alert });
    }
  }

  private async save(alert: Alert): Promise<void> {
    await this.deps.store.alerts.save(alert);
    this.deps.bus.publish({ kind: 'alert', data: alert });
  }

  /** This process's unresolved platform alert for `check` (cleared or not). */
  private async find(check: string): Promise<Alert | null> {
    let cursor: string | null | undefined;
    do {
      const page = await this.deps.store.alerts.list({ type: 'platform_degraded' }, { limit: 200, cursor });
      const hit = page.items.find((a) => a.status !== 'resolved' && a.details.check === check && a.details.instance === this.deps.instance);
      if (hit) return hit;
      cursor = page.nextCursor;
    } while (cursor);
    return null;
  }
}
