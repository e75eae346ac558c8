import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineLengthM, pointAlongLine } from './polyline';
import { distanceM } from './distance';
import { DomainError } from '../errors';

// Mombasa → Voi → Nairobi, [lon, lat].
const line = [
  [39.6682, -4.0435],
  [38.5561, -3.3961],
  [36.8219, -1.2921],
];
const leg1 = distanceM({ lat: -4.0435, lon: 39.6682 }, { lat: -3.3961, lon: 38.5561 });
const leg2 = distanceM({ lat: -3.3961, lon: 38.5561 }, { lat: -1.2921, lon: 36.8219 });

test('line length is the sum of the great-circle legs', () => {
  assert.ok(Math.abs(lineLengthM(line) - (leg1 + leg2)) < 1e-6);
  assert.equal(lineLengthM([[36.8, -1.3]]), 0);
});

test('a point half-way along the first leg lies between its ends, heading north-west', () => {
  const p = pointAlongLine(line, leg1 / 2);
  assert.equal(p.segmentIndex, 0);
  assert.ok(Math.abs(p.lat - (-4.0435 + -3.3961) / 2) < 1e-9);
  assert.ok(Math.abs(p.lon - (39.6682 + 38.5561) / 2) < 1e-9);
  assert.ok(p.headingDeg > 270 && p.headingDeg < 315, `heading ${p.headingDeg}`);
  const fromStart = distanceM({ lat: -4.0435, lon: 39.6682 }, p);
  assert.ok(Math.abs(fromStart - leg1 / 2) < 200, `off by ${fromStart - leg1 / 2} m`);
});

test('a point past the first vertex is on the second segment', () => {
  const p = pointAlongLine(line, leg1 + 10_000);
  assert.equal(p.segmentIndex, 1);
  const fromVoi = distanceM({ lat: -3.3961, lon: 38.5561 }, p);
  assert.ok(Math.abs(fromVoi - 10_000) < 50, `got ${fromVoi}`);
});

test('distances are clamped to the ends of the line', () => {
  const before = pointAlongLine(line, -500);
  assert.deepEqual([before.lon, before.lat, before.segmentIndex], [39.6682, -4.0435, 0]);
  const after = pointAlongLine(line, 10_000_000);
  assert.deepEqual([after.lon, after.lat, after.segmentIndex], [36.8219, -1.2921, 1]);
  assert.ok(after.headingDeg > 270 && after.headingDeg < 360);
});

test('zero-length segments are skipped and keep a heading', () => {
  const p = pointAlongLine(
    [
      [0, 0],
      [0, 0],
      [0, 1],
    ],
    1000,
  );
  assert.equal(p.segmentIndex, 1);
  assert.ok(Math.abs(p.headingDeg) < 1e-9);
  assert.equal(
    pointAlongLine(
      [
        [5, 5],
        [5, 5],
      ],
      10,
    ).headingDeg,
    0,
  );
});

test('an empty line or a bad position is invalid_geometry', () => {
  assert.throws(
    () => lineLengthM([]),
    (e: unknown) => e instanceof DomainError && e.code === 'invalid_geometry',
  );
  assert.throws(
    () => pointAlongLine([[1]], 0),
    (e: unknown) => e instanceof DomainError && e.code === 'invalid_geometry',
  );
});
