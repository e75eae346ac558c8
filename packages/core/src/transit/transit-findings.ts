/**
 * Every transit detector of core/transit and core/battery over one movement's data: what the
 * server's transit monitor diffs against the previous run (it only loads, calls this, diffs and saves). A pure function of what was loaded and `now`, so the
 * same observations give the same findings whatever order they arrived in. Episodes (a period:
 * deviation, stop, silence, excursion) and facts (an instant: an office entered, a border
 * crossed, a checkpoint missed) are diffed separately, each with a subject that tells findings
 * of one type apart (device, office, reader, sensor).
 */
import type { Timestamp } from '../ids';
import { isAlertType, type ClearReason } from '../alerts/alert-rules';
import type { AlertType, Device, LatLon, Movement, Observation, Office } from '../model';
import { batteryInsufficient } from '../battery/battery-forecast';
import { areaFacts, arrivalAt } from './areas';
import { checkpointFindings } from './checkpoints';
import { deviceClones } from './device-cloned';
import { gnssAnomalies } from './gnss-anomaly';
import type { RouteIndex } from './route-index';
import { routeDeviations } from './route-deviation';
import { sensorsOutOfRange } from './sensor-range';
import { signalLost } from './signal-loss';
import { findStops, unauthorizedStops } from './stops';
import { forecastEta, transitOverdue, type DwellBudget } from './time-limit';
import type { TransitEpisode, TransitFact } from './track';
import { diffEpisodes, diffFacts, type EpisodeDiff } from './episode-diff';
import { stampOpened, type Detection } from './late-detection';

/** A period found by a detector; `device` where it concerns one device of the movement. */
export type FoundEpisode = TransitEpisode<string, object> & { device?: string };
/** An instant found by a detector. */
export type FoundFact = TransitFact<string, object> & { device?: string };

/** What one evaluation found. */
export interface TransitFindings {
  episodes: FoundEpisode[];
  facts: FoundFact[];
}

/** What the detectors read of one movement, loaded by the monitor. */
export interface TransitInputs {
  movement: Movement;
  devices: Device[];
  /** Each device's observations from the start of the watch (to its end, if any), by device id. */
  tracks: Map<string, Observation[]>;
  /** Reader reports naming the EPCs of the movement's RFID seals. */
  tagReads: Observation[];
  tags: string[];
  route: RouteIndex | null;
  /** Offices whose areas give office_entered / office_left; the destination among them for arrival. */
  offices: Office[];
  countryAt: (p: LatLon) => string | null;
  now: Timestamp;
}

/**
 * What tells findings of one type apart across runs (with their interval or time): the device,
 * office, reader, sensor or level they concern. Computed from the finding, so stored findings
 * need no extra column.
 */
export function subjectOf(f: FoundEpisode | FoundFact): string {
  const d = f.details as Record<string, unknown>;
  switch (f.type) {
    case 'transit_overdue':
      return String(d.level ?? '');
    case 'sensor_out_of_range':
      return `${f.device ?? d.device ?? ''}|${String(d.sensor ?? '')}`;
    case 'office_entered':
    case 'office_left':
    case 'movement_arrived_detected':
      return String(d.office ?? '');
    case 'checkpoint_missed':
    case 'checkpoint_unexpected':
      return String(d.readerId ?? '');
    case 'device_cloned':
      return String(d.device ?? d.epc ?? '');
    default:
      return f.device ?? String(d.device ?? '');
  }
}

/**
 * Seconds of border queue the ETA budgets at each office of transit not yet passed: a truck
 * commonly waits hours at a land border (the queue inside the office's area is never an
 * unauthorised stop, and it must not make an on-time trip look late either).
 */
export const OFFICE_OF_TRANSIT_DWELL_S = 3 * 3600;

/** Runs every detector; the detected arrival (if any) stands in for an arrival not yet recorded. */
export function findTransit(input: TransitInputs): TransitFindings {
  const { movement: m, devices, tracks, route, now } = input;
  const all = [...tracks.values()].flat();
  const destination = input.offices.find((o) => o.code === m.destinationOffice);
  const arrival = destination ? arrivalAt(destination, all, { notBefore: m.startedAt ?? undefined }) : null;
  const arrivedAt = m.arrivedAt ?? arrival?.time ?? null;
  const until = arrivedAt ?? m.endedAt ?? null;
  const episodes: FoundEpisode[] = [];
  const facts: FoundFact[] = [];

  // The itinerary's offices: departure, the offices of transit (border posts) in order, destination.
  const itinerary = new Set([m.departureOffice, ...(m.transitOffices ?? []), m.destinationOffice] as string[]);
  const transitOffices = input.offices.filter((o) => (m.transitOffices ?? []).includes(o.code));
  // Planned waiting: each authorised stop's dwell, and a border queue at each office of transit.
  const dwells: DwellBudget[] = [
    ...m.authorizedStops.map((a) => ({ area: a.area, budgetS: a.maxDwellMinutes * 60 })),
    ...transitOffices.map((o) => ({ area: o.area, budgetS: OFFICE_OF_TRANSIT_DWELL_S })),
  ];
  const eta = { dwells };

  if (route) episodes.push(...routeDeviations(route, all, { corridorWidthM: m.corridorWidthM }));
  episodes.push(
    ...unauthorizedStops(
      findStops(all),
      m.authorizedStops,
      input.offices.filter((o) => itinerary.has(o.code)),
    ),
  );
  if (m.timeLimit) episodes.push(...transitOverdue(route, all, now, { ...eta, timeLimit: m.timeLimit, arrivedAt }));
  for (const d of devices) {
    const own = tracks.get(d.id) ?? [];
    for (const e of signalLost(d, own, now, { watchFrom: m.startedAt, watchUntil: until })) episodes.push({ ...e, device: d.id });
  }
  if (!arrivedAt && !m.endedAt) {
    // The charge must last to the ETA along the remaining route, else to the time limit.
    const lastsTo = forecastEta(route, all, now, { ...eta, timeLimit: m.timeLimit ?? now })?.eta ?? m.timeLimit;
    for (const d of lastsTo ? devices : []) {
      for (const e of batteryInsufficient(d.kind, tracks.get(d.id) ?? [], now, lastsTo!)) episodes.push({ ...e, device: d.id });
    }
  }
  for (const e of sensorsOutOfRange(m.sensorThresholds, all)) episodes.push({ ...e, device: e.details.device ?? undefined });

  facts.push(...areaFacts(input.offices, all, input.countryAt));
  if (arrival && !m.arrivedAt) facts.push(arrival);
  // A partner's shared readings (a feed, protocol `federation`) say nothing of a device's integrity
  // here: the origin judges its own device (a clone, impossible jumps) and shares that incident, so
  // deriving it again from the feed would make two incidents of one fact.
  const feeds = new Set(devices.filter((d) => d.protocol === 'federation').map((d) => d.id as string));
  const own = feeds.size ? all.filter((o) => !feeds.has(o.device ?? '')) : all;
  const clones = deviceClones([...own, ...input.tagReads]);
  const clonedFrom = new Map(clones.filter((c) => c.details.device).map((c) => [c.details.device!, Date.parse(c.time)]));
  for (const c of clones) facts.push({ ...c, device: c.details.device ?? undefined });
  // A clone explains the impossible positions of its device from then on: one finding, not many.
  for (const g of gnssAnomalies(own)) {
    const dev = g.details.device ?? '';
    if (Date.parse(g.time) >= (clonedFrom.get(dev) ?? Infinity)) continue;
    facts.push({ ...g, device: dev || undefined });
  }
  // Without an itinerary of readers every read would be "unexpected": the rule needs checkpoints.
  if (m.checkpoints.length) facts.push(...checkpointFindings(m.checkpoints, input.tags, input.tagReads, now));
  return { episodes, facts };
}

/** An alert type whose condition stopped: when, and whether it ended or late data retracted it. */
export interface TransitClear {
  type: AlertType;
  at: Timestamp;
  reason: ClearReason;
}

/** A new finding with its detection stamp (late-detection.ts). */
export type DetectedFinding = (FoundEpisode | FoundFact) & { detection: Detection };

/** What changed between two evaluations: what to record, which alerts to clear, which to move back. */
export interface TransitChanges {
  opened: DetectedFinding[];
  clears: TransitClear[];
  backdates: Array<{ type: AlertType; start: Timestamp }>;
}

/**
 * The changes from the previous evaluation (`before`, made at `evaluatedAt`) to this one: findings
 * new to this run (stamped with when they occurred and when they were detected), the alert types
 * whose condition stopped, and the alerts whose episode late data showed began earlier.
 */
export function transitChanges(
  before: TransitFindings,
  current: TransitFindings,
  evaluatedAt: Timestamp | null,
  now: Timestamp,
): TransitChanges {
  const episodes = diffEpisodes<FoundEpisode>(before.episodes, current.episodes, subjectOf);
  const facts = diffFacts<FoundFact>(before.facts, current.facts, subjectOf);
  const opened = [...stampOpened(episodes.opened, evaluatedAt, now), ...stampOpened(facts.added, evaluatedAt, now)];
  const backdates = episodes.changed
    .filter((c) => c.after.start < c.before.start && isAlertType(c.after.type as never))
    .map((c) => ({ type: c.after.type as AlertType, start: c.after.start }));
  return { opened, clears: clearsOf(episodes, current.episodes, now), backdates };
}

/**
 * The alert types whose condition stopped in this run: an episode that was ongoing has ended
 * (or was found already over), or late data retracted it; unless another episode of the type is
 * still ongoing (one alert per movement and type stands for all of them).
 */
function clearsOf(diff: EpisodeDiff<FoundEpisode>, current: FoundEpisode[], now: Timestamp): TransitClear[] {
  const out = new Map<string, TransitClear>();
  const ended = [...diff.changed.filter((c) => c.before.end === null).map((c) => c.after), ...diff.opened];
  for (const e of ended) {
    if (e.end !== null && isAlertType(e.type as never)) out.set(e.type, { type: e.type as AlertType, at: e.end, reason: 'ended' });
  }
  for (const r of diff.retracted) {
    if (!out.has(r.type) && isAlertType(r.type as never)) out.set(r.type, { type: r.type as AlertType, at: now, reason: 'retracted' });
  }
  return [...out.values()].filter((c) => !current.some((e) => e.type === c.type && e.end === null));
}
