/**
 * The trip report of a movement: the document an officer uses to discharge a movement
 * or to open a case. One timeline of its events and alerts (each alert with how it ended: resolved
 * by whom with which outcome, cleared by the system, escalated), a summary of the track (distance,
 * duration, stops), the seal history, and the data gaps (signal_lost episodes of the last transit
 * evaluation). Read-only: built from the store at request time.
 */
import {
  distanceM,
  findStops,
  fixesOf,
  toTimestamp,
  type Alert,
  type DomainEvent,
  type LatLon,
  type Movement,
  type Observation,
  type Timestamp,
} from '@sealwatch/core';
import type { Store } from '../storage/ports';

const MAX_POINTS_PER_DEVICE = 50_000;
const SEAL_EVENTS = new Set([
  'seal_opened',
  'seal_tampered',
  'rope_cut',
  'unlock_unauthorized',
  'seal_closed',
  'rope_inserted',
  'seal_locked',
  'seal_unlocked',
  'seal_mismatch',
]);

/** One line of the timeline, in time order (when it happened, not when it was recorded). */
export type TimelineEntry =
  | {
      kind: 'event';
      time: Timestamp;
      type: string;
      device: string | null;
      detectedAt: Timestamp;
      late: boolean;
      details: Record<string, unknown>;
    }
  | {
      kind: 'alert';
      time: Timestamp;
      type: string;
      id: string;
      severity: string;
      status: string;
      device: string | null;
      count: number;
      resolution: { outcome: string | null; comment: string | null; by: string | null; at: Timestamp } | null;
      cleared: { at: string; reason: string } | null;
      /** Where it happened, when the alert carries a position. */
      position: LatLon | null;
      escalated: boolean;
      history: Alert['history'];
    };

export interface TripReport {
  movement: Pick<
    Movement,
    | 'id'
    | 'reference'
    | 'container'
    | 'vehicle'
    | 'trader'
    | 'status'
    | 'devices'
    | 'seals'
    | 'departureOffice'
    | 'destinationOffice'
    | 'timeLimit'
    | 'startedAt'
    | 'arrivedAt'
    | 'endedAt'
    | 'corridorWidthM'
  >;
  generatedAt: Timestamp;
  timeline: TimelineEntry[];
  track: {
    points: number;
    truncated: boolean;
    from: Timestamp | null;
    to: Timestamp | null;
    /** Metres along the fixes, in time order. */
    distanceM: number;
    /** Seconds from the first to the last fix. */
    durationS: number;
    stops: Array<{ start: Timestamp; end: Timestamp | null; durationS: number; lat: number; lon: number }>;
    /** [lon, lat] of the fixes, thinned to at most 2000 for drawing. */
    line: number[][];
  };
  route: number[][] | null;
  seals: { declared: string[]; history: Array<{ time: Timestamp; type: string; device: string | null; details: Record<string, unknown> }> };
  dataGaps: Array<{ device: string | null; start: Timestamp; end: Timestamp | null; gapS: number | null }>;
}

async function all<T>(
  next: (cursor: string | null | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  max = 100_000,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await next(cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

const latLonOf = (p: unknown): LatLon | null =>
  p && typeof (p as LatLon).lat === 'number' && typeof (p as LatLon).lon === 'number'
    ? { lat: (p as LatLon).lat, lon: (p as LatLon).lon }
    : null;

const alertEntry = (a: Alert): TimelineEntry => {
  const resolved = a.history.filter((h) => h.action === 'resolved').at(-1);
  const cleared = (a.details.cleared as { at: string; reason: string } | undefined) ?? null;
  return {
    kind: 'alert',
    time: a.time,
    type: a.type,
    id: a.id,
    severity: a.severity,
    status: a.status,
    device: a.device,
    count: a.count,
    resolution: resolved ? { outcome: a.outcome, comment: a.comment, by: resolved.by, at: resolved.at } : null,
    cleared,
    position: latLonOf(a.details.position),
    escalated: !!a.details.escalated,
    history: a.history,
  };
};

/** Builds the report of `m` from the store at `now`. */
export async function buildTripReport(
  store: Pick<Store, 'alerts' | 'events' | 'observations' | 'transit'>,
  m: Movement,
  now: number,
  /** The alert as the report's reader may read it (a trader reads no customs notes: forReader). */
  readAlert: (a: Alert) => Alert = (a) => a,
): Promise<TripReport> {
  const events = await all<DomainEvent>((cursor) => store.events.list({ movement: m.id }, { limit: 1000, cursor }));
  const alerts = (await all<Alert>((cursor) => store.alerts.list({ movement: m.id }, { limit: 1000, cursor }))).map(readAlert);
  const observations: Observation[] = [];
  let truncated = false;
  // Positions only inside the armed period: a movement not started has none to show.
  for (const d of m.startedAt ? m.devices : []) {
    const own = await all<Observation>(
      (cursor) =>
        store.observations.listByDevice(
          d,
          { from: m.startedAt ?? m.createdAt, to: m.endedAt ?? undefined, order: 'asc' },
          { limit: 1000, cursor },
        ),
      MAX_POINTS_PER_DEVICE,
    );
    truncated ||= own.length >= MAX_POINTS_PER_DEVICE;
    observations.push(...own);
  }
  const fixes = fixesOf(observations);
  let distance = 0;
  for (let i = 1; i < fixes.length; i++) distance += distanceM(fixes[i - 1], fixes[i]);
  const stride = Math.max(1, Math.ceil(fixes.length / 2000));
  const evaluation = await store.transit.get(m.id);

  const timeline: TimelineEntry[] = [
    ...events.map((e): TimelineEntry => ({
      kind: 'event',
      time: e.time,
      type: e.type,
      device: e.device,
      detectedAt: e.createdAt,
      late: !!(e.details.detection as { late?: boolean } | undefined)?.late,
      details: e.details,
    })),
    ...alerts.map(alertEntry),
  ].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.kind < b.kind ? 1 : a.kind > b.kind ? -1 : 0));

  return {
    movement: {
      id: m.id,
      reference: m.reference,
      container: m.container,
      vehicle: m.vehicle,
      trader: m.trader,
      status: m.status,
      devices: m.devices,
      seals: m.seals,
      departureOffice: m.departureOffice,
      destinationOffice: m.destinationOffice,
      timeLimit: m.timeLimit,
      startedAt: m.startedAt,
      arrivedAt: m.arrivedAt,
      endedAt: m.endedAt,
      corridorWidthM: m.corridorWidthM,
    },
    generatedAt: toTimestamp(now),
    timeline,
    track: {
      points: fixes.length,
      truncated,
      from: fixes[0]?.time ?? null,
      to: fixes.at(-1)?.time ?? null,
      distanceM: Math.round(distance),
      durationS: fixes.length ? (fixes[fixes.length - 1].t - fixes[0].t) / 1000 : 0,
      stops: findStops(observations).map((s) => ({
        start: s.start,
        end: s.end,
        durationS: s.details.durationS,
        lat: s.details.center.lat,
        lon: s.details.center.lon,
      })),
      line: fixes.filter((_, i) => i % stride === 0 || i === fixes.length - 1).map((f) => [f.lon, f.lat]),
    },
    route: m.route?.coordinates ?? null,
    seals: {
      declared: m.seals,
      history: events
        .filter((e) => SEAL_EVENTS.has(e.type))
        .map((e) => ({ time: e.time, type: e.type, device: e.device, details: e.details })),
    },
    dataGaps: (evaluation?.findings ?? [])
      .filter((f) => f.kind === 'episode' && f.type === 'signal_lost')
      .map((f) => ({ device: f.device, start: f.start, end: f.end, gapS: typeof f.details.gapS === 'number' ? f.details.gapS : null })),
  };
}
