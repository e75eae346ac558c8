/**
 * A small TopoJSON decoder (TopoJSON specification 1.0): turns the world atlas Topology into
 * GeoJSON: the console's offline basemap and the server's country lookup (transit/country-at.ts)
 * both use it. Pure, no DOM.
 */
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

const decodedArcs = new WeakMap<Topology, Position[][]>();

/**
 * The topology's arcs as absolute [lon, lat] positions. A quantized topology (one with a
 * `transform`) stores each arc's first position as integers and every later one as the
 * difference from the previous (spec §2.1.3); both are undone here. Cached per topology.
 */
export function decodeArcs(topology: Topology): Position[][] {
  const cached = decodedArcs.get(topology);
  if (cached) return cached;
  const t = topology.transform;
  const arcs = topology.arcs.map((arc) => {
    if (!t) return arc.map((p) => [p[0], p[1]]);
    const [sx, sy] = t.scale;
    const [tx, ty] = t.translate;
    let x = 0;
    let y = 0;
    return arc.map((p) => {
      x += p[0];
      y += p[1];
      return [x * sx + tx, y * sy + ty];
    });
  });
  decodedArcs.set(topology, arcs);
  return arcs;
}

/**
 * The positions of arc `index`. A negative index `i` means arc `~i` (i.e. -i - 1) walked
 * backwards (spec §2.1.4), which is how two neighbouring polygons share one border.
 * Returns a fresh array.
 */
export function arcPoints(arcs: Position[][], index: number): Position[] {
  const arc = arcs[index < 0 ? ~index : index];
  if (!arc) throw new RangeError(`TopoJSON arc ${index} does not exist`);
  return index < 0 ? arc.slice().reverse() : arc.slice();
}

/**
 * Joins arcs into one line or ring. Consecutive arcs share their end and start position,
 * so that position is kept once.
 */
export function stitchArcs(arcs: Position[][], indices: number[]): Position[] {
  const out: Position[] = [];
  indices.forEach((index, k) => {
    const points = arcPoints(arcs, index);
    for (let i = k === 0 ? 0 : 1; i < points.length; i++) out.push(points[i]);
  });
  return out;
}

/** Point coordinates are quantized but never delta-encoded (spec §2.1.2). */
function decodePosition(topology: Topology, p: Position): Position {
  const t = topology.transform;
  if (!t) return [p[0], p[1]];
  return [p[0] * t.scale[0] + t.translate[0], p[1] * t.scale[1] + t.translate[1]];
}

/** One TopoJSON geometry object as a GeoJSON geometry, or null for a null geometry. */
export function decodeGeometry(topology: Topology, object: TopoGeometry): Geometry | null {
  const arcs = decodeArcs(topology);
  switch (object.type) {
    case 'Point':
      return { type: 'Point', coordinates: decodePosition(topology, object.coordinates) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: object.coordinates.map((p) => decodePosition(topology, p)) };
    case 'LineString':
      return { type: 'LineString', coordinates: stitchArcs(arcs, object.arcs) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: object.arcs.map((line) => stitchArcs(arcs, line)) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: object.arcs.map((ring) => stitchArcs(arcs, ring)) };
    case 'MultiPolygon':
      return {
        type: 'MultiPolygon',
        coordinates: object.arcs.map((polygon) => polygon.map((ring) => stitchArcs(arcs, ring))),
      };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: object.geometries.map((g) => decodeGeometry(topology, g)) };
    default:
      return null;
  }
}

function toFeature(topology: Topology, object: TopoGeometry): Feature {
  const f: Feature = { type: 'Feature', properties: object.properties ?? {}, geometry: decodeGeometry(topology, object) };
  if (object.id !== undefined) f.id = object.id;
  return f;
}

/**
 * A named object of the topology (or the object itself) as GeoJSON: a GeometryCollection
 * becomes a FeatureCollection with one Feature per member, any other geometry one Feature.
 */
export function feature(topology: Topology, object: TopoGeometry | string): Feature | FeatureCollection {
  const o = typeof object === 'string' ? topology.objects[object] : object;
  if (!o) throw new RangeError(`TopoJSON object ${String(object)} does not exist`);
  if (o.type === 'GeometryCollection') {
    return { type: 'FeatureCollection', features: o.geometries.map((g) => toFeature(topology, g)) };
  }
  return toFeature(topology, o);
}
