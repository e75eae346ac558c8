/**
 * The alert queue's filters and order, as plain functions: by office (the movement's office of
 * departure or destination), by type, by status; then severity first and the oldest first.
 */
import type { Alert, Movement } from '../api/types';
import { compareAlerts } from '../live/movement-state';

export interface AlertFilter {
  /** office code, or '' for any */
  office: string;
  /** alert type, or '' for any */
  type: string;
  /** 'open' | 'acknowledged' | 'assigned', or '' for every unresolved status */
  status: string;
}

export const noFilter: AlertFilter = { office: '', type: '', status: '' };

/** The offices an alert concerns: those of its movement. */
export function alertOffices(
  alert: Alert,
  movements: ReadonlyMap<string, Pick<Movement, 'departureOffice' | 'destinationOffice'>>,
): string[] {
  const m = alert.movement ? movements.get(alert.movement) : undefined;
  return m ? [m.departureOffice, m.destinationOffice] : [];
}

export function matchesFilter(
  alert: Alert,
  filter: AlertFilter,
  movements: ReadonlyMap<string, Pick<Movement, 'departureOffice' | 'destinationOffice'>>,
): boolean {
  if (filter.type && alert.type !== filter.type) return false;
  if (filter.status ? alert.status !== filter.status : alert.status === 'resolved') return false;
  if (filter.office && !alertOffices(alert, movements).includes(filter.office)) return false;
  return true;
}

/** The queue as shown: filtered, critical first, the longest waiting first within a severity. */
export function filterAlerts(
  alerts: Iterable<Alert>,
  filter: AlertFilter,
  movements: ReadonlyMap<string, Pick<Movement, 'departureOffice' | 'destinationOffice'>>,
): Alert[] {
  return [...alerts].filter((a) => matchesFilter(a, filter, movements)).sort(compareAlerts);
}

/** The choices the filters offer, from what is in the queue (sorted, no duplicates). */
export function filterChoices(
  alerts: Iterable<Alert>,
  movements: ReadonlyMap<string, Pick<Movement, 'departureOffice' | 'destinationOffice'>>,
): { offices: string[]; types: string[] } {
  const offices = new Set<string>();
  const types = new Set<string>();
  for (const a of alerts) {
    types.add(a.type);
    for (const o of alertOffices(a, movements)) offices.add(o);
  }
  return { offices: [...offices].sort(), types: [...types].sort() };
}

/** Counts of unresolved alerts per severity, for the header. */
export function severityCounts(alerts: Iterable<Alert>): Record<Alert['severity'], number> {
  const out = { critical: 0, major: 0, minor: 0, warning: 0 };
  for (const a of alerts) if (a.status !== 'resolved') out[a.severity]++;
  return out;
}
