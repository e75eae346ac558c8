/**
 * "12 km NW of Malaba": where a position is, said the way people say it — the nearest place of the
 * gazetteer, how far and in which compass direction from it. Pure; the gazetteer is data in core.
 */
import { bearingDeg, distanceM } from '../geo/distance';
import type { LatLon } from '../model';
import type { Meters } from '../ids';
import { gazetteer, type Place } from './gazetteer';

/** The eight compass points, clockwise from north. */
export const compassPoints = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
export type CompassPoint = (typeof compassPoints)[number];

export interface PlaceFix {
  place: Place;
  /** From the place to the position, metres. */
  distanceM: Meters;
  /** From the place to the position, degrees clockwise from north, 0..360. */
  bearingDeg: number;
  /** The bearing rounded to the nearest of eight compass points. */
  direction: CompassPoint;
  /** True when the position is at the place (within `atM`): say "Malaba", not "1 km E of Malaba". */
  at: boolean;
}

export interface NearestPlaceOptions {
  /** Candidate places; default the shipped gazetteer. */
  places?: readonly Place[];
  /** Beyond this distance the answer is null (the caller shows coordinates); default 150 km. */
  maxM?: number;
  /** Within this distance the position is "at" the place; default 2 km. */
  atM?: number;
}

/** The compass point nearest a bearing in degrees (any real number; wraps around 360). */
export function compassPoint(deg: number): CompassPoint {
  const i = Math.round((((deg % 360) + 360) % 360) / 45) % 8;
  return compassPoints[i]!;
}

/**
 * The nearest place to a position, with distance and direction from it; null when the position is
 * not a finite WGS84 point or no place lies within `maxM`. Ties keep the first place of the list.
 */
export function nearestPlace(position: LatLon, options: NearestPlaceOptions = {}): PlaceFix | null {
  const { places = gazetteer, maxM = 150_000, atM = 2_000 } = options;
  if (!Number.isFinite(position.lat) || !Number.isFinite(position.lon) || Math.abs(position.lat) > 90 || Math.abs(position.lon) > 180) {
    return null;
  }
  let best: Place | null = null;
  let bestM = Infinity;
  for (const place of places) {
    const d = distanceM(place, position);
    if (d < bestM) {
      best = place;
      bestM = d;
    }
  }
  if (!best || bestM > maxM) return null;
  const bearing = bestM > 0 ? bearingDeg(best, position) : 0;
  return { place: best, distanceM: bestM as Meters, bearingDeg: bearing, direction: compassPoint(bearing), at: bestM <= atM };
}
