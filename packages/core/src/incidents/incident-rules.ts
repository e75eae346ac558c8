/**
 * Incident rules: which incident an alert belongs to (grouping), the incident's lifecycle
 * (acknowledge, assign, note, close), and which alert revisions are not notified again (an
 * alert that joined an incident already open for the same cause, a duplicate reading, a muted
 * movement). Pure: ids and times come in as arguments.
 */
import { DomainError } from '../errors';
import type { Timestamp } from '../ids';
import type { Alert, AlertOutcome, LatLon } from '../model';
import { severityRank } from '../alerts/alert-rules';
import { incidentCodeOf, type Incident, type IncidentId } from './incident';

/** Alerts of one seal event on a movement this close in time (seconds) are one incident even from two devices. */
export const DEFAULT_INCIDENT_WINDOW_S = 600;

/**
 * The grouping key of an alert within its code: the device for seal, device and signal
 * incidents (two seals broken are two events), the movement for route, stop and time-limit ones.
 */
export function incidentCause(alert: Pick<Alert, 'type' | 'device'>): string {
  switch (incidentCodeOf[alert.type]) {
    case 'route_deviation':
    case 'unauthorized_stop':
    case 'transit_overdue':
      return 'movement';
    case 'other':
      return `${alert.type}:${alert.device ?? ''}`;
    default:
      return `device:${alert.device ?? ''}`;
  }
}

export interface GroupingContext {
  /** The id a new incident gets. */
  newId: IncidentId;
  now: Timestamp;
  /** The movement's container and declared seals. */
  container: string | null;
  seals: string[];
  /** The seal number of the alert's device when it is one of the movement's seals, else null. */
  deviceSeal: string | null;
  /** Seconds; default DEFAULT_INCIDENT_WINDOW_S. */
  windowS?: number;
}

/** Where an alert went: the incident as it now is, and whether it joined one already open (then it is not notified again). */
export interface Grouped {
  incident: Incident;
  joined: boolean;
}

const positionOf = (a: Alert): LatLon | null => {
  const p = a.details.position as { lat?: unknown; lon?: unknown } | null | undefined;
  return p && typeof p.lat === 'number' && typeof p.lon === 'number' ? { lat: p.lat, lon: p.lon } : null;
};
const earlier = (a: Timestamp, b: Timestamp) => (Date.parse(a) <= Date.parse(b) ? a : b);
const later = (a: Timestamp, b: Timestamp) => (Date.parse(a) >= Date.parse(b) ? a : b);
const union = <T>(a: T[], b: T[]) => [...new Set([...a, ...b])];

/** The incident with what the alert adds (times, severity, position, devices), or the same object when it adds nothing. */
function absorb(i: Incident, a: Alert, ctx: GroupingContext): Incident {
  const severity = severityRank[a.severity] < severityRank[i.severity] ? a.severity : i.severity;
  const openedAt = earlier(i.openedAt, a.time),
    lastTime = later(i.lastTime, a.lastTime);
  const position = i.position ?? positionOf(a);
  const devices = a.device && !i.devices.includes(a.device) ? [...i.devices, a.device] : i.devices;
  const seals = ctx.deviceSeal && !i.seals.includes(ctx.deviceSeal) && i.code === 'seal_broken' ? [...i.seals, ctx.deviceSeal] : i.seals;
  const alerts = i.alerts.includes(a.id) ? i.alerts : [...i.alerts, a.id];
  const types = i.types.includes(a.type) ? i.types : [...i.types, a.type];
  if (
    severity === i.severity &&
    openedAt === i.openedAt &&
    lastTime === i.lastTime &&
    position === i.position &&
    devices === i.devices &&
    seals === i.seals &&
    alerts === i.alerts &&
    types === i.types
  )
    return i;
  return {
    ...i,
    severity,
    openedAt,
    lastTime,
    position,
    devices,
    seals,
    alerts,
    types,
    history: alerts === i.alerts ? i.history : [...i.history, { action: 'grouped', at: ctx.now, by: null, alert: a.id }],
    updatedAt: ctx.now,
    revision: i.revision + 1,
  };
}

/**
 * Groups an alert of a movement into an incident. `candidates` are the movement's open incidents
 * and any incident that already lists the alert. An alert already listed updates its incident;
 * otherwise it joins the open incident of the same code and cause (for a broken seal, also one
 * of another device of the movement within `windowS` of it: one container opened, two seals
 * report it); otherwise it opens a new incident. Null for an alert outside any movement.
 */
export function groupAlert(alert: Alert, candidates: Incident[], ctx: GroupingContext): Grouped | null {
  if (!alert.movement) return null;
  const listed = candidates.find((i) => i.alerts.includes(alert.id));
  if (listed) return { incident: absorb(listed, alert, ctx), joined: true };
  const code = incidentCodeOf[alert.type],
    cause = incidentCause(alert);
  const windowMs = (ctx.windowS ?? DEFAULT_INCIDENT_WINDOW_S) * 1000;
  const near = (i: Incident) =>
    Date.parse(alert.time) <= Date.parse(i.lastTime) + windowMs && Date.parse(alert.lastTime) >= Date.parse(i.openedAt) - windowMs;
  const match = candidates.find(
    (i) =>
      i.status === 'open' && i.movement === alert.movement && i.code === code && (i.cause === cause || (code === 'seal_broken' && near(i))),
  );
  if (match) return { incident: absorb(match, alert, ctx), joined: true };
  return {
    joined: false,
    incident: {
      id: ctx.newId,
      code,
      status: 'open',
      movement: alert.movement,
      cause,
      severity: alert.severity,
      openedAt: alert.time,
      lastTime: alert.lastTime,
      position: positionOf(alert),
      container: ctx.container,
      seals: code === 'seal_broken' && ctx.deviceSeal ? [ctx.deviceSeal] : [...ctx.seals],
      devices: alert.device ? [alert.device] : [],
      alerts: [alert.id],
      types: [alert.type],
      acknowledgedAt: null,
      assignee: null,
      outcome: null,
      closedAt: null,
      history: [{ action: 'opened', at: ctx.now, by: null, alert: alert.id }],
      createdAt: ctx.now,
      updatedAt: ctx.now,
      revision: 1,
    },
  };
}

function requireOpen(i: Incident, action: string): void {
  if (i.status !== 'open')
    throw new DomainError('invalid_transition', `incident ${i.id} is closed and cannot be ${action}`, { status: i.status });
}
const step = (i: Incident, now: Timestamp, change: Partial<Incident>, entry: Incident['history'][number]): Incident => ({
  ...i,
  ...change,
  history: [...i.history, entry],
  updatedAt: now,
  revision: i.revision + 1,
});

/** An operator has seen the incident (the first acknowledgement's time is kept). Throws invalid_transition when closed. */
export function acknowledgeIncident(i: Incident, by: string, now: Timestamp, comment?: string): Incident {
  requireOpen(i, 'acknowledged');
  return step(
    i,
    now,
    { acknowledgedAt: i.acknowledgedAt ?? now },
    { action: 'acknowledged', at: now, by, ...(comment ? { comment } : {}) },
  );
}

/** Gives the incident to a person or response unit (acknowledging it). Throws invalid_transition when closed. */
export function assignIncident(i: Incident, assignee: string, by: string, now: Timestamp, comment?: string): Incident {
  requireOpen(i, 'assigned');
  return step(
    i,
    now,
    { assignee, acknowledgedAt: i.acknowledgedAt ?? now },
    { action: 'assigned', at: now, by, assignee, ...(comment ? { comment } : {}) },
  );
}

/** Records an action taken (a unit dispatched, the carrier called); allowed on a closed incident too. */
export function noteIncident(i: Incident, comment: string, by: string, now: Timestamp): Incident {
  return step(i, now, {}, { action: 'noted', at: now, by, comment });
}

/** Closes the incident with its outcome and a comment. Throws invalid_transition when already closed. */
export function closeIncident(i: Incident, outcome: AlertOutcome, comment: string, by: string, now: Timestamp): Incident {
  requireOpen(i, 'closed');
  return step(
    i,
    now,
    { status: 'closed', outcome, closedAt: now, acknowledgedAt: i.acknowledgedAt ?? now },
    { action: 'closed', at: now, by, outcome, comment },
  );
}

/**
 * Why an alert revision is not notified: it joined an open incident or repeats a reading just seen.
 * `muted` is only on alerts recorded before mutes belonged to one organisation (a mute is now applied
 * by the notifiers to the organisation that set it, never written into the shared alert).
 */
export type QuietReason = 'incident_open' | 'duplicate' | 'muted';

/** Marks this revision of the alert as not to be notified (webhooks, the console's alarm), with why. */
export function quietAlert(a: Alert, reason: QuietReason, extra: Record<string, unknown> = {}): Alert {
  return { ...a, details: { ...a.details, quiet: { ...extra, reason, revision: a.revision } } };
}

/** True when this revision of the alert should reach people (not marked quiet for this very revision). */
export function isNotifiable(a: Alert): boolean {
  const quiet = a.details.quiet as { revision?: unknown } | undefined;
  return !quiet || quiet.revision !== a.revision;
}
