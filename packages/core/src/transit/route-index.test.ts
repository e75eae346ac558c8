import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRouteIndex } from './route-index';
import { A109, routePoint, seededRandom } from './test-builders';
import { EARTH_RADIUS_M, distanceM } from '../geo/distance';
import { lineLengthM, pointAlongLine } from '../geo/polyline';
import { DomainError } from '../errors';
import type { LatLon } from '../model';

/** A 5,000-vertex A109 with 300 m bends every 7 km and 20 m of survey noise. */
function wigglyA109(vertices = 5000): number[][] {
  const length = lineLengthM(A109),
    rnd = seededRandom(42);
  return Array.from({ length: vertices }, (_, i) => {
    const along = (i / (vertices - 1)) * length;
    const p = routePoint(A109, along, 300 * Math.sin((along / 7000) * 2 * Math.PI) + (rnd() - 0.5) * 40);
    return [p.lon, p.lat];
  });
}

type Vec = [number, number, number];
const vec = (lon: number, lat: number): Vec => {
  const la = (lat * Math.PI) / 180,
    lo = (lon * Math.PI) / 180;
  return [Math.cos(la) * Math.cos(lo), Math.cos(la) * Math.sin(lo), Math.sin(la)];
};
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** Brute force on the sphere: great-circle cross-track distance to every segment, clamped to its ends. */
function bruteDistanceM(route: number[][], p: LatLon): number {
  const q = vec(p.lon, p.lat);
  let best = Infinity;
  for (let i = 0; i + 1 < route.length; i++) {
    const a = vec(route[i][0], route[i][1]),
      b = vec(route[i + 1][0], route[i + 1][1]);
    const n = cross(a, b),
      nn = Math.sqrt(dot(n, n));
    const toEnds = Math.min(
      distanceM(p, { lon: route[i][0], lat: route[i][1] }),
      distanceM(p, { lon: route[i + 1][0], lat: route[i + 1][1] }),
    );
    if (nn < 1e-15) {
      best = Math.min(best, toEnds);
      continue;
    }
    const u: Vec = [n[0] / nn, n[1] / nn, n[2] / nn];
    const s = dot(q, u);
    const proj: Vec = [q[0] - s * u[0], q[1] - s * u[1], q[2] - s * u[2]];
    const within = dot(cross(a, proj), u) >= 0 && dot(cross(proj, b), u) >= 0;
    best = Math.min(best, within ? Math.abs(Math.asin(s)) * EARTH_RADIUS_M : toEnds);
  }
  return best;
}

function assertAgreesWithBruteForce(route: number[][], points: LatLon[]): void {
  const index = buildRouteIndex(route);
  const continuous = route.map(([lon, lat]) => [route[0][0] + ((((lon - route[0][0]) % 360) + 540) % 360) - 180, lat]);
  for (const p of points) {
    const got = index.nearest(p);
    const want = bruteDistanceM(route, p);
    assert.ok(
      Math.abs(got.distanceM - want) <= Math.max(0.01 * want, 5),
      `at ${p.lat},${p.lon}: index ${got.distanceM} m, brute force ${want} m`,
    );
    // The reported position along the route is where the reported nearest point lies
    // (walked on continuous longitudes: pointAlongLine interpolates plain degrees).
    const back = pointAlongLine(continuous, got.alongM);
    assert.ok(distanceM(back, got.point) < 1, `along ${got.alongM} m is ${distanceM(back, got.point)} m from the nearest point`);
  }
}

test('agrees with a brute-force haversine cross-track on random points around a 5,000-vertex Mombasa–Nairobi route', () => {
  const route = wigglyA109();
  const length = lineLengthM(route),
    rnd = seededRandom(7);
  const points = Array.from({ length: 400 }, (_, i) => {
    const reach = i % 10 === 0 ? 150_000 : i % 3 === 0 ? 20_000 : 1_500;
    return routePoint(route, -5000 + rnd() * (length + 10_000), (rnd() - 0.5) * 2 * reach);
  });
  assertAgreesWithBruteForce(route, points);
});

test('a point on the route is at 0 m, at the distance along it was placed', () => {
  const route = wigglyA109();
  const index = buildRouteIndex(route);
  for (const along of [0, 1234.5, 100_000, 250_321, index.lengthM - 10]) {
    const m = index.nearest(routePoint(route, along));
    assert.ok(m.distanceM < 1, `distance ${m.distanceM}`);
    assert.ok(Math.abs(m.alongM - along) < 1, `along ${m.alongM} for ${along}`);
  }
  assert.ok(Math.abs(index.lengthM - lineLengthM(route)) < 1e-6);
});

test('a query within 2 km of a 5,000-vertex route measures a few dozen segments, not thousands', () => {
  const route = wigglyA109();
  const index = buildRouteIndex(route),
    rnd = seededRandom(3);
  let examined = 0;
  const queries = 1000;
  for (let i = 0; i < queries; i++)
    examined += index.nearest(routePoint(route, rnd() * index.lengthM, (rnd() - 0.5) * 4000)).segmentsExamined;
  assert.ok(examined / queries < 30, `mean segments examined ${examined / queries}`);
});

test('a route across the antimeridian (Taveuni, Fiji) is measured across it', () => {
  const route = [
    [179.86, -16.98],
    [179.95, -16.85],
    [-179.97, -16.78],
    [-179.9, -16.7],
  ];
  const rnd = seededRandom(11);
  const points = Array.from({ length: 200 }, () => ({ lat: -17.1 + rnd() * 0.5, lon: ((179.8 + rnd() * 0.3 + 180) % 360) - 180 }));
  assertAgreesWithBruteForce(route, points);
  const m = buildRouteIndex(route).nearest({ lat: -16.8, lon: -179.99 });
  assert.ok(m.point.lon >= -180 && m.point.lon < 180);
  assert.ok(m.distanceM < 3000, `distance ${m.distanceM}`);
});

test('a route at high latitude (E6, northern Norway) keeps the same agreement', () => {
  const route: number[][] = [];
  for (let i = 0; i < 1500; i++) route.push([18.9 + i * 0.004, 69.6 + 0.2 * Math.sin(i / 80) + i * 0.0004]);
  const rnd = seededRandom(5);
  const points = Array.from({ length: 200 }, () => ({ lat: 69.3 + rnd() * 1.2, lon: 18.5 + rnd() * 7 }));
  assertAgreesWithBruteForce(route, points);
});

test('a single-vertex route is a point; an empty one is invalid_geometry', () => {
  const m = buildRouteIndex([[36.82, -1.29]]).nearest({ lat: -1.29, lon: 36.83 });
  assert.equal(m.alongM, 0);
  assert.ok(Math.abs(m.distanceM - distanceM({ lat: -1.29, lon: 36.82 }, { lat: -1.29, lon: 36.83 })) < 1e-6);
  assert.throws(
    () => buildRouteIndex([]),
    (e: unknown) => e instanceof DomainError && e.code === 'invalid_geometry',
  );
  assert.throws(
    () => buildRouteIndex([[36.8, 95]]),
    (e: unknown) => e instanceof DomainError && e.code === 'invalid_geometry',
  );
});
