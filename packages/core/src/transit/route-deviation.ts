/**
 * route_deviation: the vehicle farther than the corridor width from the route line
 * for longer than a tolerance. A function of the route and the whole set of position fixes, so
 * buffered history that arrives late (and fills a gap) gives the answer in-order data would.
 */
import type { Timestamp } from '../ids';
import type { AlertType } from '../model';
import type { RouteIndex } from './route-index';
import { fixesOf, type Fix, type TrackObservation, type TransitEpisode } from './track';

/** Seconds a vehicle may be outside the corridor before it is a deviation. */
export const DEFAULT_DEVIATION_TOLERANCE_S = 120;

/** Settings of the corridor rule; `corridorWidthM` comes from the movement. */
export interface RouteDeviationOptions {
  /** Half-width of the corridor in metres: the movement's `corridorWidthM`. */
  corridorWidthM: number;
  /** Seconds outside (first to last outside fix) that make a deviation; default 120. */
  toleranceS?: number;
}

/** What a route_deviation episode reports; distances in metres, durations in seconds. */
export interface RouteDeviationDetails {
  /** Largest distance from the route in metres among the outside fixes. */
  maxDistanceM: number;
  /** Seconds from the first outside fix to the first fix back inside (or to the last outside fix while ongoing). */
  durationS: number;
  /** Where and when the vehicle was first seen outside. */
  firstOutside: { lat: number; lon: number; time: Timestamp; distanceM: number };
  /** The fix at which the tolerance was reached: when an in-order processor could first raise the alert. */
  confirmedAt: Timestamp;
  lastOutsideAt: Timestamp;
  /** Outside fixes in the episode. */
  fixes: number;
}

/** A route_deviation: from the first fix outside to the first fix back inside (null while outside). */
export type RouteDeviationEpisode = TransitEpisode<Extract<AlertType, 'route_deviation'>, RouteDeviationDetails>;

/**
 * The deviation episodes of a movement, oldest first. A fix is outside when even its accuracy
 * circle lies outside the corridor (distance − accuracy > width), inside when its distance is
 * at most the width, and otherwise too imprecise to count either way (ignored). A run of
 * outside fixes is an episode once its first and last fix are `toleranceS` apart, so a lone
 * outlier between inside fixes never opens one; the episode starts at the first outside fix
 * and ends (clears) at the first fix back inside, or is ongoing (`end` null). Observations
 * without a position are ignored; their order in the input does not matter.
 */
export function routeDeviations(
  route: RouteIndex,
  observations: readonly TrackObservation[],
  options: RouteDeviationOptions,
): RouteDeviationEpisode[] {
  const width = options.corridorWidthM;
  const toleranceMs = (options.toleranceS ?? DEFAULT_DEVIATION_TOLERANCE_S) * 1000;
  const episodes: RouteDeviationEpisode[] = [];
  let run: { first: Fix; firstDistanceM: number; last: Fix; maxDistanceM: number; fixes: number; confirmed: Fix | null } | null = null;

  const close = (back: Fix | null) => {
    if (run?.confirmed) {
      const endMs = back ? back.t : run.last.t;
      episodes.push({
        type: 'route_deviation',
        start: run.first.time,
        end: back ? back.time : null,
        details: {
          maxDistanceM: run.maxDistanceM,
          durationS: (endMs - run.first.t) / 1000,
          firstOutside: { lat: run.first.lat, lon: run.first.lon, time: run.first.time, distanceM: run.firstDistanceM },
          confirmedAt: run.confirmed.time,
          lastOutsideAt: run.last.time,
          fixes: run.fixes,
        },
      });
    }
    run = null;
  };

  for (const fix of fixesOf(observations)) {
    const d = route.nearest(fix).distanceM;
    if (d - fix.accuracyM > width) {
      if (!run) run = { first: fix, firstDistanceM: d, last: fix, maxDistanceM: d, fixes: 0, confirmed: null };
      run.last = fix;
      run.fixes++;
      run.maxDistanceM = Math.max(run.maxDistanceM, d);
      if (!run.confirmed && fix.t - run.first.t >= toleranceMs) run.confirmed = fix;
    } else if (d <= width && run) {
      close(fix);
    }
  }
  close(null);
  return episodes;
}
