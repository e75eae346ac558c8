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

/**
 * Everything in time order, newest first: events and alerts at the time they occurred, data gaps
 * at their start. Observations only where the seal or the door changed, so that thousands of
 * positions do not hide the facts.
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
  return entries.sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || a.key.localeCompare(b.key));
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
