/**
 * Web Mercator projection and the pure view arithmetic of the console map (no DOM).
 * Positions are GeoJSON order [lon, lat] in WGS84 degrees. "World" units put the whole
 * Mercator square into 0..WORLD_SIZE on both axes (y grows southwards, as on screen).
 * A view { k, x, y } maps world to screen pixels: screen = world * k + (x, y).
 */
export type Position = [number, number] | number[];
export interface View {
  k: number;
  x: number;
  y: number;
}
export interface Size {
  width: number;
  height: number;
}
export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

export const WORLD_SIZE = 256;
/** Latitude where the Mercator square ends (EPSG:3857). */
export const MAX_LAT = 85.0511287798066;
/** Equatorial circumference of the WGS84 ellipsoid, metres. */
export const EARTH_CIRCUMFERENCE_M = 2 * Math.PI * 6378137;
/** Zoom limits: a 256 px world at k = 1; k = 2^14 is about 2.4 m per pixel at the equator. */
export const MIN_K = 0.5;
export const MAX_K = 2 ** 14;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** [lon, lat] → world [x, y]. Latitude is clamped to ±MAX_LAT. */
export function project(position: Position): [number, number] {
  const lon = position[0];
  const lat = clamp(position[1], -MAX_LAT, MAX_LAT);
  const phi = (lat * Math.PI) / 180;
  const x = ((lon + 180) / 360) * WORLD_SIZE;
  const y = (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)) * WORLD_SIZE;
  return [x, y];
}

/** World [x, y] → [lon, lat]. */
export function unproject(point: Position): [number, number] {
  const lon = (point[0] / WORLD_SIZE) * 360 - 180;
  const n = Math.PI * (1 - (2 * point[1]) / WORLD_SIZE);
  const lat = (Math.atan(Math.sinh(n)) * 180) / Math.PI;
  return [lon, lat];
}

/** [lon, lat] → screen pixels under `view`. */
export function toScreen(view: View, position: Position): [number, number] {
  const [x, y] = project(position);
  return [x * view.k + view.x, y * view.k + view.y];
}

/** Screen pixels → [lon, lat] under `view`. */
export function fromScreen(view: View, point: Position): [number, number] {
  return unproject([(point[0] - view.x) / view.k, (point[1] - view.y) / view.k]);
}

/** World units per metre at a latitude (Mercator stretches distances by 1 / cos φ). */
export function metersToWorld(meters: number, lat: number): number {
  const cos = Math.cos((clamp(lat, -MAX_LAT, MAX_LAT) * Math.PI) / 180);
  return (meters * WORLD_SIZE) / (EARTH_CIRCUMFERENCE_M * cos);
}

/** The bounding box { west, south, east, north } of positions, or null when there are none. */
export function boundsOf(positions: Iterable<Position | null | undefined>): Bounds | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const p of positions) {
    if (!p || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) continue;
    west = Math.min(west, p[0]);
    east = Math.max(east, p[0]);
    south = Math.min(south, p[1]);
    north = Math.max(north, p[1]);
  }
  return west === Infinity ? null : { west, south, east, north };
}

/**
 * The view that shows `bounds` as large as possible, centred, inside a viewport of
 * `size` { width, height } with `padding` pixels kept free on every side. A single point
 * or a tiny box is shown at `maxK` at most, so it is not zoomed to street level.
 */
export function fitBounds(bounds: Bounds, size: Size, options: { padding?: number; maxK?: number; minK?: number } = {}): View {
  const padding = options.padding ?? 40;
  const maxK = options.maxK ?? 2 ** 10;
  const minK = options.minK ?? MIN_K;
  const [x0, y0] = project([bounds.west, bounds.north]);
  const [x1, y1] = project([bounds.east, bounds.south]);
  const innerW = Math.max(1, size.width - 2 * padding);
  const innerH = Math.max(1, size.height - 2 * padding);
  const w = Math.max(x1 - x0, 1e-9);
  const h = Math.max(y1 - y0, 1e-9);
  const k = clamp(Math.min(innerW / w, innerH / h), minK, maxK);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return { k, x: size.width / 2 - cx * k, y: size.height / 2 - cy * k };
}

/** Zooms by `factor` keeping the world point under screen `anchor` [x, y] in place. */
export function zoomAround(view: View, factor: number, anchor: Position, limits: { minK?: number; maxK?: number } = {}): View {
  const k = clamp(view.k * factor, limits.minK ?? MIN_K, limits.maxK ?? MAX_K);
  const f = k / view.k;
  return { k, x: anchor[0] - (anchor[0] - view.x) * f, y: anchor[1] - (anchor[1] - view.y) * f };
}

/** Moves the view by screen pixels. */
export function panBy(view: View, dx: number, dy: number): View {
  return { k: view.k, x: view.x + dx, y: view.y + dy };
}

/**
 * The view that keeps `position` [lon, lat] in sight: unchanged while its screen point lies at least
 * `margin` pixels inside the viewport, else panned (same zoom) to centre it. A replay calls it at
 * each step, so the map follows the truck in jumps of half a screen rather than at every frame.
 */
export function keepInView(view: View, size: Size, position: Position, margin: number): View {
  const [sx, sy] = toScreen(view, position);
  const m = Math.max(0, Math.min(margin, size.width / 2 - 1, size.height / 2 - 1));
  if (sx >= m && sx <= size.width - m && sy >= m && sy <= size.height - m) return view;
  return panBy(view, size.width / 2 - sx, size.height / 2 - sy);
}

/** Keeps at least `margin` pixels of the world square inside the viewport, so it cannot be lost. */
export function clampView(view: View, size: Size, margin = 64): View {
  const span = WORLD_SIZE * view.k;
  return {
    k: view.k,
    x: clamp(view.x, margin - span, size.width - margin),
    y: clamp(view.y, margin - span, size.height - margin),
  };
}

/**
 * Makes a polygon's rings drawable on a flat map. Natural Earth rings that cross the
 * antimeridian jump from +180 to -180 (Fiji, Chukotka); those are unwrapped to run past
 * ±180 and returned once more, shifted by 360° the other way, so that a clip to the world
 * square shows both halves. A ring that encircles a pole (Antarctica) is already planar and is
 * kept as it is. Returns a list of polygons (each a list of rings).
 */
export function wrapPolygon(rings: Position[][]): Position[][][] {
  let east = false;
  let west = false;
  const unwrapped = rings.map((ring) => {
    const out: Position[] = [];
    let offset = 0;
    for (let i = 0; i < ring.length; i++) {
      if (i > 0) {
        const d = ring[i][0] - ring[i - 1][0];
        if (d > 180) offset -= 360;
        else if (d < -180) offset += 360;
      }
      out.push([ring[i][0] + offset, ring[i][1]]);
    }
    if (offset !== 0) return ring; // circles a pole: planar already
    if (out.some((p) => p[0] > 180)) east = true;
    if (out.some((p) => p[0] < -180)) west = true;
    return out;
  });
  if (!east && !west) return [rings];
  const shift = (d: number) => unwrapped.map((ring) => ring.map((p) => [p[0] + d, p[1]]));
  const polygons = [unwrapped];
  if (east) polygons.push(shift(-360));
  if (west) polygons.push(shift(360));
  return polygons;
}

/**
 * The tolerance (m) to ask GET /movements/{id}/track for at zoom `k`: one screen pixel at the
 * equator (finer elsewhere, so the line never looks simplified), rounded to a power of two so that
 * small zooms do not ask again, within the API's 1..100,000 m.
 */
export function trackTolerance(k: number): number {
  const metresPerPixel = EARTH_CIRCUMFERENCE_M / (WORLD_SIZE * k);
  return Math.min(65_536, Math.max(1, 2 ** Math.floor(Math.log2(metresPerPixel))));
}
