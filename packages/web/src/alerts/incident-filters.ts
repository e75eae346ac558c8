/**
 * The incident queue's filters and order, as plain functions: by office (the movement's office
 * of departure or destination), by incident code, by acknowledgement; then severity first and
 * the oldest first.
 */
import type { Incident, Movement } from '../api/types';

export interface IncidentFilter {
  /** office code, or '' for any */
  office: string;
  /** incident code, or '' for any */
  code: string;
  /** 'new' (not acknowledged), 'acknowledged', or '' for every open incident */
  state: string;
}

export const noIncidentFilter: IncidentFilter = { office: '', code: '', state: '' };

type Offices = ReadonlyMap<string, Pick<Movement, 'departureOffice' | 'destinationOffice'>>;
const rank: Record<Incident['severity'], number> = { critical: 0, major: 1, minor: 2, warning: 3 };

export function matchesIncident(i: Incident, filter: IncidentFilter, movements: Offices): boolean {
  if (i.status !== 'open') return false;
  if (filter.code && i.code !== filter.code) return false;
  if (filter.state === 'new' && i.acknowledgedAt) return false;
  if (filter.state === 'acknowledged' && !i.acknowledgedAt) return false;
  const m = movements.get(i.movement);
  if (filter.office && !(m && [m.departureOffice, m.destinationOffice].includes(filter.office))) return false;
  return true;
}

/** The queue as shown: filtered, critical first, then not yet acknowledged, then the longest waiting. */
export function filterIncidents(items: Iterable<Incident>, filter: IncidentFilter, movements: Offices): Incident[] {
  return [...items]
    .filter((i) => matchesIncident(i, filter, movements))
    .sort(
      (a, b) =>
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
