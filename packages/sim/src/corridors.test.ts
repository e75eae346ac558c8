import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distanceM, isInArea, lineLengthM } from '@sealwatch/core';
import { corridors, findCorridor, findOffice, locateOnRoute, offices } from './corridors';

// Rough bounding boxes [minLon, minLat, maxLon, maxLat] of the countries crossed.
const bbox: Record<string, [number, number, number, number]> = {
  KE: [33.9, -4.8, 41.9, 5.1],
  UG: [29.5, -1.5, 35.1, 4.3],
  TZ: [29.3, -11.8, 40.5, -0.95],
  RW: [28.8, -2.9, 30.95, -1.0],
  NL: [3.3, 50.7, 7.3, 53.6],
  DE: [5.8, 47.2, 15.1, 55.1],
  CH: [5.9, 45.8, 10.5, 47.85],
  IT: [6.6, 36.6, 18.6, 47.1],
};
const inBox = ([lon, lat]: number[], c: string) => {
  const [w, s, e, n] = bbox[c];
  return lon >= w && lon <= e && lat >= s && lat <= n;
};
const at = (c: number[]) => ({ lat: c[1], lon: c[0] });

test('three corridors, each a LineString of at least 30 waypoints', () => {
  assert.deepEqual(
    corridors.map((c) => c.id),
    ['MSA-KLA', 'RTM-MIL', 'DAR-KGL'],
  );
  for (const c of corridors) {
    assert.equal(c.route.type, 'LineString');
    assert.ok(c.route.coordinates.length >= 30, `${c.id} has ${c.route.coordinates.length} points`);
  }
});

test('every waypoint is [lon, lat] inside one of the corridor countries', () => {
  for (const c of corridors) {
    for (const p of c.route.coordinates) {
      assert.equal(p.length, 2);
      assert.ok(
        c.countries.some((k) => inBox(p, k)),
        `${c.id}: ${JSON.stringify(p)} is in none of ${c.countries}`,
      );
    }
  }
});

test('routes start in their departure office and end in their destination office', () => {
  for (const c of corridors) {
    const coords = c.route.coordinates;
    const dep = findOffice(c.departureOffice);
    const dest = findOffice(c.destinationOffice);
    assert.ok(isInArea(at(coords[0]), dep.area), `${c.id} starts ${distanceM(at(coords[0]), dep.area.center)} m from ${dep.code}`);
    assert.ok(isInArea(at(coords[coords.length - 1]), dest.area), `${c.id} ends outside ${dest.code}`);
    assert.equal(dep.country, c.countries[0]);
    assert.equal(dest.country, c.countries[c.countries.length - 1]);
  }
});

test('routes pass through their border offices, in order', () => {
  for (const c of corridors) {
    let last = 0;
    for (const code of c.borderOffices) {
      const o = findOffice(code);
      const where = locateOnRoute(c.route.coordinates, o.area.center);
      assert.ok(where.offsetM < o.area.radiusM, `${c.id} passes ${where.offsetM} m from ${code}`);
      assert.ok(where.alongM > last, `${code} out of order on ${c.id}`);
      last = where.alongM;
    }
  }
});

test('route lengths match the road distances, with no jump between waypoints', () => {
  // Road distances: Mombasa–Kampala ~1150 km, Rotterdam–Milan ~1100 km, Dar es Salaam–Kigali ~1450 km;
  // a line through waypoints is somewhat shorter than the road.
  const expectedKm: Record<string, [number, number]> = { 'MSA-KLA': [1000, 1200], 'RTM-MIL': [980, 1150], 'DAR-KGL': [1280, 1500] };
  for (const c of corridors) {
    const km = lineLengthM(c.route.coordinates) / 1000;
    const [lo, hi] = expectedKm[c.id];
    assert.ok(km >= lo && km <= hi, `${c.id} is ${km.toFixed(0)} km`);
    const coords = c.route.coordinates;
    for (let i = 1; i < coords.length; i++) {
      assert.ok(distanceM(at(coords[i - 1]), at(coords[i])) < 60_000, `${c.id}: jump after waypoint ${i - 1}`);
    }
  }
});

test('the Northern Corridor passes Nairobi, Nakuru and Eldoret; the Rhine–Alpine route Cologne, Frankfurt and the Gotthard', () => {
  const near = (id: string, lat: number, lon: number) => locateOnRoute(findCorridor(id).route.coordinates, { lat, lon }).offsetM;
  assert.ok(near('MSA-KLA', -1.2921, 36.8219) < 12_000, 'Nairobi');
  assert.ok(near('MSA-KLA', -0.3031, 36.08) < 5_000, 'Nakuru');
  assert.ok(near('MSA-KLA', 0.5143, 35.2698) < 5_000, 'Eldoret');
  assert.ok(near('MSA-KLA', 0.4244, 33.2042) < 5_000, 'Jinja');
  assert.ok(near('RTM-MIL', 50.9375, 6.9603) < 8_000, 'Cologne');
  assert.ok(near('RTM-MIL', 50.1109, 8.6821) < 12_000, 'Frankfurt');
  assert.ok(near('RTM-MIL', 46.5967, 8.5964) < 5_000, 'Gotthard road tunnel');
  assert.ok(near('DAR-KGL', -6.163, 35.7516) < 5_000, 'Dodoma');
  assert.ok(near('DAR-KGL', -4.816, 34.743) < 5_000, 'Singida');
});

test('authorised stops lie on their route and allow a realistic dwell', () => {
  for (const c of corridors) {
    assert.ok(c.authorizedStops.length >= 1);
    for (const s of c.authorizedStops) {
      assert.ok('center' in s.area);
      const where = locateOnRoute(c.route.coordinates, 'center' in s.area ? s.area.center : { lat: 0, lon: 0 });
      assert.ok(where.offsetM < 100, `${s.name} is ${where.offsetM} m off ${c.id}`);
      assert.ok(s.maxDwellMinutes >= 30 && s.maxDwellMinutes <= 480);
    }
  }
});

test('offices have unique codes, an ISO alpha-2 country and an area inside that country', () => {
  assert.equal(new Set(offices.map((o) => o.code)).size, offices.length);
  for (const o of offices) {
    assert.match(o.country, /^[A-Z]{2}$/);
    assert.ok(inBox([o.area.center.lon, o.area.center.lat], o.country), `${o.code} outside ${o.country}`);
    assert.ok(o.area.radiusM >= 500 && o.area.radiusM <= 5000);
  }
  assert.throws(() => findOffice('XX000000'), /XX000000/);
});

test('locateOnRoute gives the distance along and off the route', () => {
  const route = [
    [0, 0],
    [0, 1],
  ];
  const r = locateOnRoute(route, { lat: 0.5, lon: 0.001 });
  assert.ok(Math.abs(r.alongM - 55_597) < 100, `along ${r.alongM}`);
  assert.ok(Math.abs(r.offsetM - 111) < 2, `offset ${r.offsetM}`);
});
