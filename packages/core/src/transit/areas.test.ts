import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaFacts, arrivalAt, borderCrossings, officeVisits, signedDistanceToAreaM, type OfficeArea } from './areas';
import { sortTrack } from './track';
import { asOfficeCode } from '../ids';
import { distanceM } from '../geo/distance';
import { lineLengthM } from '../geo/polyline';
import type { LatLon } from '../model';
import { A109, at, buildTrack, drive, offsetPoint, shuffled, type TrackRow } from './test-builders';

const mombasa: OfficeArea = { code: asOfficeCode('KEMBA'), country: 'KE', area: { center: { lat: -4.03, lon: 39.63 }, radiusM: 1500 } };
const icd = { lat: -1.33, lon: 36.91 };
const nairobiIcd: OfficeArea = { code: asOfficeCode('KENBO'), country: 'KE', area: { center: icd, radiusM: 1500 } };
/** Malaba one-stop border post, Kenyan side: a 600 m × 400 m yard east of the river. */
const malabaKe: OfficeArea = {
  code: asOfficeCode('KEMAL'),
  country: 'KE',
  area: {
    type: 'Polygon',
    coordinates: [
      [
        [34.283, 0.634],
        [34.2884, 0.634],
        [34.2884, 0.6376],
        [34.283, 0.6376],
        [34.283, 0.634],
      ],
    ],
  },
};
/** The Kenya–Uganda line at Malaba, simplified to the meridian 34.2800; unknown 50 m either side. */
const countryAt = (p: LatLon) => (Math.abs(p.lon - 34.28) < 0.00045 ? null : p.lon < 34.28 ? 'UG' : 'KE');

/** Westbound through Malaba at 20 km/h, a fix every 30 s, from 2 km east of the line to 2 km west. */
const westbound = (startS = 0): TrackRow[] =>
  Array.from({ length: 25 }, (_, k) => {
    const p = offsetPoint({ lat: 0.636, lon: 34.28 }, 270, -2000 + k * (20 / 3.6) * 30);
    return [p.lat, p.lon, startS + k * 30];
  });

test('a trip from Mombasa to Nairobi enters and leaves the port office and enters the ICD, at the first fix on each side', () => {
  const rows = drive(A109, { fromM: 0, toM: lineLengthM(A109), startS: 0, speedKmh: 80, intervalS: 60 });
  const obs = buildTrack(rows);
  const firstOut = rows.find(([lat, lon]) => distanceM({ lat, lon }, { lat: -4.03, lon: 39.63 }) > 1500)!;
  const firstIn = rows.find(([lat, lon]) => distanceM({ lat, lon }, { lat: -1.33, lon: 36.91 }) <= 1500)!;
  const facts = areaFacts([mombasa, nairobiIcd], obs, () => 'KE');
  assert.deepEqual(
    facts.map((f) => [f.type, f.time, 'office' in f.details ? f.details.office : '']),
    [
      ['office_entered', at(0), 'KEMBA'],
      ['office_left', at(firstOut[2]), 'KEMBA'],
      ['office_entered', at(firstIn[2]), 'KENBO'],
    ],
  );
});

test('a truck parked across the edge of the ICD, fixes jittering in and out, enters once and leaves once when it drives off', () => {
  const edge = (k: number) => offsetPoint(icd, 90, 1500 + (k % 2 === 0 ? -20 : 25));
  const rows: TrackRow[] = [];
  for (let k = 0; k < 60; k++) rows.push([edge(k).lat, edge(k).lon, 600 + k * 60]);
  for (let k = 1; k <= 5; k++) {
    const p = offsetPoint(icd, 90, 1500 + k * 40);
    rows.push([p.lat, p.lon, 4200 + k * 60]);
  }
  const visits = officeVisits([nairobiIcd], buildTrack(rows));
  // The last jitter fix (59) was already outside: the leaving is dated there, not at the confirming fix.
  assert.deepEqual(
    visits.map((v) => [v.start, v.end]),
    [[at(600), at(600 + 59 * 60)]],
  );
  assert.equal(visits[0].details.lastSeenAt, at(600 + 58 * 60));
});

test('an imprecise cell fix inside does not confirm entering, but dates the entry once a precise fix does', () => {
  const c = icd;
  const far = offsetPoint(c, 0, 5000),
    cell = offsetPoint(c, 0, 1000),
    gnss = offsetPoint(c, 0, 900);
  assert.deepEqual(
    officeVisits(
      [nairobiIcd],
      buildTrack([
        [far.lat, far.lon, 0],
        [cell.lat, cell.lon, 60, 2000],
      ]),
    ),
    [],
  );
  const [v] = officeVisits(
    [nairobiIcd],
    buildTrack([
      [far.lat, far.lon, 0],
      [cell.lat, cell.lon, 60, 2000],
      [gnss.lat, gnss.lon, 120, 10],
    ]),
  );
  assert.deepEqual([v.start, v.end], [at(60), null]);
});

test('the signed distance to a polygon edge is negative inside and in metres outside', () => {
  const east = offsetPoint({ lat: 0.6358, lon: 34.2884 }, 90, 100);
  assert.ok(Math.abs(signedDistanceToAreaM(east, malabaKe.area) - 100) < 1);
  assert.ok(Math.abs(signedDistanceToAreaM({ lat: 0.6358, lon: 34.2857 }, malabaKe.area) + 200) < 5);
});

test('crossing from Kenya into Uganda at Malaba is one border_crossed at the first fix in Uganda', () => {
  const rows = westbound();
  const first = rows.find(([, lon]) => lon < 34.28 - 0.00045)!;
  const crossings = borderCrossings(buildTrack(rows), countryAt);
  assert.deepEqual(
    crossings.map((c) => [c.time, c.details.from, c.details.to]),
    [[at(first[2]), 'KE', 'UG']],
  );
  const facts = areaFacts([malabaKe], buildTrack(rows), countryAt);
  assert.deepEqual(
    facts.map((f) => f.type),
    ['office_entered', 'office_left', 'border_crossed'],
  );
});

test('a truck waiting on the border line with fixes flipping between countries crosses once, when it drives on', () => {
  const rows: TrackRow[] = [];
  for (let k = 0; k < 120; k++) {
    const p = offsetPoint({ lat: 0.636, lon: 34.28 }, 90, k % 3 === 1 ? -60 : 60); // mostly Kenya, every third fix Uganda
    rows.push([p.lat, p.lon, k * 60]);
  }
  for (let k = 1; k <= 10; k++) {
    const p = offsetPoint({ lat: 0.636, lon: 34.28 }, 270, 60 + k * 100);
    rows.push([p.lat, p.lon, 119 * 60 + k * 30]);
  }
  const crossings = borderCrossings(buildTrack(rows), countryAt);
  assert.deepEqual(
    crossings.map((c) => [c.time, c.details.to]),
    [[at(119 * 60 + 30), 'UG']],
  );
});

test('arrival is detected at the destination when the truck stays, not when it drives through', () => {
  const c = icd;
  const pass: TrackRow[] = [0, 1, 2, 3].map((k) => {
    const p = offsetPoint(c, 0, 3000 - k * 2000);
    return [p.lat, p.lon, k * 60];
  });
  assert.equal(arrivalAt(nairobiIcd, buildTrack(pass)), null);
  const stay: TrackRow[] = [0, 1, 2, 3, 4].map((k) => {
    const p = offsetPoint(c, 0, Math.max(0, 3000 - k * 1500));
    return [p.lat, p.lon, k * 60];
  });
  assert.deepEqual(arrivalAt(nairobiIcd, buildTrack(stay)), {
    type: 'movement_arrived_detected',
    time: at(60),
    details: { office: 'KENBO', dwellS: 180, visitEnd: null },
  });
  assert.equal(arrivalAt(nairobiIcd, buildTrack(stay), { notBefore: at(120) }), null);
});

test('office and border facts are the same in order, shuffled, and shuffled then re-sorted', () => {
  const rows = [
    ...westbound(0),
    ...westbound(3600)
      .reverse()
      .map(([lat, lon], k): TrackRow => [lat, lon, 3600 + k * 30]),
  ];
  const obs = [
    ...buildTrack(rows, 'LOCK-1'),
    ...buildTrack(
      rows.map(([lat, lon, s]): TrackRow => [lat + 0.00002, lon, s]),
      'TRACKER-2',
    ),
  ];
  const inOrder = areaFacts([malabaKe], sortTrack(obs), countryAt);
  assert.deepEqual(
    inOrder.map((f) => f.type),
    ['office_entered', 'office_left', 'border_crossed', 'border_crossed', 'office_entered', 'office_left'],
  );
  for (const seed of [21, 22, 23]) {
    assert.deepEqual(areaFacts([malabaKe], shuffled(obs, seed), countryAt), inOrder);
    assert.deepEqual(areaFacts([malabaKe], sortTrack(shuffled(obs, seed)), countryAt), inOrder);
  }
});

test('buffered fixes showing the truck left the destination and came back move the detected arrival', () => {
  const c = icd;
  const p = (m: number) => offsetPoint(c, 0, m);
  const live = buildTrack([
    [p(4000).lat, p(4000).lon, 0],
    [p(1000).lat, p(1000).lon, 100],
    [p(200).lat, p(200).lon, 2000],
  ]);
  assert.equal(arrivalAt(nairobiIcd, live)?.time, at(100));
  const buffered = buildTrack(
    [160, 600, 1200, 1900].map((s, k): TrackRow => [p([3000, 8000, 6000, 1200][k]).lat, c.lon, s]),
    'LOCK-1',
  );
  const all = [...live, ...buffered];
  assert.equal(arrivalAt(nairobiIcd, all)?.time, at(1900));
  assert.deepEqual(
    areaFacts([nairobiIcd], all, () => 'KE').map((f) => [f.type, f.time]),
    [
      ['office_entered', at(100)],
      ['office_left', at(160)],
      ['office_entered', at(1900)],
    ],
  );
});
