/**
 * What an office's area may be: a remote unlock is allowed inside it, so it must be the size of
 * a customs office or border post, not of a region. A circle of at most `maxRadiusM`; a polygon
 * of at most 200 vertices, every vertex within `maxRadiusM` of its centre.
 */
import { DomainError } from '../errors';
import { areaCenter, assertAreaRings } from '../geo/area';
import { distanceM } from '../geo/distance';
import type { Area, LatLon } from '../model';

/** Default largest radius of an office area, in metres. */
export const DEFAULT_MAX_OFFICE_RADIUS_M = 5000;
const MAX_VERTICES = 200;

/** The distance from the area's centre to its farthest point, in metres (every ring's vertices). */
export function areaRadiusM(area: Area): number {
  if ('center' in area) return area.radiusM;
  const c = areaCenter(area);
  return Math.max(...area.coordinates.flat().map(([lon, lat]) => distanceM(c, { lat, lon })));
}

/** Throws `office_area_too_large` when the area is larger than an office may be. */
export function assertOfficeAreaSize(area: Area, maxRadiusM: number): void {
  const vertices = 'center' in area ? 0 : area.coordinates.reduce((n, ring) => n + ring.length, 0);
  const radius = areaRadiusM(area);
  if (vertices > MAX_VERTICES || radius > maxRadiusM) {
    throw new DomainError(
      'office_area_too_large',
      `an office area may reach at most ${maxRadiusM} m from its centre (this one ${Math.round(radius)} m, ${vertices} vertices, at most ${MAX_VERTICES})`,
      { radiusM: Math.round(radius), maxRadiusM },
    );
  }
}

/**
 * How far from its country an office's centre may seem to lie: a border post sits on the line,
 * and the 1:50m country map places a border only to about a kilometre (measured: the Malaba
 * post's area lies wholly on the Kenyan side of that map).
 */
export const BORDER_TOLERANCE_M = 5000;

/**
 * Points to test the area's country with: its centre and rings of eight points around it at
 * 2.5 and 5 km (BORDER_TOLERANCE_M). The area is in the country when one of them is.
 */
export function areaProbePoints(area: Area): LatLon[] {
  const c = areaCenter(area);
  const points: LatLon[] = [c];
  for (const r of [BORDER_TOLERANCE_M / 2, BORDER_TOLERANCE_M]) {
    const dLat = r / 111_320;
    const dLon = r / (111_320 * Math.max(0.1, Math.cos((c.lat * Math.PI) / 180)));
    for (let i = 0; i < 8; i++) {
      const a = (i * Math.PI) / 4;
      points.push({ lat: c.lat + dLat * Math.sin(a), lon: c.lon + dLon * Math.cos(a) });
    }
  }
  return points;
}

/**
 * The area rules of an office, wherever one comes from (registered here, edited, or named by a
 * partner's announcement): its later rings are holes inside the first (invalid_geometry), it is
 * of an office's size (office_area_too_large) and inside the country it claims
 * (office_outside_country). `countryAt` is the installation's country map.
 */
export function assertOfficeArea(
  office: { code: string; country: string; area: Area },
  maxRadiusM: number,
  countryAt: (p: LatLon) => string | null,
): void {
  assertAreaRings(office.area);
  assertOfficeAreaSize(office.area, maxRadiusM);
  if (!areaProbePoints(office.area).some((pt) => countryAt(pt) === office.country))
    throw new DomainError('office_outside_country', `the area of office ${office.code} is not in ${office.country}`, {
      field: 'area',
      country: office.country,
    });
}
