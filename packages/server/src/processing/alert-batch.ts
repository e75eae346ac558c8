/**
 * Alerts raised together and written in one store call: one unresolved alert per movement and
 * type (per device outside a movement), read from the store the first time a key is raised;
 * later occurrences in the same batch update it in memory, so the stored revision moves by one
 * per write, as the store's optimistic check expects.
 */
import { asAlertId, raiseAlert, type Alert, type AlertType, type DomainEvent, type MovementId, type Timestamp } from '@sealwatch/core';
import type { AlertStore } from '../storage/ports';

export class AlertBatch {
  private readonly pending = new Map<string, Alert>();

  constructor(private readonly alerts: AlertStore, private readonly newId: () => string, private readonly now: Timestamp) {}

  async raise(event: DomainEvent & { type: AlertType }): Promise<void> {
    const key = event.movement ? `${event.type}|m:${event.movement}` : `${event.type}|d:${event.device}`;
    const inBatch = this.pending.get(key);
    const existing = inBatch ?? (await this.alerts.findUnresolved(event.type, event.movement, event.movement ? null : event.device));
    const next = raiseAlert(existing, event, asAlertId(this.newId()), this.now);
    this.pending.set(key, inBatch ? { ...next, revision: inBatch.revision } : next);
  }

  /**
   * Applies `change` to the movement's unresolved alert of this type (from this batch or the
   * store), if there is one; a change that returns the alert as it was writes nothing.
   */
  async update(type: AlertType, movement: MovementId, change: (a: Alert) => Alert): Promise<void> {
    const key = `${type}|m:${movement}`;
    const inBatch = this.pending.get(key);
    const existing = inBatch ?? (await this.alerts.findUnresolved(type, movement, null));
    if (!existing) return;
    const next = change(existing);
    if (next !== existing) this.pending.set(key, inBatch ? { ...next, revision: inBatch.revision } : next);
  }

  /** The alerts to write, each once. */
  list(): Alert[] {
    return [...this.pending.values()];
  }
}
