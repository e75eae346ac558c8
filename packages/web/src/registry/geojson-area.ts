/**
 * Reads an office area from GeoJSON text: a Polygon, a Feature with one, the first Polygon of a
 * FeatureCollection or of a MultiPolygon, or the API's own circle `{center:{lat,lon}, radiusM}`.
 * Rings are closed if the file left them open. Returns the area or an error to show.
 */
import type { Area } from '../api/types';

type Ring = [number, number][];
type Result = { ok: true; area: Area } | { ok: false; error: string };

const isPosition = (p: unknown): p is [number, number] =>
  Array.isArray(p) &&
  p.length >= 2 &&
  p.slice(0, 2).every((n) => typeof n === 'number' && Number.isFinite(n)) &&
  Math.abs(p[0]) <= 180 &&
  Math.abs(p[1]) <= 90;

function polygon(coords: unknown): Result {
  if (!Array.isArray(coords) || coords.length === 0) return { ok: false, error: 'a Polygon needs at least one ring' };
  const rings: Ring[] = [];
  for (const ring of coords) {
    if (!Array.isArray(ring) || !ring.every(isPosition)) return { ok: false, error: 'positions must be [lon, lat] within ±180, ±90' };
    const r = ring.map((p) => [p[0], p[1]] as [number, number]);
    const [a, b] = [r[0], r[r.length - 1]];
    if (a && b && (a[0] !== b[0] || a[1] !== b[1])) r.push([a[0], a[1]]);
    if (r.length < 4) return { ok: false, error: 'a ring needs at least 3 distinct positions' };
    rings.push(r);
  }
  return { ok: true, area: { type: 'Polygon', coordinates: rings } };
}

export function parseArea(text: string): Result {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})` };
  }
  return areaOf(json);
}

function areaOf(x: unknown): Result {
  if (!x || typeof x !== 'object') return { ok: false, error: 'not a GeoJSON object' };
  const o = x as Record<string, unknown>;
  if ('center' in o && 'radiusM' in o) {
    const c = o.center as { lat?: unknown; lon?: unknown };
    const r = o.radiusM;
    if (typeof c?.lat !== 'number' || typeof c?.lon !== 'number' || typeof r !== 'number' || !(r > 0))
      return { ok: false, error: 'a circle needs center {lat, lon} and a positive radiusM' };
    return { ok: true, area: { center: { lat: c.lat, lon: c.lon }, radiusM: r } };
  }
  switch (o.type) {
    case 'Polygon':
      return polygon(o.coordinates);
    case 'MultiPolygon':
      return Array.isArray(o.coordinates) && o.coordinates.length ? polygon(o.coordinates[0]) : { ok: false, error: 'empty MultiPolygon' };
    case 'Feature':
      return areaOf(o.geometry);
    case 'FeatureCollection': {
      const features = Array.isArray(o.features) ? o.features : [];
      for (const f of features) {
        const r = areaOf(f);
        if (r.ok) return r;
      }
      return { ok: false, error: 'no Polygon feature in the collection' };
    }
    default:
      return { ok: false, error: `unsupported GeoJSON type ${String(o.type)}` };
  }
}
