/**
 * Stops and unauthorized_stop. First where the vehicle stood still, robust to GNSS
 * noise; then which of those stops break the itinerary: too long outside every authorised stop
 * and office area, or longer than an authorised stop's maximum dwell.
 */
import type { Timestamp } from '../ids';
import type { AlertType, AuthorizedStop, LatLon, Office } from '../model';
import { isInArea } from '../geo/area';
import { distanceM } from '../geo/distance';
import { fixesOf, msOf, timestampOf, type Fix, type TrackObservation, type TransitEpisode } from './track';

/** Settings of stop detection: metres and seconds. */
export interface StopOptions {
  /** Metres a fix may be from the running centre of the stop; default 50. */
  stationaryRadiusM?: number;
  /** Seconds of stillness (first to last fix) that make a stop; default 300. */
  minStopS?: number;
  /** The radius grows by each fix's reported accuracy, up to this many metres; default 100. */
  maxAccuracyWideningM?: number;
}

/** What a stop reports. */
export interface StopDetails {
  /** Mean position of the fixes of the stop. */
  center: LatLon;
  /** Seconds from the first to the last fix seen at the stop: the stillness the data proves. */
  durationS: number;
  lastSeenAt: Timestamp;
  fixes: number;
  /** Lone fixes away from the stop, between fixes at it, that were taken as GNSS outliers. */
  outliers: number;
}

/** A stop: `start` is its first fix, `end` the first fix away from it (null while still there). */
export type StopEpisode = TransitEpisode<'stop', StopDetails>;

/**
 * The stops in the observations, oldest first. A fix belongs to the current stop when it is
 * within `stationaryRadiusM` (+ its accuracy, capped) of the stop's running centre; a single
 * fix away, followed by a fix back near the centre, is an outlier and does not end the stop
 * (so the last fix of the input, with no successor yet, can still end one). A group of fixes
 * is a stop when its first and last fix are at least `minStopS` apart. Input order does not matter.
 */
export function findStops(observations: readonly TrackObservation[], options: StopOptions = {}): StopEpisode[] {
  const radius = options.stationaryRadiusM ?? 50;
  const minMs = (options.minStopS ?? 300) * 1000;
  const widen = options.maxAccuracyWideningM ?? 100;
  const fixes = fixesOf(observations);
  const stops: StopEpisode[] = [];
  let group: { first: Fix; last: Fix; sumLat: number; sumDLon: number; n: number; outliers: number } | null = null;

  const center = (g: NonNullable<typeof group>): LatLon => ({ lat: g.sumLat / g.n, lon: g.first.lon + g.sumDLon / g.n });
  const near = (g: NonNullable<typeof group>, f: Fix | undefined) =>
    !!f && distanceM(f, center(g)) <= radius + Math.min(f.accuracyM, widen);
  const close = (g: NonNullable<typeof group>, away: Fix | null) => {
    if (g.last.t - g.first.t < minMs) return;
    stops.push({
      type: 'stop',
      start: g.first.time,
      end: away ? away.time : null,
      details: { center: center(g), durationS: (g.last.t - g.first.t) / 1000, lastSeenAt: g.last.time, fixes: g.n, outliers: g.outliers },
    });
  };

  for (let i = 0; i < fixes.length; i++) {
    const f = fixes[i];
    if (group && near(group, f)) {
      group.last = f;
      group.n++;
      group.sumLat += f.lat;
      group.sumDLon += lonDelta(f.lon, group.first.lon);
      continue;
    }
    if (group && near(group, fixes[i + 1])) {
      group.outliers++;
      continue;
    }
    if (group) close(group, f);
    group = { first: f, last: f, sumLat: f.lat, sumDLon: 0, n: 1, outliers: 0 };
  }
  if (group) close(group, null);
  return stops;
}

/** Limits for stops away from authorised places (authorised stops carry their own `maxDwellMinutes`). */
export interface StopThresholds {
  /** Minutes a stop may last outside every authorised stop and office area; default 30. */
  maxStopMinutes?: number;
}

/** What an unauthorized_stop reports: which rule, the limit, and when the stop went past it. */
export interface UnauthorizedStopDetails {
  /** `outside_authorized_areas`: too long away from every authorised place; `dwell_exceeded`: too long at an authorised stop. */
  reason: 'outside_authorized_areas' | 'dwell_exceeded';
  center: LatLon;
  durationS: number;
  /** The limit that was exceeded, in minutes. */
  limitMinutes: number;
  /** When the stop went past its limit: start + limit. */
  exceededAt: Timestamp;
  /** The authorised stop whose dwell was exceeded. */
  authorizedStop?: string;
}

/** An unauthorized_stop: the stop's own start and end. */
export type UnauthorizedStopEpisode = TransitEpisode<Extract<AlertType, 'unauthorized_stop'>, UnauthorizedStopDetails>;

/**
 * The stops that break the itinerary, with the stop's start and end. A stop whose centre lies
 * in an authorised stop area may last that stop's `maxDwellMinutes` (the most generous one
 * where areas overlap); otherwise a stop in an office area has no limit (queues at borders and
 * offices are normal); anywhere else it may last `maxStopMinutes`. Exceeding is strict: a stop
 * of exactly the limit is allowed.
 */
export function unauthorizedStops(
  stops: readonly StopEpisode[],
  authorizedStops: readonly AuthorizedStop[],
  offices: ReadonlyArray<Pick<Office, 'area'>>,
  thresholds: StopThresholds = {},
): UnauthorizedStopEpisode[] {
  const maxStopMinutes = thresholds.maxStopMinutes ?? 30;
  const out: UnauthorizedStopEpisode[] = [];
  for (const stop of stops) {
    const { center, durationS } = stop.details;
    const authorized = authorizedStops
      .filter((a) => isInArea(center, a.area))
      .sort((a, b) => b.maxDwellMinutes - a.maxDwellMinutes || (a.name < b.name ? -1 : 1))[0];
    if (!authorized && offices.some((o) => isInArea(center, o.area))) continue;
    const limitMinutes = authorized ? authorized.maxDwellMinutes : maxStopMinutes;
    if (durationS <= limitMinutes * 60) continue;
    out.push({
      type: 'unauthorized_stop',
      start: stop.start,
      end: stop.end,
      details: {
        reason: authorized ? 'dwell_exceeded' : 'outside_authorized_areas',
        center,
        durationS,
        limitMinutes,
        exceededAt: timestampOf(msOf(stop.start) + limitMinutes * 60_000),
        ...(authorized ? { authorizedStop: authorized.name } : {}),
      },
    });
  }
  return out;
}

/** Longitude difference b → a in degrees, the short way round (across the antimeridian too). */
function lonDelta(a: number, b: number): number {
  return a - b - 360 * Math.round((a - b) / 360);
}
