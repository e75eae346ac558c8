import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distanceM, bearingDeg } from './distance';
import { isInArea, areaCenter } from './area';

test('distance Mombasa to Nairobi is about 440 km great-circle', () => {
  const d = distanceM({ lat: -4.0435, lon: 39.6682 }, { lat: -1.2921, lon: 36.8219 });
  assert.ok(d > 430_000 && d < 450_000, `got ${d}`);
});

test('bearing due north is 0 and due east is 90', () => {
  assert.ok(Math.abs(bearingDeg({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })) < 1e-9);
  assert.ok(Math.abs(bearingDeg({ lat: 0, lon: 0 }, { lat: 0, lon: 1 }) - 90) < 1e-9);
});

test('a point is in a circle area within its radius and not beyond', () => {
  const area = { center: { lat: 0.6346, lon: 34.2766 }, radiusM: 1000 };
  assert.equal(isInArea({ lat: 0.6346, lon: 34.2766 + 0.008 }, area), true); // ~890 m
  assert.equal(isInArea({ lat: 0.6346, lon: 34.2766 + 0.01 }, area), false); // ~1110 m
});

test('polygon membership respects holes', () => {
  const area = {
    type: 'Polygon' as const,
    coordinates: [
      [
        [0, 0],
        [10, 0],
        [10, 10],
        [0, 10],
        [0, 0],
      ],
      [
        [4, 4],
        [6, 4],
        [6, 6],
        [4, 6],
        [4, 4],
      ],
    ],
  };
  assert.equal(isInArea({ lat: 2, lon: 2 }, area), true);
  assert.equal(isInArea({ lat: 5, lon: 5 }, area), false);
  assert.equal(isInArea({ lat: 11, lon: 5 }, area), false);
  assert.deepEqual(areaCenter(area), { lat: 5, lon: 5 });
});
