/**
 * The incident queue's filters and order, as plain functions: open, closed or all; by office (the
 * movement's office of departure or destination), by incident code, by acknowledgement; then
 * severity first and the oldest first.
 */
import type { Incident, Movement } from '../api/types';

export interface IncidentFilter {
  /** office code, or '' for any */
  office: string;
  /** incident code, or '' for any */
  code: string;
  /** 'new' (not acknowledged), 'acknowledged', or '' for every open incident */
  state: string;
  /** which incidents: the open ones (the queue), the closed ones (with their outcome), or all */
  show: 'open' | 'closed' | 'all';
}

export const noIncidentFilter: IncidentFilter = { office: '', code: '', state: '', show: 'open' };

type Offices = ReadonlyMap<string, Pick<Movement, 'departureOffice' | 'destinationOffice'>>;
const rank: Record<Incident['severity'], number> = { critical: 0, major: 1, minor: 2, warning: 3 };

export function matchesIncident(i: Incident, filter: IncidentFilter, movements: Offices): boolean {
  if (filter.show !== 'all' && i.status !== filter.show) return false;
  if (filter.code && i.code !== filter.code) return false;
  if (filter.state === 'new' && i.acknowledgedAt) return false;
  if (filter.state === 'acknowledged' && !i.acknowledgedAt) return false;
  const m = movements.get(i.movement);
  if (filter.office && !(m && [m.departureOffice, m.destinationOffice].includes(filter.office))) return false;
  return true;
}

/** The queue as shown: filtered, open before closed, critical first, then not yet acknowledged, then the longest waiting; closed ones the latest closed first. */
export function filterIncidents(items: Iterable<Incident>, filter: IncidentFilter, movements: Offices): Incident[] {
  return [...items]
    .filter((i) => matchesIncident(i, filter, movements))
    .sort(
      (a, b) =>
        Number(a.status === 'closed') - Number(b.status === 'closed') ||
        (a.status === 'closed' && b.status === 'closed' ? Date.parse(b.closedAt ?? '') - Date.parse(a.closedAt ?? '') : 0) ||
        rank[a.severity] - rank[b.severity] ||
        Number(!!a.acknowledgedAt) - Number(!!b.acknowledgedAt) ||
        Date.parse(a.openedAt) - Date.parse(b.openedAt) ||
        a.id.localeCompare(b.id),
    );
}

/** The choices the filters offer, from what is in the queue (sorted, no duplicates). */
export function incidentChoices(items: Iterable<Incident>, movements: Offices): { offices: string[]; codes: string[] } {
  const offices = new Set<string>();
  const codes = new Set<string>();
  for (const i of items) {
    codes.add(i.code);
    const m = movements.get(i.movement);
    if (m) [m.departureOffice, m.destinationOffice].forEach((o) => offices.add(o));
  }
  return { offices: [...offices].sort(), codes: [...codes].sort() };
}
