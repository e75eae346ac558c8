/**
 * What an office's area may be: a remote unlock is allowed inside it, so it must be the size of
 * a customs office or border post, not of a region. A circle of at most `maxRadiusM`; a polygon
 * of at most 200 vertices, every vertex within `maxRadiusM` of its centre.
 */
import { DomainError } from '../errors';
import { areaCenter } from '../geo/area';
import { distanceM } from '../geo/distance';
import type { Area, LatLon } from '../model';

/** Default largest radius of an office area, in metres. */
export const DEFAULT_MAX_OFFICE_RADIUS_M = 5000;
const MAX_VERTICES = 200;

/** The distance from the area's centre to its farthest point, in metres. */
export function areaRadiusM(area: Area): number {
  if ('center' in area) return area.radiusM;
  const c = areaCenter(area);
  return Math.max(...area.coordinates[0].map(([lon, lat]) => distanceM(c, { lat, lon })));
}

/** Throws `office_area_too_large` when the area is larger than an office may be. */
export function assertOfficeAreaSize(area: Area, maxRadiusM: number): void {
  const vertices = 'center' in area ? 0 : area.coordinates.reduce((n, ring) => n + ring.length, 0);
  const radius = areaRadiusM(area);
  if (vertices > MAX_VERTICES || radius > maxRadiusM) {
    throw new DomainError('office_area_too_large', `an office area may reach at most ${maxRadiusM} m from its centre (this one ${Math.round(radius)} m, ${vertices} vertices, at most ${MAX_VERTICES})`, { radiusM: Math.round(radius), maxRadiusM });
  }
}

/**
 * Points to test the area's country with: its centre and eight points around it at half its
 * radius (a border post's area straddles the line, and a 1:50m map places a border to about a
 * kilometre). The area is in the country when one of them is.
 */
export function areaProbePoints(area: Area): LatLon[] {
  const c = areaCenter(area);
  const r = Math.min(areaRadiusM(area), DEFAULT_MAX_OFFICE_RADIUS_M) / 2;
  const dLat = r / 111_320;
  const dLon = r / (111_320 * Math.max(0.1, Math.cos((c.lat * Math.PI) / 180)));
  const ring = Array.from({ length: 8 }, (_, i) => {
    const a = (i * Math.PI) / 4;
    return { lat: c.lat + dLat * Math.sin(a), lon: c.lon + dLon * Math.cos(a) };
  });
  return [c, ...ring];
}
