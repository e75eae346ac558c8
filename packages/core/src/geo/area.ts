/** Membership of a point in an office or stop area (GeoJSON Polygon or circle). */
import type { Area, LatLon } from '../model';
import { distanceM } from './distance';
import { DomainError } from '../errors';

/** Ray casting on one ring of [lon, lat] pairs; planar, fine for areas of a few kilometres. */
function insideRing(p: LatLon, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p.lat !== yj > p.lat && p.lon < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** True when the point lies in the area (inside the outer ring and outside every hole). */
export function isInArea(p: LatLon, area: Area): boolean {
  if ('center' in area) return distanceM(p, area.center) <= area.radiusM;
  const [outer, ...holes] = area.coordinates;
  return insideRing(p, outer) && !holes.some((h) => insideRing(p, h));
}

/** A representative point of the area: the circle's centre or the polygon's vertex mean. */
export function areaCenter(area: Area): LatLon {
  if ('center' in area) return area.center;
  const ring = area.coordinates[0].slice(0, -1);
  const lon = ring.reduce((s, c) => s + c[0], 0) / ring.length;
  const lat = ring.reduce((s, c) => s + c[1], 0) / ring.length;
  return { lat, lon };
}

/** Most vertices a polygon area may have, all rings together: the ring checks below are quadratic. */
export const MAX_AREA_VERTICES = 2000;

/** Orientation of c against the line a→b: positive left, negative right, 0 on it. */
const cross = (a: number[], b: number[], c: number[]): number => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

/** True when the segments a-b and c-d cross or touch. */
function segmentsMeet(a: number[], b: number[], c: number[], d: number[]): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const on = (p: number[], q: number[], r: number[]) =>
    cross(p, q, r) === 0 &&
    Math.min(p[0], q[0]) <= r[0] &&
    r[0] <= Math.max(p[0], q[0]) &&
    Math.min(p[1], q[1]) <= r[1] &&
    r[1] <= Math.max(p[1], q[1]);
  return on(c, d, a) || on(c, d, b) || on(a, b, c) || on(a, b, d);
}

/**
 * What is wrong with a polygon area's rings, or null. In GeoJSON the first ring is the outer
 * boundary and every later ring a hole in it: a later ring that is not strictly inside the first
 * (a vertex outside it, or an edge meeting its edges) is not a hole but a second area somewhere
 * else, which checks reading the outer ring (size, country) never see. At most
 * MAX_AREA_VERTICES vertices. A circle has no rings.
 */
export function areaRingsProblem(area: Area): { message: string; ring?: number } | null {
  if ('center' in area) return null;
  const vertices = area.coordinates.reduce((n, r) => n + r.length, 0);
  if (vertices > MAX_AREA_VERTICES) return { message: `a polygon area has at most ${MAX_AREA_VERTICES} vertices (this one ${vertices})` };
  const [outer, ...holes] = area.coordinates;
  for (const [i, hole] of holes.entries()) {
    const outside = hole.some(([lon, lat]) => !insideRing({ lat, lon }, outer));
    let crossing = false;
    for (let h = 0; !outside && !crossing && h < hole.length - 1; h++)
      for (let o = 0; !crossing && o < outer.length - 1; o++) crossing = segmentsMeet(hole[h], hole[h + 1], outer[o], outer[o + 1]);
    if (outside || crossing)
      return {
        message: `ring ${i + 1} of the polygon is not inside its first ring: a later ring is a hole in the area, not another area`,
        ring: i + 1,
      };
  }
  return null;
}

/** Throws `invalid_geometry` (field `area`, or the field named) when areaRingsProblem finds one. */
export function assertAreaRings(area: Area, field = 'area'): void {
  const problem = areaRingsProblem(area);
  if (problem)
    throw new DomainError('invalid_geometry', problem.message, { field, ...(problem.ring !== undefined ? { ring: problem.ring } : {}) });
}
