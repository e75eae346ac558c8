import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simplifyTrack } from './simplify';
import { meters } from '../ids';
import { distanceM } from './distance';

test('a straight track keeps its two ends; a detour of 500 m is kept at 100 m and dropped at 1 km', () => {
  const lons = Array.from({ length: 1001 }, (_, i) => 36 + i * 0.001);
  const lats = lons.map(() => -1);
  assert.deepEqual(simplifyTrack(lons, lats, meters(1)), [0, 1000]);
  lats[500] = -1 + 500 / 111_195; // 500 m north of the line
  assert.deepEqual(simplifyTrack(lons, lats, meters(100)), [0, 499, 500, 501, 1000]);
  assert.deepEqual(simplifyTrack(lons, lats, meters(1000)), [0, 1000]);
});

test('no dropped vertex of a winding track lies farther from the simplified line than the tolerance', () => {
  const n = 5000;
  const lons = Array.from({ length: n }, (_, i) => 39.6 - (i / n) * 7 + 0.01 * Math.sin(i / 40));
  const lats = Array.from({ length: n }, (_, i) => -4 + (i / n) * 4 + 0.01 * Math.cos(i / 55));
  const kept = simplifyTrack(lons, lats, meters(50));
  assert.ok(kept.length < n / 5, `${kept.length} of ${n} kept`);
  assert.equal(kept[0], 0);
  assert.equal(kept.at(-1), n - 1);
  // Check with geodesic distances: each dropped vertex is within 50 m (and a little for the projection) of its chord.
  for (let k = 0; k + 1 < kept.length; k++) {
    const [a, b] = [kept[k], kept[k + 1]];
    for (let i = a + 1; i < b; i++) {
      const p = { lat: lats[i], lon: lons[i] };
      let best = Infinity;
      for (let s = 0; s <= 20; s++) {
        const t = s / 20;
        best = Math.min(best, distanceM(p, { lat: lats[a] + t * (lats[b] - lats[a]), lon: lons[a] + t * (lons[b] - lons[a]) }));
      }
      assert.ok(
        best < 50 + (distanceM({ lat: lats[a], lon: lons[a] }, { lat: lats[b], lon: lons[b] }) / 20) * 0.6,
        `vertex ${i}: ${best} m`,
      );
    }
  }
});

test('tracks of zero, one and two points are kept whole', () => {
  assert.deepEqual(simplifyTrack([], [], meters(10)), []);
  assert.deepEqual(simplifyTrack([1], [2], meters(10)), [0]);
  assert.deepEqual(simplifyTrack([1, 1], [2, 2], meters(10)), [0, 1]);
});
