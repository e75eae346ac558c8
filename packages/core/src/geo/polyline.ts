/**
 * Measuring and walking a line of GeoJSON positions ([lon, lat] pairs, WGS84 degrees), e.g. a
 * movement's route. Distances in metres along the great circles between consecutive vertices.
 */
import type { LatLon } from '../model';
import type { Meters } from '../ids';
import { DomainError } from '../errors';
import { bearingDeg, distanceM } from './distance';

/** A GeoJSON LineString's `coordinates`: [lon, lat] pairs (extra members such as altitude are ignored). */
export type LineCoordinates = ReadonlyArray<ReadonlyArray<number>>;

/** A point reached by walking along a line. */
export interface PointOnLine extends LatLon {
  /** Direction of travel at that point, degrees clockwise from north, 0..360. */
  headingDeg: number;
  /** Index of the segment [coords[i], coords[i + 1]] the point lies on. */
  segmentIndex: number;
}

const toLatLon = (c: ReadonlyArray<number>): LatLon => ({ lat: c[1], lon: c[0] });

/** Total length of the line in metres; 0 for a single vertex. Throws `invalid_geometry` when empty. */
export function lineLengthM(coords: LineCoordinates): Meters {
  assertLine(coords);
  let total = 0;
  for (let i = 1; i < coords.length; i++) total += distanceM(toLatLon(coords[i - 1]), toLatLon(coords[i]));
  return total as Meters;
}

/**
 * The point `alongM` metres from the start of the line, clamped to its ends (negative → first
 * vertex, beyond the length → last vertex). Within a segment the position is interpolated
 * linearly in degrees, which is well within a metre for segments of a few tens of kilometres.
 * The heading is the bearing of the segment the point lies on; zero-length segments are skipped.
 * Throws `invalid_geometry` when the line has no vertex.
 */
export function pointAlongLine(coords: LineCoordinates, alongM: number): PointOnLine {
  assertLine(coords);
  const last = coords.length - 1;
  if (last === 0) return { ...toLatLon(coords[0]), headingDeg: 0, segmentIndex: 0 };

  let walked = 0;
  let lastMoving = -1; // the last segment with a length, for the heading at the far end
  for (let i = 0; i < last; i++) {
    const a = toLatLon(coords[i]);
    const b = toLatLon(coords[i + 1]);
    const len = distanceM(a, b);
    if (len === 0) continue;
    lastMoving = i;
    if (alongM <= walked + len) {
      const f = Math.max(0, (alongM - walked) / len);
      return {
        lat: a.lat + (b.lat - a.lat) * f,
        lon: a.lon + (b.lon - a.lon) * f,
        headingDeg: bearingDeg(a, b),
        segmentIndex: i,
      };
    }
    walked += len;
  }
  if (lastMoving < 0) return { ...toLatLon(coords[0]), headingDeg: 0, segmentIndex: 0 };
  return {
    ...toLatLon(coords[last]),
    headingDeg: bearingDeg(toLatLon(coords[lastMoving]), toLatLon(coords[lastMoving + 1])),
    segmentIndex: last - 1,
  };
}

function assertLine(coords: LineCoordinates): void {
  if (!Array.isArray(coords) || coords.length === 0) {
    throw new DomainError('invalid_geometry', 'a line needs at least one [lon, lat] position');
  }
  for (const c of coords) {
    if (!Array.isArray(c) || c.length < 2 || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) {
      throw new DomainError('invalid_geometry', `not a [lon, lat] position: ${JSON.stringify(c)}`);
    }
  }
}
