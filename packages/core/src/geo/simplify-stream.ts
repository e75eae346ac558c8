/**
 * Douglas-Peucker over a track that arrives in time order and may be far too long to hold (a
 * year of a device's positions): positions are buffered up to `chunk` at a time, each full buffer
 * is simplified on its own and its kept positions are passed on, and the buffer's last position
 * opens the next one. Every dropped position lies between two kept positions of the same chunk,
 * within `toleranceM` of the segment joining them, so the bound of `simplifyTrack` holds for the
 * whole line; the price is at most one extra vertex per chunk. Memory: `chunk` positions.
 */
import type { Meters } from '../ids';
import { simplifyTrack } from './simplify';

export interface TrackSimplifier<P> {
  /** Adds the next position; `mustKeep` keeps it whatever its distance (a change of seal state). */
  push(p: P, mustKeep?: boolean): void;
  /** Passes on what is still buffered; the last position pushed is always kept. */
  end(): void;
}

/** Where a position's coordinates are, for positions that are not `{ lon, lat }` objects (WGS84 degrees). */
export interface PositionCoordinates<P> {
  lon(p: P): number;
  lat(p: P): number;
}

/**
 * A simplifier that calls `keep` once per kept position, in push order; the first and the last
 * positions are always kept. `chunk` ≥ 2 (default 8,192: a few hundred kilobytes). Positions are
 * `{ lon, lat }` objects, or anything `coordinates` reads them from.
 */
export function streamSimplifier<P extends { lon: number; lat: number }>(
  toleranceM: Meters,
  keep: (p: P) => void,
  chunk?: number,
): TrackSimplifier<P>;
export function streamSimplifier<P>(
  toleranceM: Meters,
  keep: (p: P) => void,
  chunk: number | undefined,
  coordinates: PositionCoordinates<P>,
): TrackSimplifier<P>;
export function streamSimplifier<P>(
  toleranceM: Meters,
  keep: (p: P) => void,
  chunk = 8192,
  coordinates: PositionCoordinates<P> = objectCoordinates as PositionCoordinates<P>,
): TrackSimplifier<P> {
  const size = Math.max(2, chunk);
  let buffer: P[] = [];
  const flush = (last: boolean) => {
    if (buffer.length === 0) return;
    const kept = simplifyTrack(buffer.map(coordinates.lon), buffer.map(coordinates.lat), toleranceM);
    // The buffer's last position is always kept; unless the track ends here, it opens the next buffer instead.
    const upTo = last ? kept.length : kept.length - 1;
    for (let k = 0; k < upTo; k++) keep(buffer[kept[k]]);
    buffer = last ? [] : [buffer[buffer.length - 1]];
  };
  return {
    push(p, mustKeep = false) {
      buffer.push(p);
      // A position that must stay ends a chunk: the line is split there, so the bound holds on both sides.
      if (mustKeep || buffer.length >= size) flush(false);
    },
    end() {
      flush(true);
    },
  };
}

const objectCoordinates: PositionCoordinates<{ lon: number; lat: number }> = { lon: (p) => p.lon, lat: (p) => p.lat };
