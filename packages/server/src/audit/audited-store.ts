/**
 * A store whose writes of events and alerts go through the audit trail: every event and every
 * alert revision (processing commits, security events, transit rules, officers' actions) is
 * recorded before the store commits it. Before, not after: a crash between the two leaves an entry for a commit that is
 * then replayed (and the replay's entry has the same ref, so it is kept once), never a committed
 * alert change without its entry. A cluster commit carrying a partition epoch records its entries
 * in the partition's own chain, whose append checks the epoch under the chain's lock: a processor
 * fenced off (another one owns its partition now) is refused before it records anything, so its
 * attempt leaves no entry beside the new owner's, and the commit checks the epoch again.
 */
import type { AlertStore, ProcessingStore, Store } from '../storage/ports';
import type { IncidentStore } from '../storage/incident-ports';
import { alertEntry, eventEntry, incidentEntry } from './audit-entries';
import type { AuditTrail } from './audit-trail';

function auditedProcessing(inner: ProcessingStore, trail: AuditTrail): ProcessingStore {
  return {
    checkpoint: (processor) => inner.checkpoint(processor),
    unprocessed: (ids) => inner.unprocessed(ids),
    deviceState: (device) => inner.deviceState(device),
    deviceStates: (devices) => inner.deviceStates(devices),
    async commit(effects) {
      const { fence } = effects;
      // With entries to record, the append checks the fence itself, under its chain's lock; without,
      // the commit does, in its own transaction.
      await trail.record(
        [...effects.events.map(eventEntry), ...effects.alerts.map(alertEntry), ...(effects.incidents ?? []).map(incidentEntry)],
        { fence },
      );
      return inner.commit(effects);
    },
    async record(events, alerts, incidents = []) {
      await trail.record([...events.map(eventEntry), ...alerts.map(alertEntry), ...incidents.map(incidentEntry)]);
      return inner.record(events, alerts, incidents);
    },
  };
}

function auditedAlerts(inner: AlertStore, trail: AuditTrail): AlertStore {
  return {
    get: (id) => inner.get(id),
    list: (filter, page) => inner.list(filter, page),
    findUnresolved: (type, movement, device) => inner.findUnresolved(type, movement, device),
    countUnresolved: ((by: 'type' | 'movement', movements?: never) =>
      inner.countUnresolved(by as 'movement', movements!)) as AlertStore['countUnresolved'],
    async save(alert) {
      await trail.record([alertEntry(alert)]);
      return inner.save(alert);
    },
  };
}

function auditedIncidents(inner: IncidentStore, trail: AuditTrail): IncidentStore {
  return {
    ...inner,
    async save(incident) {
      await trail.record([incidentEntry(incident)]);
      return inner.save(incident);
    },
  };
}

/** The same store, with events, alert and incident changes audited. */
export function auditedStore(store: Store, trail: AuditTrail): Store {
  return {
    ...store,
    processing: auditedProcessing(store.processing, trail),
    alerts: auditedAlerts(store.alerts, trail),
    incidents: auditedIncidents(store.incidents, trail),
  };
}
