/**
 * The movement page's data as plain functions: one timeline of observations, events and alerts,
 * the seal state history (changes only), and the sensor and battery series for the charts.
 */
import type { Alert, DomainEvent, Observation, Seal } from '../api/types';
import { sealText } from '../live/movement-state';

/** A span without data from a device (the trip report's signal_lost episodes); `end` null while it lasts. */
export interface DataGap {
  device: string | null;
  start: string;
  end: string | null;
  gapS: number | null;
}

export type TimelineEntry =
  | { kind: 'observation'; time: string; key: string; observation: Observation }
  | { kind: 'event'; time: string; key: string; event: DomainEvent }
  | { kind: 'alert'; time: string; key: string; alert: Alert }
  | { kind: 'gap'; time: string; key: string; gap: DataGap };

/** When a transit finding happened and when the monitor found it, and whether its data came late (core/transit/late-detection.ts). */
export interface Detection {
  occurredAt: string;
  detectedAt: string;
  late: boolean;
  delayS: number;
}

/** The detection stamp an event's details carry, if any. */
export function detectionOf(e: Pick<DomainEvent, 'details'>): Detection | null {
  const d = e.details?.detection as Partial<Detection> | undefined;
  return d && typeof d.occurredAt === 'string' && typeof d.detectedAt === 'string'
    ? { occurredAt: d.occurredAt, detectedAt: d.detectedAt, late: d.late === true, delayS: typeof d.delayS === 'number' ? d.delayS : 0 }
    : null;
}

/** The lifecycle in its own order: nothing of a movement comes before its declaration, even a backdated start. */
const lifecycle: Record<string, number> = { movement_declared: 0, movement_started: 1, movement_arrived: 2, movement_ended: 3 };
const sortTime = (e: TimelineEntry) => (e.kind === 'event' && e.event.type === 'movement_declared' ? -Infinity : Date.parse(e.time));
const rankOf = (e: TimelineEntry) => (e.kind === 'event' ? (lifecycle[e.event.type] ?? 9) : 9);

/**
 * Everything in time order, oldest first (an investigation reads as a story): events and alerts
 * at the time they occurred, data gaps at their start, the declaration first. Observations only
 * where the seal or the door changed, so that thousands of positions do not hide the facts.
 */
export function buildTimeline(
  observations: readonly Observation[],
  events: readonly DomainEvent[],
  alerts: readonly Alert[],
  gaps: readonly DataGap[] = [],
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  gaps.forEach((g, i) => entries.push({ kind: 'gap', time: g.start, key: `g${i}`, gap: g }));
  for (const o of sealHistory(observations)) entries.push({ kind: 'observation', time: o.time, key: `o${o.id}`, observation: o });
  for (const e of events) entries.push({ kind: 'event', time: e.time, key: `e${e.id}`, event: e });
  for (const a of alerts) entries.push({ kind: 'alert', time: a.time, key: `a${a.id}`, alert: a });
  return entries.sort((a, b) => sortTime(a) - sortTime(b) || rankOf(a) - rankOf(b) || a.key.localeCompare(b.key));
}

/** One row of the timeline as shown: an entry, or a run of the same thing repeated (`count` > 1, until `last`). */
export interface TimelineRun {
  entry: TimelineEntry;
  count: number;
  last: string;
}

/** What makes two entries "the same thing again": kind, type, status or reading, device, place named. */
export function sameness(e: TimelineEntry): string {
  switch (e.kind) {
    case 'alert':
      return `a|${e.alert.type}|${e.alert.device ?? ''}|${e.alert.status}`;
    case 'event': {
      const d = e.event.details;
      return `e|${e.event.type}|${e.event.device ?? ''}|${String(d.office ?? '')}|${String(d.from ?? '')}|${String(d.to ?? '')}`;
    }
    case 'observation':
      return `o|${e.observation.device}|${sealText(e.observation.seal)}|${e.observation.door ?? ''}`;
    case 'gap':
      return `g|${e.gap.device ?? ''}|${e.gap.end ? 'ended' : 'ongoing'}`;
  }
}

/** Keeps the entries of the chosen kinds (all when empty) and folds consecutive repeats into one row. */
export function timelineRuns(entries: readonly TimelineEntry[], kinds: ReadonlySet<TimelineEntry['kind']> = new Set()): TimelineRun[] {
  const runs: TimelineRun[] = [];
  for (const e of entries) {
    if (kinds.size && !kinds.has(e.kind)) continue;
    const prev = runs.at(-1);
    if (prev && sameness(prev.entry) === sameness(e)) {
      prev.count++;
      prev.last = e.time;
    } else runs.push({ entry: e, count: 1, last: e.time });
  }
  return runs;
}

/** Where an entry happened: its reading's position, the alert's or event's own, or the reading that caused the event. */
export function positionOfEntry(e: TimelineEntry, readings: ReadonlyMap<number, Observation>): { lat: number; lon: number } | null {
  const valid = (p: unknown) =>
    p && typeof (p as { lat?: unknown }).lat === 'number' && typeof (p as { lon?: unknown }).lon === 'number'
      ? (p as { lat: number; lon: number })
      : null;
  switch (e.kind) {
    case 'observation':
      return e.observation.position ?? null;
    case 'alert':
      return valid(e.alert.details.position);
    case 'event':
      return (
        valid(e.event.details.position) ?? (e.event.observation != null ? (readings.get(e.event.observation)?.position ?? null) : null)
      );
    case 'gap':
      return null;
  }
}

const sealKey = (device: string, s: Seal | null, door: string | null) => `${device}|${sealText(s)}|${door ?? ''}`;

/** The observations where a device's seal (or door) reading changed, oldest first: its seal state history. */
export function sealHistory(observations: readonly Observation[]): Observation[] {
  const sorted = [...observations].filter((o) => o.seal || o.door).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const last = new Map<string, string>();
  const out: Observation[] = [];
  for (const o of sorted) {
    const k = sealKey(o.device, o.seal, o.door);
    if (last.get(o.device) === k) continue;
    last.set(o.device, k);
    out.push(o);
  }
  return out;
}

export interface Series {
  name: 'temperature' | 'humidity' | 'battery' | 'shock' | 'light';
  points: { t: number; v: number }[];
}

/** The sensor and battery series present in the observations, each in time order. */
export function sensorSeries(observations: readonly Observation[]): Series[] {
  const names: Series['name'][] = ['temperature', 'humidity', 'shock', 'light', 'battery'];
  const series = new Map<Series['name'], { t: number; v: number }[]>(names.map((n) => [n, []]));
  for (const o of observations) {
    const t = Date.parse(o.time);
    for (const n of names) {
      const v = n === 'battery' ? o.battery?.level : o.sensors?.[n];
      if (typeof v === 'number' && Number.isFinite(v)) series.get(n)!.push({ t, v });
    }
  }
  return names.map((name) => ({ name, points: series.get(name)!.sort((a, b) => a.t - b.t) })).filter((s) => s.points.length > 0);
}
