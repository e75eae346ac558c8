/**
 * Douglas-Peucker line simplification for display: which vertices of a track to keep so that no
 * dropped vertex lies farther than `toleranceM` from the simplified line. A map at a given zoom
 * cannot show detail below its pixel size, so a track drawn at that resolution needs a few hundred
 * vertices, not the 50,000 positions of a long trip (docs/performance.md).
 *
 * Distances are planar in a local equirectangular projection around the track's mean latitude:
 * within a country-sized track the error is far below any display tolerance, and it is ~50× cheaper
 * than geodesic distances. Iterative (an explicit stack), so a long track cannot overflow the call stack.
 */
import type { Meters } from '../ids';

const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Indices of the vertices to keep, ascending; always the first and the last. `lons`/`lats` in
 * WGS84 degrees, same length. A tolerance of 0 keeps every vertex that is not exactly on the line.
 */
export function simplifyTrack(lons: ArrayLike<number>, lats: ArrayLike<number>, toleranceM: Meters): number[] {
  const n = lons.length;
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  let latSum = 0;
  for (let i = 0; i < n; i++) latSum += lats[i];
  const kx = (Math.PI / 180) * EARTH_RADIUS_M * Math.cos(((latSum / n) * Math.PI) / 180);
  const ky = (Math.PI / 180) * EARTH_RADIUS_M;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = lons[i] * kx;
    y[i] = lats[i] * ky;
  }
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const tol2 = toleranceM * toleranceM;
  const stack: number[] = [0, n - 1];
  while (stack.length) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    let worst = -1;
    let worstD2 = tol2;
    for (let i = first + 1; i < last; i++) {
      const d2 = segmentDistance2(x[i], y[i], x[first], y[first], x[last], y[last]);
      if (d2 > worstD2) {
        worstD2 = d2;
        worst = i;
      }
    }
    if (worst < 0) continue;
    keep[worst] = 1;
    stack.push(first, worst, worst, last);
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(i);
  return out;
}

/** Squared distance from (px, py) to the segment (ax, ay)-(bx, by). */
function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}
