// Unit tests of the console's pure map and stream modules: the TopoJSON decoder, the Web
// Mercator projection and view fitting, and the SSE wire-format parser.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import {
  boundsOf,
  clampView,
  fitBounds,
  fromScreen,
  keepInView,
  metersToWorld,
  panBy,
  project,
  toScreen,
  trackTolerance,
  unproject,
  wrapPolygon,
  zoomAround,
  WORLD_SIZE,
} from './projection';
import { createSseParser, type SseEvent } from '../live/sse-parser';
import { arcPoints, decodeArcs, feature, type Feature, type FeatureCollection, type Topology } from '@sealwatch/core/geo/topojson';

const close = (actual: number, expected: number, eps = 1e-9, what = '') =>
  assert.ok(Math.abs(actual - expected) <= eps, `${what} ${actual} ≠ ${expected} (±${eps})`);

/**
 * Two squares side by side sharing one vertical border (arc 1), quantized on a grid of
 * 0.5° steps from (10°E, 20°N). Arc 0: the left square's open boundary, arc 1: the shared
 * border going down (A walks it forwards, B backwards as ~1), arc 2: the right square's
 * open boundary. Positions are delta-encoded.
 *
 *   (10,21) ── (11,21) ── (12,21)
 *      │    A     │    B     │
 *   (10,20) ── (11,20) ── (12,20)
 */
const tiny: Topology = {
  type: 'Topology',
  transform: { scale: [0.5, 0.5], translate: [10, 20] },
  arcs: [
    // (11,20) → (10,20) → (10,21) → (11,21): quantized (2,0) (0,0) (0,2) (2,2)
    [
      [2, 0],
      [-2, 0],
      [0, 2],
      [2, 0],
    ],
    // (11,21) → (11,20): quantized (2,2) (2,0)
    [
      [2, 2],
      [0, -2],
    ],
    // (11,21) → (12,21) → (12,20) → (11,20): quantized (2,2) (4,2) (4,0) (2,0)
    [
      [2, 2],
      [2, 0],
      [0, -2],
      [-2, 0],
    ],
  ],
  objects: {
    squares: {
      type: 'GeometryCollection',
      geometries: [
        { type: 'Polygon', id: 'A', properties: { name: 'left' }, arcs: [[0, 1]] },
        // B walks the shared border backwards: ~1 = -2
        { type: 'Polygon', id: 'B', properties: { name: 'right' }, arcs: [[2, ~1]] },
        { type: 'Point', id: 'P', coordinates: [3, 1] },
      ],
    },
  },
};

describe('TopoJSON decoding', () => {
  it('undoes quantization and delta encoding of arcs', () => {
    const arcs = decodeArcs(tiny);
    assert.deepEqual(arcs[0], [
      [11, 20],
      [10, 20],
      [10, 21],
      [11, 21],
    ]);
    assert.deepEqual(arcs[1], [
      [11, 21],
      [11, 20],
    ]);
    assert.deepEqual(arcs[2], [
      [11, 21],
      [12, 21],
      [12, 20],
      [11, 20],
    ]);
  });

  it('reads a negative arc index ~i as arc i reversed, without changing the arc', () => {
    const arcs = decodeArcs(tiny);
    assert.deepEqual(arcPoints(arcs, ~1), [
      [11, 20],
      [11, 21],
    ]);
    assert.deepEqual(
      arcs[1],
      [
        [11, 21],
        [11, 20],
      ],
      'the stored arc is not reversed in place',
    );
    assert.throws(() => arcPoints(arcs, 7), RangeError);
  });

  it('stitches arcs into closed rings, sharing junction points once', () => {
    const fc = feature(tiny, 'squares') as FeatureCollection;
    assert.equal(fc.type, 'FeatureCollection');
    assert.equal(fc.features.length, 3);
    const [a, b, p] = fc.features as [Feature, Feature, Feature];
    assert.equal(a.id, 'A');
    assert.deepEqual(a.properties, { name: 'left' });
    assert.deepEqual(a.geometry, {
      type: 'Polygon',
      coordinates: [
        [
          [11, 20],
          [10, 20],
          [10, 21],
          [11, 21],
          [11, 20],
        ],
      ],
    });
    assert.deepEqual(b.geometry, {
      type: 'Polygon',
      coordinates: [
        [
          [11, 21],
          [12, 21],
          [12, 20],
          [11, 20],
          [11, 21],
        ],
      ],
    });
    for (const f of [a, b]) {
      const ring = (f.geometry as { coordinates: number[][][] }).coordinates[0]!;
      assert.deepEqual(ring[0], ring[ring.length - 1], `ring of ${f.id} is closed`);
    }
    // points are quantized but not delta-encoded
    assert.deepEqual(p.geometry, { type: 'Point', coordinates: [11.5, 20.5] });
  });

  it('decodes the world atlas the server serves (177 countries, closed rings inside the world)', () => {
    const require = createRequire(import.meta.url);
    const path = require.resolve('world-atlas/countries-110m.json');
    const world = JSON.parse(readFileSync(path, 'utf8')) as Topology;
    const fc = feature(world, 'countries') as FeatureCollection;
    assert.equal(fc.features.length, 177);
    const france = fc.features.find((f) => f.properties.name === 'France');
    assert.equal(france?.geometry?.type, 'MultiPolygon');
    let rings = 0;
    for (const f of fc.features) {
      const g = f.geometry!;
      const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
      for (const polygon of polygons) {
        for (const ring of polygon) {
          rings++;
          assert.deepEqual(ring[0], ring[ring.length - 1], `${String(f.properties.name)} has a closed ring`);
          for (const [lon, lat] of ring) {
            assert.ok(lon! >= -180.01 && lon! <= 180.01 && lat! >= -90 && lat! <= 90, `${String(f.properties.name)} in range`);
          }
        }
      }
    }
    assert.ok(rings > 177);
  });
});

describe('Web Mercator projection and view', () => {
  const size = { width: 1200, height: 800 };

  it('projects the null island to the world centre and round-trips positions', () => {
    const [x, y] = project([0, 0]);
    close(x, WORLD_SIZE / 2);
    close(y, WORLD_SIZE / 2);
    assert.ok(project([0, 60])[1] < project([0, 0])[1], 'north is up');
    for (const p of [
      [36.8219, -1.2921],
      [-74.006, 40.7128],
      [151.2093, -33.8688],
    ]) {
      const [lon, lat] = unproject(project(p));
      close(lon, p[0]!, 1e-9, 'lon');
      close(lat, p[1]!, 1e-9, 'lat');
    }
  });

  it('maps a visible position inside the viewport and back', () => {
    const view = fitBounds({ west: -170, south: -58, east: 190, north: 78 }, size, { padding: 0 });
    const [sx, sy] = toScreen(view, [36.8219, -1.2921]); // Nairobi
    assert.ok(sx >= 0 && sx <= size.width && sy >= 0 && sy <= size.height, `(${sx}, ${sy}) inside`);
    const [lon, lat] = fromScreen(view, [sx, sy]);
    close(lon, 36.8219, 1e-9);
    close(lat, -1.2921, 1e-9);
  });

  it('fits bounds so that every point is inside the padded viewport, centred', () => {
    // Mombasa → Nairobi → Kampala → Kigali: the Northern Corridor
    const points = [
      [39.6682, -4.0435],
      [36.8219, -1.2921],
      [32.5825, 0.3476],
      [30.0619, -1.9441],
    ];
    const bounds = boundsOf(points)!;
    assert.deepEqual(bounds, { west: 30.0619, south: -4.0435, east: 39.6682, north: 0.3476 });
    const padding = 40;
    const view = fitBounds(bounds, size, { padding });
    for (const p of points) {
      const [x, y] = toScreen(view, p);
      assert.ok(x >= padding - 1e-6 && x <= size.width - padding + 1e-6, `x ${x}`);
      assert.ok(y >= padding - 1e-6 && y <= size.height - padding + 1e-6, `y ${y}`);
    }
    // the limiting axis is filled: here the east-west extent spans the padded width
    const [xw] = toScreen(view, [bounds.west, 0]);
    const [xe] = toScreen(view, [bounds.east, 0]);
    close(xe - xw, size.width - 2 * padding, 1e-6);
    // and the box is centred
    const [, yn] = toScreen(view, [0, bounds.north]);
    const [, ys] = toScreen(view, [0, bounds.south]);
    close((yn + ys) / 2, size.height / 2, 1e-6);
  });

  it('does not zoom a single point past maxK', () => {
    const view = fitBounds(boundsOf([[36.8, -1.3]])!, size, { maxK: 1024 });
    assert.equal(view.k, 1024);
    const [x, y] = toScreen(view, [36.8, -1.3]);
    close(x, size.width / 2, 1e-6);
    close(y, size.height / 2, 1e-6);
  });

  it('ignores missing and non-finite positions in bounds', () => {
    assert.equal(boundsOf([]), null);
    assert.equal(boundsOf([null, undefined, [NaN, 1]]), null);
    assert.deepEqual(boundsOf([null, [1, 2], [3, -4]]), { west: 1, south: -4, east: 3, north: 2 });
  });

  it('zooms around the anchor, keeping the position under it in place', () => {
    const view = fitBounds({ west: 0, south: 0, east: 40, north: 20 }, size);
    const anchor: [number, number] = [300, 500];
    const before = fromScreen(view, anchor);
    const zoomed = zoomAround(view, 2, anchor);
    close(zoomed.k, view.k * 2);
    const after = fromScreen(zoomed, anchor);
    close(after[0], before[0], 1e-9);
    close(after[1], before[1], 1e-9);
    assert.equal(zoomAround(view, 1e9, anchor, { maxK: 5000 }).k, 5000);
  });

  it('pans by pixels and keeps part of the world on screen', () => {
    const view = { k: 4, x: 0, y: 0 };
    assert.deepEqual(panBy(view, 10, -5), { k: 4, x: 10, y: -5 });
    const lost = clampView({ k: 4, x: 50_000, y: -50_000 }, size, 64);
    assert.equal(lost.x, size.width - 64);
    assert.equal(lost.y, 64 - WORLD_SIZE * 4);
  });

  it('converts metres to world units, larger towards the poles', () => {
    close(metersToWorld(40_075_016.686, 0), WORLD_SIZE, 1e-6);
    assert.ok(metersToWorld(1000, 60) > metersToWorld(1000, 0) * 1.99);
  });

  it('unwraps a ring that crosses the antimeridian and adds its copy on the other side', () => {
    const fiji = [
      [179, -16],
      [-179.5, -16],
      [-179.5, -17],
      [179, -17],
      [179, -16],
    ];
    const polygons = wrapPolygon([fiji]);
    assert.equal(polygons.length, 2);
    assert.deepEqual(polygons[0], [
      [
        [179, -16],
        [180.5, -16],
        [180.5, -17],
        [179, -17],
        [179, -16],
      ],
    ]);
    assert.deepEqual(polygons[1], [
      [
        [-181, -16],
        [-179.5, -16],
        [-179.5, -17],
        [-181, -17],
        [-181, -16],
      ],
    ]);
    // a ring around a pole is planar already; one that does not cross is untouched
    const antarctica = [
      [-180, -80],
      [0, -70],
      [180, -80],
      [-180, -80],
    ];
    assert.deepEqual(wrapPolygon([antarctica]), [[antarctica]]);
    const square = [
      [10, 10],
      [11, 10],
      [11, 11],
      [10, 10],
    ];
    assert.deepEqual(wrapPolygon([square]), [[square]]);
  });
});

describe('SSE wire format', () => {
  const collect = () => {
    const events: SseEvent[] = [];
    const retries: number[] = [];
    const parser = createSseParser(
      (e) => events.push(e),
      (ms) => retries.push(ms),
    );
    return { events, retries, parser };
  };

  it('dispatches typed events at a blank line, skipping comments and keeping the last id', () => {
    const { events, parser } = collect();
    parser.push(': keep-alive\n\nevent: alert\nid: 41\ndata: {"id":"a1",\ndata: "severity":"critical"}\n\n');
    parser.push('data: plain\n\n');
    assert.deepEqual(events, [
      { type: 'alert', data: '{"id":"a1",\n"severity":"critical"}', id: '41' },
      { type: 'message', data: 'plain', id: '41' },
    ]);
    assert.equal(parser.lastEventId, '41');
  });

  it('handles events split anywhere between chunks and CRLF or CR line ends', () => {
    const { events, parser } = collect();
    const wire = 'event: observation\r\ndata: {"seq":1}\r\n\r\nevent: event\rdata: x\r\r';
    for (const ch of wire) parser.push(ch); // worst case: one character at a time
    assert.deepEqual(events, [
      { type: 'observation', data: '{"seq":1}', id: '' },
      { type: 'event', data: 'x', id: '' },
    ]);
  });

  it('ignores events without data, unknown fields, and a BOM; reports retry', () => {
    const { events, retries, parser } = collect();
    parser.push('\uFEFFevent: movement\n\nfoo: bar\nretry: 2500\nretry: soon\ndata\n\n');
    assert.deepEqual(events, [{ type: 'message', data: '', id: '' }]);
    assert.deepEqual(retries, [2500]);
  });
});

describe('trackTolerance', () => {
  it('asks for about one pixel in metres, in powers of two, finer as the map zooms in', () => {
    // k = 1: the world is 256 px wide, ~156 km a pixel at the equator; the API's cap applies.
    assert.equal(trackTolerance(1), 65_536);
    // k = 2^11 (zoom 11): ~76 m a pixel.
    assert.equal(trackTolerance(2 ** 11), 64);
    assert.equal(trackTolerance(2 ** 12), 32);
    assert.equal(trackTolerance(2 ** 11 * 1.2), trackTolerance(2 ** 11 * 1.9));
    assert.equal(trackTolerance(2 ** 20), 1);
  });
});

it('keepInView leaves the view while the point is well inside, and centres it once it nears an edge or leaves', () => {
  const size = { width: 800, height: 600 };
  const view = fitBounds({ west: 30, south: -5, east: 40, north: 2 }, size);
  const inside = keepInView(view, size, [35, -1.5], 90);
  assert.equal(inside, view, 'same object: nothing to redraw');
  for (const p of [
    [39.9, -4.9],
    [45, 10],
    [20, -20],
  ]) {
    const next = keepInView(view, size, p, 90);
    assert.equal(next.k, view.k, 'never zooms');
    const [x, y] = toScreen(next, p);
    assert.ok(Math.abs(x - 400) < 1e-6 && Math.abs(y - 300) < 1e-6, `${p} centred, at ${x},${y}`);
  }
});
