/**
 * What every transit detector reads and returns. A detector is a pure function of a movement's
 * itinerary, its observations and (for clock rules) the evaluation time: the observations are
 * put in one total order here, so the same set gives the same result whatever order, delay or
 * batching it arrived in (DESIGN §3, "per-device order, any arrival order").
 */
import type { Timestamp } from '../ids';
import { toTimestamp } from '../ids';
import type { LatLon, Position } from '../model';

/** What the transit detectors read of an observation; a stored `Observation` fits as it is. */
export interface TrackObservation {
  /** When the observation was made (not when it arrived). */
  time: Timestamp;
  position?: Position | null;
  device?: string;
  seq?: number | null;
}

/**
 * A period a detector found. `start` and `end` are observation times (UTC); `end` is null while
 * the period is still going on at the evaluation. Its identity across re-runs is its type, its
 * subject (office, device) and its interval: late data may move `start` earlier or split it.
 */
export interface TransitEpisode<T extends string = string, D = Record<string, unknown>> {
  type: T;
  start: Timestamp;
  end: Timestamp | null;
  details: D;
}

/** An instantaneous fact (an office entered, a border crossed) at the time it happened. */
export interface TransitFact<T extends string = string, D = Record<string, unknown>> {
  type: T;
  time: Timestamp;
  details: D;
}

/** A position fix: the position with its time in milliseconds and its accuracy in metres (0 when not reported). */
export interface Fix extends LatLon {
  t: number;
  time: Timestamp;
  accuracyM: number;
}

/** A timestamp as milliseconds since the epoch. */
export const msOf = (t: string): number => Date.parse(t);
/** Milliseconds since the epoch as a canonical timestamp. */
export const timestampOf = (ms: number): Timestamp => toTimestamp(ms);

/**
 * Total order of observations: time, then device, seq, latitude, longitude, accuracy. Ties on
 * time are frequent (two devices of one container, a re-upload of a fix); breaking them by
 * content rather than by arrival is what makes every detector independent of arrival order.
 */
export function compareTrack(a: TrackObservation, b: TrackObservation): number {
  return (
    msOf(a.time) - msOf(b.time) ||
    cmp(a.device ?? '', b.device ?? '') ||
    (a.seq ?? -1) - (b.seq ?? -1) ||
    (a.position?.lat ?? 0) - (b.position?.lat ?? 0) ||
    (a.position?.lon ?? 0) - (b.position?.lon ?? 0) ||
    (a.position?.accuracy ?? 0) - (b.position?.accuracy ?? 0)
  );
}
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A sorted copy in the total order of `compareTrack`. Already sorted input (the normal case:
 * the store returns observations by time) costs one linear pass.
 */
export function sortTrack<T extends TrackObservation>(observations: readonly T[]): T[] {
  const copy = observations.slice();
  for (let i = 1; i < copy.length; i++) {
    if (compareTrack(copy[i - 1], copy[i]) > 0) return copy.sort(compareTrack);
  }
  return copy;
}

/**
 * The position fixes of the observations in total order: observations without a finite
 * position are left out; a missing accuracy counts as 0 m.
 */
export function fixesOf(observations: readonly TrackObservation[]): Fix[] {
  const fixes: Fix[] = [];
  for (const o of sortTrack(observations)) {
    const p = o.position;
    if (!p || !Number.isFinite(p.lat) || !Number.isFinite(p.lon)) continue;
    const accuracyM = Number.isFinite(p.accuracy) && (p.accuracy as number) > 0 ? (p.accuracy as number) : 0;
    fixes.push({ lat: p.lat, lon: p.lon, t: msOf(o.time), time: o.time, accuracyM });
  }
  return fixes;
}
