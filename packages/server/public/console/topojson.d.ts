/** Types of topojson.js: a small TopoJSON 1.0 decoder (Topology → GeoJSON). */

/** [lon, lat] in decoded output; quantized integers (delta-encoded in arcs) in a topology. */
export type Position = number[];

export interface Transform {
  scale: [number, number];
  translate: [number, number];
}

interface TopoBase {
  id?: string | number;
  properties?: Record<string, unknown>;
}
export type TopoGeometry =
  | (TopoBase & { type: 'Point'; coordinates: Position })
  | (TopoBase & { type: 'MultiPoint'; coordinates: Position[] })
  | (TopoBase & { type: 'LineString'; arcs: number[] })
  | (TopoBase & { type: 'MultiLineString'; arcs: number[][] })
  | (TopoBase & { type: 'Polygon'; arcs: number[][] })
  | (TopoBase & { type: 'MultiPolygon'; arcs: number[][][] })
  | (TopoBase & { type: 'GeometryCollection'; geometries: TopoGeometry[] })
  | (TopoBase & { type: null });

export interface Topology {
  type: 'Topology';
  bbox?: number[];
  transform?: Transform;
  arcs: Position[][];
  objects: Record<string, TopoGeometry>;
}

export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: (Geometry | null)[] };

export interface Feature {
  type: 'Feature';
  id?: string | number;
  properties: Record<string, unknown>;
  geometry: Geometry | null;
}
export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

/** The arcs as absolute [lon, lat] positions (quantization and delta encoding undone). Cached. */
export declare function decodeArcs(topology: Topology): Position[][];
/** Positions of arc `index`; a negative index `i` is arc `~i` reversed. A fresh array. */
export declare function arcPoints(arcs: Position[][], index: number): Position[];
/** Joins arcs into one line or ring, keeping each shared junction position once. */
export declare function stitchArcs(arcs: Position[][], indices: number[]): Position[];
/** One geometry object as GeoJSON; null for a null geometry. */
export declare function decodeGeometry(topology: Topology, object: TopoGeometry): Geometry | null;
/** A GeometryCollection (by name or object) as a FeatureCollection, any other object as a Feature. */
export declare function feature(
  topology: Topology,
  object: TopoGeometry | string,
): Feature | FeatureCollection;
