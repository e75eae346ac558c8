/**
 * The incident page's data as plain functions: the track of its devices around the moment, the
 * readings just before and at (or after) it per device, and its history in the order it happened.
 */
import type { Incident, Observation } from '../api/types';
import type { TrackPoint } from '../live/live-store';

/** How far before and after the incident its page shows the track and readings. */
export const WINDOW_MS = 2 * 60 * 60 * 1000;

/** Positions in time order as map track points ([lon, lat]). */
export function trackOf(observations: readonly Observation[]): TrackPoint[] {
  return observations
    .filter((o) => o.position)
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
    .map((o) => ({ position: [o.position!.lon, o.position!.lat], time: o.time, seal: o.seal ?? null, speed: o.position!.speed ?? null }));
}

export interface ReadingPair {
  device: string;
  /** the last reading strictly before the moment */
  before: Observation | null;
  /** the first reading at or after the moment (what reported it, usually) */
  after: Observation | null;
}

/** Per device (in the order given), the readings on either side of `at`. */
export function readingsAround(observations: readonly Observation[], devices: readonly string[], at: string): ReadingPair[] {
  const t = Date.parse(at);
  return devices.map((device) => {
    const mine = observations.filter((o) => o.device === device).sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.id - b.id);
    return {
      device,
      before: mine.filter((o) => Date.parse(o.time) < t).at(-1) ?? null,
      after: mine.find((o) => Date.parse(o.time) >= t) ?? null,
    };
  });
}

export interface HistoryRow {
  at: string;
  action: string;
  by: string | null;
  alert?: string;
  assignee?: string;
  comment?: string;
  outcome?: 'confirmed' | 'false_alarm';
}

/** The incident's history oldest first (entries at the same time keep their recorded order). */
export function historyOf(i: Pick<Incident, 'history'>): HistoryRow[] {
  return i.history
    .map((h, n) => ({ h: h as unknown as HistoryRow, n }))
    .sort((a, b) => Date.parse(a.h.at) - Date.parse(b.h.at) || a.n - b.n)
    .map((x) => x.h);
}

/** "seal S1 of S1, S2": which of the movement's seals the incident concerns, in the movement's order. */
export function sealsConcerned(
  incident: Pick<Incident, 'seals'>,
  movementSeals: readonly string[],
): { concerned: string[]; others: string[] } {
  const concerned = movementSeals.filter((s) => incident.seals.includes(s));
  // a seal the incident names that the movement no longer declares is still shown
  for (const s of incident.seals) if (!concerned.includes(s)) concerned.push(s);
  return { concerned, others: movementSeals.filter((s) => !incident.seals.includes(s)) };
}
