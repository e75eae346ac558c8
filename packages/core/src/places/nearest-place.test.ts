import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compassPoint, nearestPlace } from './nearest-place';
import { gazetteer, type Place } from './gazetteer';

const malabaKe = gazetteer.find((p) => p.name === 'Malaba' && p.country === 'KE')!;

test('a point 12 km north-west of Malaba (Kenya side) is named from the nearest place with distance and bearing', () => {
  // 12 km at 315° from Malaba KE: 8.485 km north and 8.485 km west (1° ≈ 111.2 km)
  const p = { lat: malabaKe.lat + 8.485 / 111.195, lon: malabaKe.lon - 8.485 / (111.195 * Math.cos((malabaKe.lat * Math.PI) / 180)) };
  const places: Place[] = [malabaKe, { name: 'Far', country: 'KE', kind: 'town', lat: 2, lon: 36 }];
  const fix = nearestPlace(p, { places });
  assert.ok(fix);
  assert.equal(fix.place, malabaKe);
  assert.ok(Math.abs(fix.distanceM - 12_000) < 50, `distance ${fix.distanceM}`);
  assert.ok(Math.abs(fix.bearingDeg - 315) < 0.5, `bearing ${fix.bearingDeg}`);
  assert.equal(fix.direction, 'NW');
  assert.equal(fix.at, false);
});

test('the shipped gazetteer names a position on the Northern Corridor by its nearest town', () => {
  // the Mtito Andei truck stop of the demo corridor
  const fix = nearestPlace({ lat: -2.689, lon: 38.167 });
  assert.equal(fix?.place.name, 'Mtito Andei');
  assert.equal(fix?.at, true);
  // between Voi and Maungu on the A109, nearer Voi: east of it
  const between = nearestPlace({ lat: -3.45, lon: 38.62 });
  assert.equal(between?.place.name, 'Voi');
  assert.equal(between?.direction, 'SE');
});

test('the two sides of a border are told apart by country', () => {
  assert.equal(nearestPlace({ lat: 0.6346, lon: 34.2793 })?.place.country, 'KE');
  assert.equal(nearestPlace({ lat: 0.6374, lon: 34.2717 })?.place.country, 'UG');
  assert.equal(nearestPlace({ lat: -2.3806, lon: 30.7772 })?.place.country, 'RW');
});

test('within the at-distance the position is at the place; beyond maxM there is no place', () => {
  assert.equal(nearestPlace({ lat: -1.2864, lon: 36.8172 })?.at, true);
  assert.equal(nearestPlace({ lat: -1.2864, lon: 36.8172 })?.distanceM, 0);
  assert.equal(nearestPlace({ lat: -1.2864 + 0.03, lon: 36.8172 }, { atM: 2000 })?.at, false); // ~3.3 km
  assert.equal(nearestPlace({ lat: -33.9, lon: 18.4 }), null); // Cape Town: nothing of ours within 150 km
  assert.ok(nearestPlace({ lat: -33.9, lon: 18.4 }, { maxM: 1e8 }));
});

test('a position that is not a WGS84 point has no place', () => {
  assert.equal(nearestPlace({ lat: Number.NaN, lon: 36 }), null);
  assert.equal(nearestPlace({ lat: 91, lon: 36 }), null);
  assert.equal(nearestPlace({ lat: 0, lon: 181 }), null);
  assert.equal(nearestPlace({ lat: 0, lon: 36 }, { places: [] }), null);
});

test('compass points: eight sectors of 45° centred on N, NE, …, wrapping at 360', () => {
  assert.equal(compassPoint(0), 'N');
  assert.equal(compassPoint(22.4), 'N');
  assert.equal(compassPoint(22.6), 'NE');
  assert.equal(compassPoint(90), 'E');
  assert.equal(compassPoint(180), 'S');
  assert.equal(compassPoint(247), 'SW');
  assert.equal(compassPoint(248), 'W');
  assert.equal(compassPoint(337.6), 'N');
  assert.equal(compassPoint(359.9), 'N');
  assert.equal(compassPoint(-45), 'NW');
  assert.equal(compassPoint(720 + 135), 'SE');
});

test('every gazetteer place is a valid WGS84 point with a two-letter country, and no place is listed twice', () => {
  const seen = new Set<string>();
  for (const p of gazetteer) {
    assert.ok(Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180, p.name);
    assert.match(p.country, /^[A-Z]{2}$/, p.name);
    const key = `${p.name}|${p.country}`;
    assert.ok(!seen.has(key), `${key} twice`);
    seen.add(key);
  }
});
