/**
 * Operator actions on incidents: acknowledge, assign, note, close; and per-movement mutes.
 * Acting on an incident acts on the alerts under it as well (acknowledged, assigned, resolved
 * with the incident's outcome), so the alerts stay consistent evidence; the incident and its
 * alerts are written in one transaction and published.
 */
import {
  acknowledgeAlert,
  acknowledgeIncident,
  assignAlert,
  assignIncident,
  closeIncident,
  DomainError,
  noteIncident,
  resolveAlert,
  toTimestamp,
  type Alert,
  type AlertOutcome,
  type Incident,
  type IncidentId,
  type MovementId,
  type MovementMute,
  type Timestamp,
} from '@sealwatch/core';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Mutex } from '../processing/mutex';

/** Longest mute, days: a mute is a pause with an end, never a way to switch a movement off. */
export const MAX_MUTE_DAYS = 7;

export class IncidentService {
  constructor(
    private readonly deps: {
      store: Pick<Store, 'incidents' | 'alerts' | 'processing'>;
      bus: StreamBus;
      alertLock: Mutex;
      now: () => number;
    },
  ) {}

  acknowledge(id: IncidentId, by: string, comment?: string): Promise<Incident> {
    return this.change(
      id,
      (i, now) => acknowledgeIncident(i, by, now, comment),
      (a, now) => (a.status === 'open' ? acknowledgeAlert(a, by, now, comment) : a),
    );
  }

  assign(id: IncidentId, assignee: string, by: string, comment?: string): Promise<Incident> {
    return this.change(
      id,
      (i, now) => assignIncident(i, assignee, by, now, comment),
      (a, now) => assignAlert(a, assignee, by, now, comment),
    );
  }

  note(id: IncidentId, comment: string, by: string): Promise<Incident> {
    return this.change(
      id,
      (i, now) => noteIncident(i, comment, by, now),
      (a) => a,
    );
  }

  close(id: IncidentId, outcome: AlertOutcome, comment: string, by: string): Promise<Incident> {
    return this.change(
      id,
      (i, now) => closeIncident(i, outcome, comment, by, now),
      (a, now) => resolveAlert(a, outcome, `closed with incident ${id}: ${comment}`, by, now),
    );
  }

  /**
   * Mutes the movement's notifications for `organisation` (the caller's) until `until` (in the
   * future, at most MAX_MUTE_DAYS ahead); replaces that organisation's earlier mute, never another's.
   */
  async mute(movement: MovementId, organisation: string, reason: string, until: Timestamp, by: string): Promise<MovementMute> {
    const now = this.deps.now();
    const end = Date.parse(until);
    if (!(end > now) || end - now > MAX_MUTE_DAYS * 86_400_000) {
      throw new DomainError('invalid_time', `a mute ends in the future and within ${MAX_MUTE_DAYS} days`, { field: 'until' });
    }
    const mute: MovementMute = { movement, organisation, reason, until: toTimestamp(end), by, createdAt: toTimestamp(now) };
    await this.deps.store.incidents.setMute(mute);
    return mute;
  }

  /** Ends `organisation`'s mute of the movement; false when it had none (another's mute is not its to lift). */
  unmute(movement: MovementId, organisation: string): Promise<boolean> {
    return this.deps.store.incidents.removeMute(movement, organisation);
  }

  /** Re-reads and re-applies when another writer changed the incident or one of its alerts in between. */
  private change(
    id: IncidentId,
    rule: (i: Incident, now: Timestamp) => Incident,
    onAlert: (a: Alert, now: Timestamp) => Alert,
  ): Promise<Incident> {
    const { store, bus } = this.deps;
    return this.deps.alertLock.run(async () => {
      for (let attempt = 1; ; attempt++) {
        const incident = await store.incidents.get(id);
        if (!incident) throw new DomainError('unknown_incident', `no incident with id ${id}`);
        const now = toTimestamp(this.deps.now());
        const next = rule(incident, now);
        const alerts: Alert[] = [];
        for (const alertId of incident.alerts) {
          const a = await store.alerts.get(alertId);
          if (!a || a.status === 'resolved') continue;
          const changed = onAlert(a, now);
          if (changed !== a) alerts.push(changed);
        }
        try {
          await store.processing.record([], alerts, [next]);
        } catch (e) {
          if (attempt < 3 && e instanceof DomainError && (e.code === 'alert_changed' || e.code === 'incident_changed')) continue;
          throw e;
        }
        for (const a of alerts) bus.publish({ kind: 'alert', data: a });
        bus.publish({ kind: 'incident', data: next });
        return next;
      }
    });
  }
}
