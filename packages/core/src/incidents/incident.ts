/**
 * Incidents (DESIGN §6): one physical event on a movement (a seal broken, a diversion, a long
 * silence) with the alerts it raised grouped under it. The alerts stay as the evidence; the
 * incident is what an operator acknowledges, assigns, notes actions on and closes, and what goes
 * to other systems later (the NCTS incident codes), so its id is stable and its code closed.
 */
import type { AlertId, Brand, DeviceId, MovementId, Timestamp } from '../ids';
import type { AlertOutcome, AlertType, LatLon, Severity } from '../model';

export type IncidentId = Brand<string, 'IncidentId'>;
export const asIncidentId = (s: string) => s as IncidentId;

/** The closed set of incident codes. */
export const incidentCodes = [
  'seal_broken',
  'route_deviation',
  'unauthorized_stop',
  'signal_lost',
  'transit_overdue',
  'device_fault',
  'other',
] as const;
export type IncidentCode = (typeof incidentCodes)[number];
export type IncidentStatus = 'open' | 'closed';

export interface IncidentHistoryEntry {
  /** `opened` and `grouped` (an alert joined) are by the system (`by` null); the rest by a person. */
  action: 'opened' | 'grouped' | 'acknowledged' | 'assigned' | 'noted' | 'closed';
  at: Timestamp;
  by: string | null;
  alert?: AlertId;
  assignee?: string;
  comment?: string;
  outcome?: AlertOutcome;
}

export interface Incident {
  id: IncidentId;
  code: IncidentCode;
  status: IncidentStatus;
  movement: MovementId;
  /** What tells two events of one code apart on a movement: `device:<id>` or `movement` (grouping key). */
  cause: string;
  /** The highest severity among its alerts. */
  severity: Severity;
  /** When the event happened: the earliest time of its alerts. */
  openedAt: Timestamp;
  /** The latest time any of its alerts happened. */
  lastTime: Timestamp;
  /** Where it happened (the first alert that carried a position), or null. */
  position: LatLon | null;
  container: string | null;
  /** The seal numbers concerned: the seal of the device that raised it when known, else the movement's seals. */
  seals: string[];
  devices: DeviceId[];
  /** The grouped alerts, in the order they joined. */
  alerts: AlertId[];
  /** The alert types among them. */
  types: AlertType[];
  acknowledgedAt: Timestamp | null;
  assignee: string | null;
  outcome: AlertOutcome | null;
  closedAt: Timestamp | null;
  history: IncidentHistoryEntry[];
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** 1 when opened, one more per stored change (optimistic concurrency, as alerts). */
  revision: number;
}

/**
 * A movement's alerts silenced for one administration until `until`: still recorded and grouped,
 * not notified to that organisation's people and receivers. Every organisation on a movement has
 * its own mute; one never silences, changes or lifts another's.
 */
export interface MovementMute {
  movement: MovementId;
  /** The organisation whose notifications it silences (the one that set it). */
  organisation: string;
  reason: string;
  until: Timestamp;
  by: string;
  createdAt: Timestamp;
}

/** True while the mute holds at `at`. */
export function isMuted(mute: MovementMute | null | undefined, at: Timestamp): boolean {
  return !!mute && Date.parse(at) < Date.parse(mute.until);
}

/** The incident code an alert type belongs to. */
export const incidentCodeOf: Record<AlertType, IncidentCode> = {
  seal_opened: 'seal_broken',
  seal_tampered: 'seal_broken',
  rope_cut: 'seal_broken',
  unlock_unauthorized: 'seal_broken',
  route_deviation: 'route_deviation',
  unauthorized_stop: 'unauthorized_stop',
  signal_lost: 'signal_lost',
  transit_overdue: 'transit_overdue',
  battery_low: 'device_fault',
  battery_insufficient: 'device_fault',
  sensor_out_of_range: 'device_fault',
  gnss_anomaly: 'device_fault',
  device_cloned: 'other',
  checkpoint_missed: 'other',
  seal_mismatch: 'other',
  message_forged: 'other',
  device_key_changed: 'other',
  platform_degraded: 'other',
};
