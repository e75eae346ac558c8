/** Membership of a point in an office or stop area (GeoJSON Polygon or circle). */
import type { Area, LatLon } from '../model';
import { distanceM } from './distance';

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
