import { mulberry32 } from '../random/seeded';
/**
 * Builders for the transit detector tests: real-ish tracks on the Mombasa–Nairobi road (A109),
 * seeded noise and shuffles. Test support only (not exported from the package index); seeded,
 * so every run of a test sees the same data.
 */
import type { Timestamp } from '../ids';
import { toTimestamp } from '../ids';
import type { LatLon } from '../model';
import { EARTH_RADIUS_M } from '../geo/distance';
import { pointAlongLine } from '../geo/polyline';
import type { TrackObservation } from './track';

/** Start of every test scenario. */
export const T0 = Date.parse('2026-11-26T06:00:00.000Z');
/** The timestamp `s` seconds after T0. */
export const at = (s: number): Timestamp => toTimestamp(T0 + s * 1000);

/** Mombasa (Changamwe) → Mariakani → Voi → Mtito Andei → Emali → Athi River → Nairobi ICD, [lon, lat]. */
export const A109: number[][] = [
  [39.63, -4.03],
  [39.55, -3.97],
  [39.47, -3.86],
  [39.28, -3.77],
  [39.04, -3.73],
  [38.74, -3.55],
  [38.56, -3.39],
  [38.47, -2.99],
  [38.17, -2.69],
  [37.97, -2.42],
  [37.82, -2.28],
  [37.47, -2.08],
  [37.38, -2.02],
  [37.25, -1.82],
  [36.98, -1.46],
  [36.91, -1.33],
];

/** One row of a track: latitude, longitude, seconds after T0, and optionally accuracy in metres. */
export type TrackRow = [lat: number, lon: number, s: number, accuracyM?: number];

/** Observations from rows; `seq` numbers them in row order. */
export function buildTrack(rows: readonly TrackRow[], device = 'LOCK-1'): TrackObservation[] {
  return rows.map(([lat, lon, s, accuracy], i) => ({
    time: at(s),
    device,
    seq: i + 1,
    position: accuracy === undefined ? { lat, lon } : { lat, lon, accuracy },
  }));
}

/** Observations without a position (seal or battery reports), at the given seconds. */
export function buildReports(seconds: readonly number[], device = 'LOCK-1'): TrackObservation[] {
  return seconds.map((s, i) => ({ time: at(s), device, seq: 10_000 + i, position: null }));
}

/** Mulberry32, seeded: the one generator of the project (core/random). */
export const seededRandom = mulberry32;

/** A seeded Fisher–Yates shuffle (a copy). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const rnd = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The point `m` metres from `p` on the initial bearing `bearingDeg`. */
export function offsetPoint(p: LatLon, bearingDeg: number, m: number): LatLon {
  const d = m / EARTH_RADIUS_M,
    b = (bearingDeg * Math.PI) / 180;
  const la = (p.lat * Math.PI) / 180,
    lo = (p.lon * Math.PI) / 180;
  const lat2 = Math.asin(Math.sin(la) * Math.cos(d) + Math.cos(la) * Math.sin(d) * Math.cos(b));
  const lon2 = lo + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(la), Math.cos(d) - Math.sin(la) * Math.sin(lat2));
  return { lat: (lat2 * 180) / Math.PI, lon: (lon2 * 180) / Math.PI };
}

/** The point `alongM` metres along `route`, moved `sideM` metres to the right of travel (negative: left). */
export function routePoint(route: readonly number[][], alongM: number, sideM = 0): LatLon {
  const p = pointAlongLine(route, alongM);
  return sideM === 0 ? { lat: p.lat, lon: p.lon } : offsetPoint(p, p.headingDeg + 90, sideM);
}

export interface DriveOptions {
  fromM: number;
  toM: number;
  startS: number;
  speedKmh?: number;
  intervalS?: number;
  /** Metres to the right of the route (negative: left); a function of the distance along for a detour. */
  sideM?: number | ((alongM: number) => number);
  /** Uniform jitter in metres (seeded). */
  noiseM?: number;
  seed?: number;
  accuracyM?: number;
}

/** Rows of a vehicle driving along the route from `fromM` to `toM` (inclusive ends). */
export function drive(route: readonly number[][], o: DriveOptions): TrackRow[] {
  const speed = (o.speedKmh ?? 60) / 3.6,
    interval = o.intervalS ?? 30,
    rnd = seededRandom(o.seed ?? 1);
  const rows: TrackRow[] = [];
  const steps = Math.floor((o.toM - o.fromM) / (speed * interval) + 1e-9);
  for (let k = 0; k <= steps; k++) {
    const along = o.fromM + k * speed * interval;
    const side = typeof o.sideM === 'function' ? o.sideM(along) : (o.sideM ?? 0);
    let p = routePoint(route, along, side);
    if (o.noiseM) p = offsetPoint(p, rnd() * 360, rnd() * o.noiseM);
    rows.push(o.accuracyM === undefined ? [p.lat, p.lon, o.startS + k * interval] : [p.lat, p.lon, o.startS + k * interval, o.accuracyM]);
  }
  return rows;
}

/** Rows of a vehicle standing at `p` with GNSS jitter up to `noiseM`, from `startS` for `durationS`. */
export function dwell(p: LatLon, o: { startS: number; durationS: number; intervalS?: number; noiseM?: number; seed?: number }): TrackRow[] {
  const rnd = seededRandom(o.seed ?? 7),
    interval = o.intervalS ?? 60,
    rows: TrackRow[] = [];
  for (let s = 0; s <= o.durationS; s += interval) {
    const q = offsetPoint(p, rnd() * 360, rnd() * (o.noiseM ?? 10));
    rows.push([q.lat, q.lon, o.startS + s]);
  }
  return rows;
}
