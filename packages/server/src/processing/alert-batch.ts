/**
 * Alerts raised together and written in one store call: one unresolved alert per movement and
 * type (per device outside a movement), read from the store the first time a key is raised;
 * later occurrences in the same batch update it in memory, so the stored revision moves by one
 * per write, as the store's optimistic check expects. Readings of one condition moments apart
 * are one occurrence (core's dedupS).
 *
 * `finish` then groups the batch's alerts of movements into incidents (core's groupAlert: the
 * movement's open incidents, and the one an alert already belongs to), marks each alert with its
 * incident, and marks quiet (not notified again) the occurrences that joined an incident already
 * open. A movement's mutes are not written into its alerts: each belongs to one organisation, and
 * the notifiers apply it to that organisation's receivers only. Every writer of alerts (processor, transit monitor,
 * security events) commits alerts and incidents together from here.
 */
import {
  asAlertId,
  asIncidentId,
  DEFAULT_DEDUP_S,
  groupAlert,
  quietAlert,
  raiseAlert,
  type Alert,
  type AlertType,
  type DomainEvent,
  type Incident,
  type IncidentId,
  type Movement,
  type MovementId,
  type Timestamp,
} from '@sealwatch/core';
import type { Store } from '../storage/ports';

/** The stores a batch reads. */
export type AlertBatchStore = Pick<Store, 'alerts' | 'incidents' | 'movements' | 'devices'>;

export class AlertBatch {
  private readonly pending = new Map<string, Alert>();

  constructor(
    private readonly store: AlertBatchStore,
    private readonly newId: () => string,
    private readonly now: Timestamp,
  ) {}

  async raise(event: DomainEvent & { type: AlertType }): Promise<void> {
    const key = event.movement ? `${event.type}|m:${event.movement}` : `${event.type}|d:${event.device}`;
    const inBatch = this.pending.get(key);
    const existing = inBatch ?? (await this.store.alerts.findUnresolved(event.type, event.movement, event.movement ? null : event.device));
    const next = raiseAlert(existing, event, asAlertId(this.newId()), this.now, { dedupS: DEFAULT_DEDUP_S });
    this.pending.set(key, inBatch ? { ...next, revision: inBatch.revision } : next);
  }

  /**
   * Applies `change` to the movement's unresolved alert of this type (from this batch or the
   * store), if there is one; a change that returns the alert as it was writes nothing.
   */
  async update(type: AlertType, movement: MovementId, change: (a: Alert) => Alert): Promise<void> {
    const key = `${type}|m:${movement}`;
    const inBatch = this.pending.get(key);
    const existing = inBatch ?? (await this.store.alerts.findUnresolved(type, movement, null));
    if (!existing) return;
    const next = change(existing);
    if (next !== existing) this.pending.set(key, inBatch ? { ...next, revision: inBatch.revision } : next);
  }

  /** The alerts to write, each once, without grouping (prefer `finish`). */
  list(): Alert[] {
    return [...this.pending.values()];
  }

  /** The alerts to write, each once and marked with its incident, and the incidents they changed, each once. */
  async finish(): Promise<{ alerts: Alert[]; incidents: Incident[] }> {
    const alerts: Alert[] = [];
    const changed = new Map<IncidentId, Incident>();
    /** Stored revision of each incident touched (0: opened in this batch). */
    const base = new Map<IncidentId, number>();
    const candidates = new Map<MovementId, Incident[]>();
    const movements = new Map<MovementId, Movement | null>();
    for (let a of this.pending.values()) {
      if (!a.movement) {
        alerts.push(a);
        continue;
      }
      const m = a.movement;
      if (!movements.has(m)) movements.set(m, await this.store.movements.get(m));
      let list = candidates.get(m);
      if (!list) {
        list = await this.store.incidents.openOf(m);
        for (const i of list) base.set(i.id, i.revision);
        candidates.set(m, list);
      }
      const own = a.details.incident as IncidentId | undefined;
      if (own && !list.some((i) => i.id === own)) {
        const stored = changed.get(own) ?? (await this.store.incidents.get(own));
        if (stored) {
          if (!base.has(stored.id)) base.set(stored.id, stored.revision);
          list.push(stored);
        }
      }
      const movement = movements.get(m) ?? null;
      const grouped = groupAlert(a, list, {
        newId: asIncidentId(this.newId()),
        now: this.now,
        container: movement?.container ?? null,
        seals: movement?.seals ?? [],
        deviceSeal: await this.sealOf(a, movement),
      });
      if (!grouped) {
        alerts.push(a);
        continue;
      }
      const i = grouped.incident;
      if (!base.has(i.id)) base.set(i.id, 0);
      const at = list.findIndex((x) => x.id === i.id);
      if (at >= 0) list[at] = i;
      else list.push(i);
      if (i.revision !== base.get(i.id)) changed.set(i.id, i);
      if (a.details.incident !== i.id) a = { ...a, details: { ...a.details, incident: i.id } };
      const occurrence = ['opened', 'repeated'].includes(a.history.at(-1)?.action ?? '') && a.updatedAt === this.now;
      const quiet = a.details.quiet as { revision?: number } | undefined;
      if (occurrence && quiet?.revision !== a.revision && grouped.joined) a = quietAlert(a, 'incident_open', { incident: i.id });
      alerts.push(a);
    }
    // An incident changed several times in the batch is written once, over its stored revision.
    const incidents = [...changed.values()].map((i) => ({ ...i, revision: (base.get(i.id) ?? 0) + 1 }));
    return { alerts, incidents };
  }

  private readonly seals = new Map<string, string | null>();
  /** The device's seal number when the movement declares it, else null. */
  private async sealOf(a: Alert, movement: Movement | null): Promise<string | null> {
    if (!a.device || !movement) return null;
    if (!this.seals.has(a.device)) this.seals.set(a.device, (await this.store.devices.get(a.device))?.identifiers?.sealNumber ?? null);
    const seal = this.seals.get(a.device) ?? null;
    return seal && movement.seals.includes(seal) ? seal : null;
  }
}
