import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distanceM, bearingDeg } from './distance';
import { isInArea, areaCenter, areaRingsProblem, assertAreaRings, MAX_AREA_VERTICES } from './area';
import { areaRadiusM } from '../custody/office-area';
import { DomainError } from '../errors';
import type { Area } from '../model';

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

/** A closed square ring of side 2·h degrees around (lon, lat). */
const square = (lon: number, lat: number, h: number): number[][] => [
  [lon - h, lat - h],
  [lon + h, lat - h],
  [lon + h, lat + h],
  [lon - h, lat + h],
  [lon - h, lat - h],
];
const polygon = (...rings: number[][][]): Area => ({ type: 'Polygon', coordinates: rings });
const kampala = square(32.5825, 0.3476, 0.01);

test('an area whose later rings are holes inside its first ring passes the ring check', () => {
  assert.equal(areaRingsProblem(polygon(kampala)), null);
  assert.equal(areaRingsProblem(polygon(kampala, square(32.5825, 0.3476, 0.002), square(32.589, 0.353, 0.001))), null);
  assert.equal(areaRingsProblem({ center: { lat: 0.3476, lon: 32.5825 }, radiusM: 1500 }), null);
});

test('a later ring far outside the first, in another country, is refused as invalid_geometry naming the ring', () => {
  const nairobi = square(36.8219, -1.2921, 0.2);
  const problem = areaRingsProblem(polygon(kampala, nairobi));
  assert.equal(problem?.ring, 1);
  assert.throws(
    () => assertAreaRings(polygon(kampala, nairobi), 'authorizedStops[0].area'),
    (e: unknown) =>
      e instanceof DomainError && e.code === 'invalid_geometry' && e.details?.field === 'authorizedStops[0].area' && e.details?.ring === 1,
  );
  assert.equal(areaRingsProblem(polygon(kampala, square(32.5825, 0.3476, 0.002), nairobi))?.ring, 2, 'every later ring is checked');
});

test('a later ring that straddles the first, or encloses it, or shares its edge is refused', () => {
  assert.equal(areaRingsProblem(polygon(kampala, square(32.5925, 0.3476, 0.005)))?.ring, 1, 'half outside');
  assert.equal(areaRingsProblem(polygon(kampala, square(32.5825, 0.3476, 0.05)))?.ring, 1, 'encloses the outer ring');
  const edge = [
    [32.5725, 0.3376],
    [32.5825, 0.3376],
    [32.5825, 0.3476],
    [32.5725, 0.3376],
  ];
  assert.equal(areaRingsProblem(polygon(kampala, edge))?.ring, 1, 'on the outer boundary');
  // A concave outer ring (a U): every vertex of the bar below lies inside it, but the bar crosses its notch.
  const u = [
    [0, 0],
    [3, 0],
    [3, 3],
    [2, 3],
    [2, 1],
    [1, 1],
    [1, 3],
    [0, 3],
    [0, 0],
  ];
  const bar = [
    [0.5, 2],
    [2.5, 2],
    [2.5, 2.5],
    [0.5, 2.5],
    [0.5, 2],
  ];
  assert.equal(areaRingsProblem(polygon(u, bar))?.ring, 1, 'vertices inside, edges across the notch');
});

test('a polygon area has at most MAX_AREA_VERTICES vertices, so the ring check stays bounded', () => {
  const many = Array.from({ length: MAX_AREA_VERTICES }, (_, i) => {
    const a = (2 * Math.PI * i) / MAX_AREA_VERTICES;
    return [32.5825 + 0.01 * Math.cos(a), 0.3476 + 0.01 * Math.sin(a)];
  });
  assert.match(areaRingsProblem(polygon([...many, many[0]]))?.message ?? '', /at most 2000 vertices/);
  assert.equal(areaRingsProblem(polygon([...many.slice(0, 100), many[0]])), null);
});

test("an office area's radius reaches every ring's vertices, not the first ring's only", () => {
  const hole = square(32.5825, 0.3476, 0.002);
  assert.equal(areaRadiusM(polygon(kampala, hole)), areaRadiusM(polygon(kampala)));
  assert.ok(areaRadiusM(polygon(kampala, square(36.8219, -1.2921, 0.2))) > 400_000);
});
