import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamSimplifier } from './simplify-stream';
import { simplifyTrack } from './simplify';
import { meters } from '../ids';

const EARTH = 6_371_008.8;
const winding = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    i,
    lon: 39.6 - (i / n) * 7 + 0.01 * Math.sin(i / 40),
    lat: -4 + (i / n) * 4 + 0.01 * Math.cos(i / 55),
  }));

function run<P extends { lon: number; lat: number }>(points: P[], tolerance: number, chunk: number, must = (_p: P) => false): P[] {
  const out: P[] = [];
  const s = streamSimplifier<P>(meters(tolerance), (p) => out.push(p), chunk);
  for (const p of points) s.push(p, must(p));
  s.end();
  return out;
}

/** Largest distance (m, local planar projection) of a dropped position from the segment of its two kept neighbours. */
function worstDeviation(points: { i: number; lon: number; lat: number }[], kept: { i: number }[]): number {
  const kx = (Math.PI / 180) * EARTH * Math.cos((-2 * Math.PI) / 180);
  const ky = (Math.PI / 180) * EARTH;
  let worst = 0;
  for (let k = 0; k + 1 < kept.length; k++) {
    const a = points[kept[k].i];
    const b = points[kept[k + 1].i];
    for (let i = a.i + 1; i < b.i; i++) {
      const [px, py, ax, ay, bx, by] = [points[i].lon * kx, points[i].lat * ky, a.lon * kx, a.lat * ky, b.lon * kx, b.lat * ky];
      const [dx, dy] = [bx - ax, by - ay];
      const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
      worst = Math.max(worst, Math.hypot(ax + t * dx - px, ay + t * dy - py));
    }
  }
  return worst;
}

test('with a chunk larger than the track, it keeps exactly what simplifyTrack keeps', () => {
  const points = winding(5000);
  const whole = simplifyTrack(
    points.map((p) => p.lon),
    points.map((p) => p.lat),
    meters(50),
  );
  assert.deepEqual(
    run(points, 50, 10_000).map((p) => p.i),
    whole,
  );
});

test('in small chunks it keeps every position once, in order, ends included, and no dropped one farther than the tolerance', () => {
  const points = winding(20_000);
  const kept = run(points, 50, 1000);
  const idx = kept.map((p) => p.i);
  assert.equal(idx[0], 0);
  assert.equal(idx.at(-1), points.length - 1);
  for (let k = 1; k < idx.length; k++) assert.ok(idx[k] > idx[k - 1], `order at ${k}`);
  assert.ok(kept.length < points.length / 5, `${kept.length} kept`);
  // 0.1 m of slack for the projection's latitude (each chunk projects around its own mean).
  assert.ok(worstDeviation(points, kept) <= 50.1, `worst ${worstDeviation(points, kept)} m`);
  // The chunks cost at most one extra vertex each over simplifying the whole track at once.
  const whole = simplifyTrack(
    points.map((p) => p.lon),
    points.map((p) => p.lat),
    meters(50),
  );
  assert.ok(kept.length <= whole.length + points.length / 1000, `${kept.length} vs ${whole.length}`);
});

test('a position that must stay is kept even on a straight line, and the line is split there', () => {
  const points = Array.from({ length: 100 }, (_, i) => ({ i, lon: 36 + i * 0.001, lat: -1 }));
  assert.deepEqual(
    run(points, 10, 8192).map((p) => p.i),
    [0, 99],
  );
  assert.deepEqual(
    run(points, 10, 8192, (p) => p.i === 40 || p.i === 41).map((p) => p.i),
    [0, 40, 41, 99],
  );
});

test('tracks of zero, one and two positions are passed on whole', () => {
  for (const n of [0, 1, 2]) {
    assert.deepEqual(
      run(winding(n), 10, 2).map((p) => p.i),
      Array.from({ length: n }, (_, i) => i),
    );
  }
});
