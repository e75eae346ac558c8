/**
 * A segment index over a route LineString: the distance from a point to the route and the
 * position along it, in near O(1) per query for routes of thousands of vertices.
 *
 * The segments are rasterised into uniform grids (a fine one and a 16 times coarser one for far
 * queries) in an equirectangular projection of the route's bounding box. A query scans rings
 * of cells outwards from its own cell and stops once no unseen cell can hold anything nearer
 * than the best segment found; the candidates are
 * measured in a projection centred on the query and the final distance is a haversine one.
 * Longitudes are unwrapped, so a route across the antimeridian works.
 */
import type { LatLon } from '../model';
import { DomainError } from '../errors';
import { EARTH_RADIUS_M, distanceM } from '../geo/distance';
import type { LineCoordinates } from '../geo/polyline';

/** The point of the route nearest to a query point. */
export interface RouteMatch {
  /** Metres from the query point to the route (haversine to the nearest point). */
  distanceM: number;
  /** Metres from the start of the route to the nearest point, as `pointAlongLine` counts them. */
  alongM: number;
  /** Index of the segment [coords[i], coords[i + 1]] holding the nearest point. */
  segmentIndex: number;
  point: LatLon;
  /** Segments measured to answer this query (a cost figure for benchmarks and tests). */
  segmentsExamined: number;
}

/** A route prepared for nearest-point queries. Immutable once built; build it once per movement. */
export interface RouteIndex {
  /** Total length in metres (sum of the great-circle legs, as `lineLengthM`). */
  readonly lengthM: number;
  readonly vertexCount: number;
  /** The nearest point of the route to `p`. */
  nearest(p: LatLon): RouteMatch;
}

const RAD = Math.PI / 180;
const M_PER_DEG = EARTH_RADIUS_M * RAD;

/**
 * Builds the index of a GeoJSON LineString's coordinates ([lon, lat] pairs). `cellSizeM`
 * overrides the fine grid cell in metres (default: two mean segment lengths, at least 50 m).
 * With the default cell, memory is O(vertices) whatever the shape of the route (only crossed
 * cells are stored). Throws `invalid_geometry` when the line is empty or holds a bad position.
 */
export function buildRouteIndex(coords: LineCoordinates, options: { cellSizeM?: number } = {}): RouteIndex {
  if (!Array.isArray(coords) || coords.length === 0)
    throw new DomainError('invalid_geometry', 'a route needs at least one [lon, lat] position');
  const n = coords.length;
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const cum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = coords[i];
    if (!Array.isArray(c) || !Number.isFinite(c[0]) || !Number.isFinite(c[1]) || Math.abs(c[1]) > 90) {
      throw new DomainError('invalid_geometry', `not a [lon, lat] position: ${JSON.stringify(c)}`);
    }
    lat[i] = c[1];
    lon[i] = i === 0 ? c[0] : unwrap(c[0], lon[i - 1]);
    if (i > 0) cum[i] = cum[i - 1] + distanceM({ lat: lat[i - 1], lon: lon[i - 1] }, { lat: lat[i], lon: lon[i] });
  }
  let minLat = Infinity,
    maxLat = -Infinity,
    minLon = Infinity,
    maxLon = -Infinity;
  for (let i = 0; i < n; i++) {
    minLat = Math.min(minLat, lat[i]);
    maxLat = Math.max(maxLat, lat[i]);
    minLon = Math.min(minLon, lon[i]);
    maxLon = Math.max(maxLon, lon[i]);
  }
  const lon0 = (minLon + maxLon) / 2;
  // Project with the widest parallel of the box: projected east-west distances then never
  // understate true ones by more than the cos ratio used in the stopping rule below.
  const cos0 = Math.cos((minLat <= 0 && maxLat >= 0 ? 0 : Math.min(Math.abs(minLat), Math.abs(maxLat))) * RAD);
  const px = (lo: number) => (lo - lon0) * M_PER_DEG * cos0;
  const py = (la: number) => la * M_PER_DEG;
  const xs = new Float64Array(n),
    ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = px(lon[i]) - px(minLon);
    ys[i] = py(lat[i]) - py(minLat);
  }
  const width = px(maxLon) - px(minLon),
    height = py(maxLat) - py(minLat);
  // Fine cells of about two mean segments answer queries near the route from a few cells; a
  // coarse grid 16 times wider keeps far queries (a truck tens of kilometres off) cheap too.
  const fineCell = options.cellSizeM ?? Math.max((2 * cum[n - 1]) / Math.max(1, n - 1), 50);
  const fine = rasterise(xs, ys, width, height, fineCell);
  const coarse = rasterise(xs, ys, width, height, fineCell * 16);

  const seen = new Uint32Array(Math.max(1, n - 1));
  let stamp = 0;

  function nearest(p: LatLon): RouteMatch {
    const qlon = unwrap(p.lon, lon0);
    if (n === 1)
      return {
        distanceM: distanceM(p, { lat: lat[0], lon: lon[0] }),
        alongM: 0,
        segmentIndex: 0,
        point: normalised(lat[0], lon[0]),
        segmentsExamined: 0,
      };
    if (++stamp === 0xffffffff) {
      seen.fill(0);
      stamp = 1;
    }
    const qx = px(qlon) - px(minLon),
      qy = py(p.lat) - py(minLat);
    // Lower bound of true/projected distance over the latitudes involved, with 2% to spare.
    const cosMin = Math.min(Math.cos(Math.min(minLat, p.lat) * RAD), Math.cos(Math.max(maxLat, p.lat) * RAD));
    const scale = (0.98 * cosMin) / cos0;
    const kq = Math.cos(p.lat * RAD);
    let best: RouteMatch = { distanceM: Infinity, alongM: 0, segmentIndex: 0, point: p, segmentsExamined: 0 };
    let examined = 0;
    const measure = (i: number) => {
      if (seen[i] === stamp) return;
      seen[i] = stamp;
      examined++;
      // Foot of the perpendicular in a projection centred on the query, then a haversine distance.
      const ax = (lon[i] - qlon) * kq,
        ay = lat[i] - p.lat,
        dx = (lon[i + 1] - lon[i]) * kq,
        dy = lat[i + 1] - lat[i];
      const len2 = dx * dx + dy * dy;
      const f = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
      const foot = { lat: lat[i] + (lat[i + 1] - lat[i]) * f, lon: lon[i] + (lon[i + 1] - lon[i]) * f };
      const d = distanceM({ lat: p.lat, lon: qlon }, foot);
      if (d < best.distanceM)
        best = {
          distanceM: d,
          alongM: cum[i] + (cum[i + 1] - cum[i]) * f,
          segmentIndex: i,
          point: normalised(foot.lat, foot.lon),
          segmentsExamined: 0,
        };
    };
    /** Rings of cells outwards from the query's cell; false when `maxRings` ran out first. */
    const search = (g: Grid, maxRings: number): boolean => {
      const cx = Math.floor(qx / g.cell),
        cy = Math.floor(qy / g.cell);
      const visit = (ix: number, iy: number) => {
        const list = g.cells.get(iy * g.nx + ix);
        if (list) for (const i of list) measure(i);
      };
      const firstRing = Math.max(0, cx - (g.nx - 1), -cx, cy - (g.ny - 1), -cy);
      const lastRing = Math.max(cx, g.nx - 1 - cx, cy, g.ny - 1 - cy);
      for (let r = firstRing; r <= lastRing; r++) {
        // Every cell of ring r is at least (r - 1) cells from the query point.
        if (best.distanceM <= (r - 1) * g.cell * scale) return true;
        if (r - firstRing >= maxRings) return false;
        const x0 = Math.max(0, cx - r),
          x1 = Math.min(g.nx - 1, cx + r);
        if (cy - r >= 0) for (let ix = x0; ix <= x1; ix++) visit(ix, cy - r);
        if (r > 0 && cy + r < g.ny) for (let ix = x0; ix <= x1; ix++) visit(ix, cy + r);
        for (let iy = Math.max(0, cy - r + 1); iy <= Math.min(g.ny - 1, cy + r - 1); iy++) {
          if (cx - r >= 0) visit(cx - r, iy);
          if (r > 0 && cx + r < g.nx) visit(cx + r, iy);
        }
      }
      return true;
    };
    if (!search(fine, 12)) search(coarse, Infinity);
    return { ...best, segmentsExamined: examined };
  }

  return { lengthM: cum[n - 1], vertexCount: n, nearest };
}

/** The longitude shifted by whole turns to lie within 180° of `ref`. */
function unwrap(lon: number, ref: number): number {
  return lon - 360 * Math.round((lon - ref) / 360);
}
function normalised(la: number, lo: number): LatLon {
  return { lat: la, lon: ((((lo + 180) % 360) + 360) % 360) - 180 };
}
interface Grid {
  cell: number;
  nx: number;
  ny: number;
  /** Segment indexes by cell key iy * nx + ix; only cells a segment crosses are stored. */
  cells: Map<number, number[]>;
}

/** Registers every segment in each grid cell it crosses (projected metres from the box corner). */
function rasterise(xs: Float64Array, ys: Float64Array, width: number, height: number, cell: number): Grid {
  const nx = Math.floor(width / cell) + 1,
    ny = Math.floor(height / cell) + 1;
  const cells = new Map<number, number[]>();
  for (let i = 0; i + 1 < xs.length; i++) {
    const ax = xs[i],
      ay = ys[i],
      bx = xs[i + 1],
      by = ys[i + 1];
    // Pieces no longer than a cell: each piece's bounding box covers every cell it crosses.
    const pieces = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / cell));
    for (let k = 0; k < pieces; k++) {
      const f0 = k / pieces,
        f1 = (k + 1) / pieces;
      const x0 = ax + (bx - ax) * f0,
        x1 = ax + (bx - ax) * f1,
        y0 = ay + (by - ay) * f0,
        y1 = ay + (by - ay) * f1;
      for (let iy = cellOf(Math.min(y0, y1), cell, ny); iy <= cellOf(Math.max(y0, y1), cell, ny); iy++) {
        for (let ix = cellOf(Math.min(x0, x1), cell, nx); ix <= cellOf(Math.max(x0, x1), cell, nx); ix++) {
          const list = cells.get(iy * nx + ix);
          if (!list) cells.set(iy * nx + ix, [i]);
          else if (list[list.length - 1] !== i) list.push(i);
        }
      }
    }
  }
  return { cell, nx, ny, cells };
}

function cellOf(v: number, cell: number, count: number): number {
  return Math.min(count - 1, Math.max(0, Math.floor(v / cell)));
}
