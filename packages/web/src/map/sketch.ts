/**
 * A shape drawn on the map: an office or stop area (polygon, or circle with a centre and a
 * radius) or a route (line). Plain functions of data, so the editor's clicks, drags, undo and
 * typed coordinates all go through the same few steps, and the result converts to the API's
 * `Area` and `LineString` (GeoJSON order [lon, lat], WGS84 degrees, metres).
 */
import { distanceM } from '@sealwatch/core/geo/distance';
import type { Area } from '../api/types';

export type SketchKind = 'polygon' | 'circle' | 'line';
export type LonLat = [number, number];

export interface Sketch {
  kind: SketchKind;
  /** Vertices in order; a circle has at most one: its centre. */
  points: LonLat[];
  /** A circle's radius in metres (0 until set). */
  radiusM: number;
}

/** A sketch with its earlier states, newest last, for undo. */
export interface SketchHistory {
  sketch: Sketch;
  past: Sketch[];
}

const EARTH_RADIUS_M = 6_371_008.8;
const MAX_UNDO = 100;

export const emptySketch = (kind: SketchKind): Sketch => ({ kind, points: [], radiusM: 0 });
export const historyOf = (sketch: Sketch): SketchHistory => ({ sketch, past: [] });

/** Applies an edit as one undoable step. */
export function push(h: SketchHistory, next: Sketch): SketchHistory {
  if (next === h.sketch) return h;
  return { sketch: next, past: [...h.past.slice(-(MAX_UNDO - 1)), h.sketch] };
}

/** Replaces the current state without a new undo step (the moves of one drag). */
export function replace(h: SketchHistory, next: Sketch): SketchHistory {
  return { sketch: next, past: h.past };
}

/** Back to the state before the last step; unchanged when there is none. */
export function undo(h: SketchHistory): SketchHistory {
  if (!h.past.length) return h;
  return { sketch: h.past[h.past.length - 1], past: h.past.slice(0, -1) };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const lonLat = (p: LonLat): LonLat => [round(p[0]), round(p[1])];
const metres = (a: LonLat, b: LonLat) => distanceM({ lat: a[1], lon: a[0] } as never, { lat: b[1], lon: b[0] } as never) as number;

/**
 * A click or a typed coordinate: a polygon or line gains a vertex at the end; a circle takes it
 * as its centre when it has none, else as a point of its rim (the radius is the distance to it).
 */
export function addPoint(s: Sketch, p: LonLat): Sketch {
  if (s.kind !== 'circle') return { ...s, points: [...s.points, lonLat(p)] };
  if (!s.points.length) return { ...s, points: [lonLat(p)] };
  return { ...s, radiusM: Math.round(metres(s.points[0], p)) };
}

/** The points the user can drag: the vertices; for a circle its centre and a rim handle east of it. */
export function handlesOf(s: Sketch): LonLat[] {
  if (s.kind !== 'circle') return s.points;
  if (!s.points.length) return [];
  return s.radiusM > 0 ? [s.points[0], rimPoint(s.points[0], s.radiusM)] : [s.points[0]];
}

/** The point `radiusM` metres due east of `centre`. */
export function rimPoint(centre: LonLat, radiusM: number): LonLat {
  const dLon = (radiusM / (EARTH_RADIUS_M * Math.cos((centre[1] * Math.PI) / 180))) * (180 / Math.PI);
  return [centre[0] + dLon, centre[1]];
}

/** Drags handle `i` to `p`: a vertex moves; a circle's centre moves (radius kept) or its rim handle sets the radius. */
export function moveHandle(s: Sketch, i: number, p: LonLat): Sketch {
  if (s.kind === 'circle') {
    if (i === 0) return { ...s, points: [lonLat(p)] };
    return s.points.length ? { ...s, radiusM: Math.max(1, Math.round(metres(s.points[0], p))) } : s;
  }
  if (i < 0 || i >= s.points.length) return s;
  const points = s.points.slice();
  points[i] = lonLat(p);
  return { ...s, points };
}

/** Removes vertex `i` (a circle's centre removes the circle). */
export function removePoint(s: Sketch, i: number): Sketch {
  if (s.kind === 'circle') return emptySketch('circle');
  return { ...s, points: s.points.filter((_, k) => k !== i) };
}

export function setRadius(s: Sketch, radiusM: number): Sketch {
  return Number.isFinite(radiusM) && radiusM >= 0 ? { ...s, radiusM: Math.round(radiusM) } : s;
}

/** The API area of a finished polygon (at least 3 vertices, ring closed) or circle (centre and radius), else null. */
export function sketchToArea(s: Sketch): Area | null {
  if (s.kind === 'circle') {
    const c = s.points[0];
    return c && s.radiusM > 0 ? { center: { lat: c[1], lon: c[0] }, radiusM: s.radiusM } : null;
  }
  if (s.kind !== 'polygon' || s.points.length < 3) return null;
  return { type: 'Polygon', coordinates: [[...s.points, s.points[0]]] };
}

/** A sketch of an API area (the polygon's outer ring, without its closing vertex). */
export function areaToSketch(a: Area): Sketch {
  if ('center' in a) return { kind: 'circle', points: [[a.center.lon, a.center.lat]], radiusM: a.radiusM };
  const ring = (a.coordinates[0] ?? []).map((p) => [p[0], p[1]] as LonLat);
  const [f, l] = [ring[0], ring[ring.length - 1]];
  if (ring.length > 1 && f[0] === l[0] && f[1] === l[1]) ring.pop();
  return { kind: 'polygon', points: ring, radiusM: 0 };
}

/** The route of a line of at least 2 vertices, else null. */
export function sketchToLine(s: Sketch): { type: 'LineString'; coordinates: [number, number][] } | null {
  return s.kind === 'line' && s.points.length >= 2 ? { type: 'LineString', coordinates: s.points.map((p) => [p[0], p[1]]) } : null;
}

export function lineToSketch(coordinates: readonly (readonly number[])[]): Sketch {
  return { kind: 'line', points: coordinates.map((p) => [p[0], p[1]] as LonLat), radiusM: 0 };
}

/**
 * A typed coordinate, latitude first as people write it: "-4.05, 39.66", "-4.05 39.66" or
 * "-4.05;39.66". Returns [lon, lat], or null when it is not two numbers within ±90 and ±180.
 */
export function parseLatLon(text: string): LonLat | null {
  const m = /^\s*([-+]?\d+(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? [lon, lat] : null;
}

/** The index of the handle within `tolerancePx` of screen point `at`, nearest first; -1 for none. */
export function handleAt(screen: readonly LonLat[], at: LonLat, tolerancePx = 10): number {
  let best = -1;
  let bestD = tolerancePx;
  screen.forEach((p, i) => {
    const d = Math.hypot(p[0] - at[0], p[1] - at[1]);
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  });
  return best;
}
