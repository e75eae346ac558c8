/** Types of map.js: Web Mercator projection and pure view arithmetic of the console map. */

/** GeoJSON order: [lon, lat] in WGS84 degrees. */
export type Position = number[];
/** World units (0..WORLD_SIZE) or screen pixels: [x, y]. */
export type Point = [number, number];
/** screen = world * k + (x, y) */
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
export interface ZoomLimits {
  minK?: number;
  maxK?: number;
}

export declare const WORLD_SIZE: number;
export declare const MAX_LAT: number;
export declare const EARTH_CIRCUMFERENCE_M: number;
export declare const MIN_K: number;
export declare const MAX_K: number;

/** [lon, lat] → world [x, y]; latitude clamped to ±MAX_LAT. */
export declare function project(position: Position): Point;
/** World [x, y] → [lon, lat]. */
export declare function unproject(point: Point): Point;
/** [lon, lat] → screen pixels. */
export declare function toScreen(view: View, position: Position): Point;
/** Screen pixels → [lon, lat]. */
export declare function fromScreen(view: View, point: Point): Point;
/** World units per metre at a latitude. */
export declare function metersToWorld(meters: number, lat: number): number;
/** Bounding box of the finite positions, or null when there are none. */
export declare function boundsOf(positions: Iterable<Position | null | undefined>): Bounds | null;
/** The view showing `bounds` centred in `size` with `padding` px free; zoom capped at `maxK`. */
export declare function fitBounds(
  bounds: Bounds,
  size: Size,
  options?: { padding?: number; maxK?: number; minK?: number },
): View;
/** Zoom by `factor` around a screen anchor, within limits. */
export declare function zoomAround(view: View, factor: number, anchor: Point, limits?: ZoomLimits): View;
/** Move the view by screen pixels. */
export declare function panBy(view: View, dx: number, dy: number): View;
/** Keep at least `margin` px of the world square in the viewport. */
export declare function clampView(view: View, size: Size, margin?: number): View;
/** A polygon's rings made drawable on a flat map (antimeridian-crossing rings unwrapped and duplicated). */
export declare function wrapPolygon(rings: Position[][]): Position[][][];
/** SVG path data in world units for a line of [lon, lat] positions. */
export declare function linePath(positions: Position[], digits?: number): string;
/** SVG path data in world units for polygons; draw with fill-rule evenodd. */
export declare function polygonPath(polygons: Position[][][], digits?: number): string;
