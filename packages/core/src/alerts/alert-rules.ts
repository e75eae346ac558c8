/**
 * Alert rules: which facts need a person, how severe they are, and the alert lifecycle
 * (open → acknowledged → assigned → resolved). Pure: ids and times come in as arguments.
 */
import { DomainError } from '../errors';
import type { AlertId, Timestamp } from '../ids';
import type { Alert, AlertOutcome, AlertType, DomainEvent, EventType, Severity } from '../model';
import { alertTypes } from '../model';

/** Severity of each alert type. Broken seals are critical: the cargo is no longer under seal. */
export const alertSeverity: Record<AlertType, Severity> = {
  seal_opened: 'critical',
  seal_tampered: 'critical',
  rope_cut: 'critical',
  unlock_unauthorized: 'critical',
  message_forged: 'major',
  device_key_changed: 'major',
  route_deviation: 'major',
  unauthorized_stop: 'major',
  device_cloned: 'major',
  seal_mismatch: 'major',
  transit_overdue: 'minor',
  signal_lost: 'minor',
  checkpoint_missed: 'minor',
  gnss_anomaly: 'minor',
  sensor_out_of_range: 'minor',
  battery_insufficient: 'warning',
  battery_low: 'warning',
  platform_degraded: 'major',
};

const alertTypeSet = new Set<string>(alertTypes);
/** True when an event of this type needs a person (is also an alert type). */
export function isAlertType(type: EventType): type is AlertType {
  return alertTypeSet.has(type);
}

/** Sort key for queues: critical first. */
export const severityRank: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

/** How raiseAlert treats repeats. */
export interface RaiseOptions {
  /**
   * Seconds: an occurrence within this long of the alert's span (before its first or after its
   * last time) is a duplicate reading of the same occurrence, not a repeat; 0 (default) counts every one.
   */
  dedupS?: number;
}

/** Duplicate readings are folded into one occurrence when they come within this long, seconds (the processors' setting). */
export const DEFAULT_DEDUP_S = 600;

/**
 * Alerts raised by a distinct act (a seal opened, tampered or cut, an unlock, a forged or cloned
 * message): each occurrence is a new act reported by a change of state, never a repeated
 * reading, so it is always counted; folding a re-tamper into the first one would hide it.
 */
const distinctActs: ReadonlySet<AlertType> = new Set<AlertType>([
  'seal_opened',
  'seal_tampered',
  'rope_cut',
  'unlock_unauthorized',
  'message_forged',
  'device_cloned',
]);

function isDuplicateReading(a: Alert, time: Timestamp, dedupS: number): boolean {
  if (dedupS <= 0 || a.details.cleared || distinctActs.has(a.type)) return false;
  const t = Date.parse(time);
  return t >= Date.parse(a.time) - dedupS * 1000 && t <= Date.parse(a.lastTime) + dedupS * 1000;
}

/**
 * The severity of one occurrence: its type's, except a transit_overdue that is only a warning
 * (the forecast puts the time limit at risk, the limit is not yet broken): that ranks as a
 * warning, below the breach itself.
 */
export function alertSeverityOf(event: Pick<DomainEvent, 'details'> & { type: AlertType }): Severity {
  if (event.type === 'transit_overdue' && event.details.level === 'warning') return 'warning';
  // A platform check that still works (low disk, lag) is minor; one that cannot work is major.
  if (event.type === 'platform_degraded' && event.details.status === 'degraded') return 'minor';
  return alertSeverity[event.type];
}

/**
 * One unresolved alert per movement and type: a new occurrence opens an alert, a later one
 * updates the unresolved alert (count, lastTime, details) instead of opening another.
 */
export function raiseAlert(
  existing: Alert | null,
  event: DomainEvent & { type: AlertType },
  newId: AlertId,
  now: Timestamp,
  options: RaiseOptions = {},
): Alert {
  if (existing && existing.status !== 'resolved' && isDuplicateReading(existing, event.time, options.dedupS ?? 0)) {
    // The same condition read again moments later (a burst of outliers, a device repeating its
    // state): one occurrence. Times and details follow, the reading is counted apart, no history
    // entry, and the revision is marked quiet so nobody is notified of it again.
    const { cleared: _cleared, ...details } = existing.details;
    return {
      ...existing,
      lastTime: event.time > existing.lastTime ? event.time : existing.lastTime,
      time: event.time < existing.time ? event.time : existing.time,
      details: {
        ...details,
        ...event.details,
        lastEvent: event.id,
        readings: ((existing.details.readings as number | undefined) ?? existing.count) + 1,
        quiet: { reason: 'duplicate', revision: existing.revision + 1 },
      },
      updatedAt: now,
      revision: existing.revision + 1,
    };
  }
  if (existing && existing.status !== 'resolved') {
    // The condition is back: a `cleared` marker no longer holds. When the alert's only occurrence
    // was retracted (late data showed it never was), its time is that of the new one, not the
    // retracted one's (a signal_lost from a backdated start kept that start after a real silence).
    const { cleared, ...details } = existing.details;
    const retracted = (cleared as { reason?: string } | undefined)?.reason === 'retracted' && existing.count === 1;
    return {
      ...existing,
      lastTime: event.time > existing.lastTime ? event.time : existing.lastTime,
      time: retracted || event.time < existing.time ? event.time : existing.time,
      count: existing.count + 1,
      // A warning that became a breach takes the breach's rank; a rank once reached stays.
      severity: [existing.severity, alertSeverityOf(event)].sort((a, b) => severityRank[a] - severityRank[b])[0],
      details: { ...details, ...event.details, lastEvent: event.id },
      history: [...existing.history, { action: 'repeated', at: now, by: null }],
      updatedAt: now,
      revision: existing.revision + 1,
    };
  }
  return {
    id: newId,
    type: event.type,
    severity: alertSeverityOf(event),
    status: 'open',
    movement: event.movement,
    device: event.device,
    time: event.time,
    lastTime: event.time,
    count: 1,
    details: { ...event.details, firstEvent: event.id },
    assignee: null,
    outcome: null,
    comment: null,
    history: [{ action: 'opened', at: now, by: null }],
    createdAt: now,
    updatedAt: now,
    revision: 1,
  };
}

function requireUnresolved(alert: Alert, action: string): void {
  if (alert.status === 'resolved') {
    throw new DomainError('invalid_transition', `alert ${alert.id} is resolved and cannot be ${action}`, { status: alert.status });
  }
}

/** An operator has seen the alert. Throws invalid_transition on a resolved alert. */
export function acknowledgeAlert(alert: Alert, by: string, now: Timestamp, comment?: string): Alert {
  requireUnresolved(alert, 'acknowledged');
  return {
    ...alert,
    status: alert.status === 'assigned' ? 'assigned' : 'acknowledged',
    history: [...alert.history, { action: 'acknowledged', at: now, by, ...(comment ? { comment } : {}) }],
    updatedAt: now,
    revision: alert.revision + 1,
  };
}

/** Gives the alert to a person or unit. Throws invalid_transition on a resolved alert. */
export function assignAlert(alert: Alert, assignee: string, by: string, now: Timestamp, comment?: string): Alert {
  requireUnresolved(alert, 'assigned');
  return {
    ...alert,
    status: 'assigned',
    assignee,
    history: [...alert.history, { action: 'assigned', at: now, by, assignee, ...(comment ? { comment } : {}) }],
    updatedAt: now,
    revision: alert.revision + 1,
  };
}

/** Closes the alert with its outcome and a comment. Throws invalid_transition if already resolved. */
export function resolveAlert(alert: Alert, outcome: AlertOutcome, comment: string, by: string, now: Timestamp): Alert {
  requireUnresolved(alert, 'resolved');
  return {
    ...alert,
    status: 'resolved',
    outcome,
    comment,
    history: [...alert.history, { action: 'resolved', at: now, by, outcome, comment }],
    updatedAt: now,
    revision: alert.revision + 1,
  };
}

/** Why a transit condition stopped: it ended (back in the corridor, signal back) or late data showed it never was. */
export type ClearReason = 'ended' | 'retracted';

/**
 * The condition behind an unresolved alert ended by itself: marks it `details.cleared` with
 * when and why, and adds a `cleared` history entry by the system. The status stays: a person
 * still decides whether it was an incident (resolve as confirmed or false alarm), and a
 * deviation that ended is evidence, not an all-clear. A repeat removes the marker. Returns the
 * alert unchanged when it is resolved or already cleared.
 */
export function clearAlert(alert: Alert, at: Timestamp, reason: ClearReason, now: Timestamp, comment?: string): Alert {
  if (alert.status === 'resolved' || alert.details.cleared) return alert;
  return {
    ...alert,
    details: { ...alert.details, cleared: { at, reason } },
    history: [...alert.history, { action: 'cleared', at: now, by: null, ...(comment ? { comment } : {}) }],
    updatedAt: now,
    revision: alert.revision + 1,
  };
}

/**
 * Escalation: an alert still `open` (nobody acknowledged it) `afterS` seconds after it was
 * opened is marked `details.escalated` and gets an `escalated` history entry by the system;
 * once only. Returns the alert unchanged when it is not due.
 */
export function escalateAlert(alert: Alert, afterS: number, now: Timestamp): Alert {
  if (alert.status !== 'open' || alert.details.escalated) return alert;
  if (Date.parse(now) - Date.parse(alert.createdAt) < afterS * 1000) return alert;
  return {
    ...alert,
    details: { ...alert.details, escalated: { at: now, afterS } },
    history: [...alert.history, { action: 'escalated', at: now, by: null, comment: `not acknowledged within ${afterS} s` }],
    updatedAt: now,
    revision: alert.revision + 1,
  };
}

/**
 * Late data showed the condition began earlier than the alert says: moves `time` back to
 * `start` (never forward), keeping the first time it was announced in `details.firstReportedTime`.
 * Returns the alert unchanged when it is resolved or already starts at or before `start`.
 */
export function backdateAlert(alert: Alert, start: Timestamp, now: Timestamp): Alert {
  if (alert.status === 'resolved' || Date.parse(start) >= Date.parse(alert.time)) return alert;
  return {
    ...alert,
    time: start,
    details: { ...alert.details, firstReportedTime: alert.details.firstReportedTime ?? alert.time },
    updatedAt: now,
    revision: alert.revision + 1,
  };
}
